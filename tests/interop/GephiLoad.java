// Loads graph files the way Gephi does, with the Gephi toolkit, and prints what Gephi holds.
//
//   java -cp gephi-toolkit-0.10.1-all.jar tests/interop/GephiLoad.java FILE... [--pair NODES.csv EDGES.csv]...
//
// Each FILE (GraphML, GEXF, any format Gephi knows by its extension) and each --pair (a nodes
// table and an edges table, both read by Gephi's own spreadsheet importer, ImporterSpreadsheetCSV,
// which guesses the delimiter, the charset and which table is which, as its import wizard does)
// is imported into a workspace of its own by Gephi's import controller (its default processor;
// the merge processor for a pair, as the import report's "Merge" choice), all in one JVM. Standard output is one JSON array, one object per FILE or pair:
//
//   {"input": [...paths], "nodes": N, "edges": N, "directed": bool,
//    "node_columns": [...], "edge_columns": [...], "edge_types": {"TYPE": count},
//    "issues": ["LEVEL: message", ...],
//    "node_list": [{"id", "label", "attributes": {...}}],
//    "edge_list": [{"id", "source", "target", "type", "label", "weight", "directed", "attributes": {...}}]}
//
// Gephi's own columns (Id, Label, Interval/Timeset, Weight) are listed in the columns but not
// repeated under "attributes". Gephi's log goes to standard error.
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gephi.graph.api.Column;
import org.gephi.graph.api.Edge;
import org.gephi.graph.api.Element;
import org.gephi.graph.api.GraphController;
import org.gephi.graph.api.GraphModel;
import org.gephi.graph.api.Node;
import org.gephi.graph.api.Table;
import org.gephi.io.importer.api.Container;
import org.gephi.io.importer.api.ImportController;
import org.gephi.io.importer.api.Issue;
import org.gephi.io.importer.plugin.file.spreadsheet.ImporterSpreadsheetCSV;
import org.gephi.io.processor.plugin.DefaultProcessor;
import org.gephi.io.processor.plugin.MergeProcessor;
import org.gephi.project.api.ProjectController;
import org.gephi.project.api.Workspace;
import org.openide.util.Lookup;

public class GephiLoad {

    public static void main(String[] args) throws Exception {
        ProjectController projects = Lookup.getDefault().lookup(ProjectController.class);
        ImportController importer = Lookup.getDefault().lookup(ImportController.class);
        GraphController graphs = Lookup.getDefault().lookup(GraphController.class);
        projects.newProject();
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < args.length; i++) {
            List<File> files = new ArrayList<>();
            List<Container> containers = new ArrayList<>();
            if (args[i].equals("--pair")) {
                for (int k = 1; k <= 2; k++) {
                    File file = new File(args[i + k]);
                    ImporterSpreadsheetCSV sheet = new ImporterSpreadsheetCSV();
                    sheet.setFile(file);  // guesses delimiter, charset, table kind, column types
                    files.add(file);
                    containers.add(require(importer.importFile(file, sheet), file));
                }
                i += 2;
            } else {
                File file = new File(args[i]);
                files.add(file);
                containers.add(require(importer.importFile(file), file));
            }
            Workspace workspace = projects.newWorkspace(projects.getCurrentProject());
            projects.openWorkspace(workspace);
            if (containers.size() == 1) {
                importer.process(containers.get(0), new DefaultProcessor(), workspace);
            } else {  // several files into one graph: what the import report's "Merge" does
                importer.process(containers.toArray(new Container[0]), new MergeProcessor(), workspace);
            }
            GraphModel model = graphs.getGraphModel(workspace);
            if (out.length() > 1) {
                out.append(",\n");
            }
            describe(out, files, containers, model);
        }
        out.append("]\n");
        System.out.write(out.toString().getBytes(StandardCharsets.UTF_8));
        System.out.flush();
        System.exit(0);  // the toolkit leaves non-daemon threads behind
    }

    private static Container require(Container container, File file) {
        if (container == null) {
            throw new IllegalStateException("Gephi has no importer for " + file);
        }
        return container;
    }

    private static void describe(StringBuilder out, List<File> files, List<Container> containers,
            GraphModel model) {
        out.append("{\"input\": [");
        for (int k = 0; k < files.size(); k++) {
            out.append(k > 0 ? ", " : "").append(quote(files.get(k).getPath()));
        }
        out.append("], \"nodes\": ").append(model.getGraph().getNodeCount());
        out.append(", \"edges\": ").append(model.getGraph().getEdgeCount());
        out.append(", \"directed\": ").append(model.isDirected());
        out.append(", \"node_columns\": ");
        columns(out, model.getNodeTable());
        out.append(", \"edge_columns\": ");
        columns(out, model.getEdgeTable());
        Map<String, Integer> types = new TreeMap<>();
        for (Edge edge : model.getGraph().getEdges()) {
            types.merge(String.valueOf(model.getEdgeTypeLabel(edge.getType())), 1, Integer::sum);
        }
        out.append(", \"edge_types\": {");
        boolean first = true;
        for (Map.Entry<String, Integer> entry : types.entrySet()) {
            out.append(first ? "" : ", ").append(quote(entry.getKey())).append(": ").append(entry.getValue());
            first = false;
        }
        out.append("}, \"issues\": [");
        first = true;
        for (Container container : containers) {
            for (Issue issue : container.getReport().getIssuesList(Integer.MAX_VALUE)) {
                out.append(first ? "" : ", ").append(quote(issue.getLevel() + ": " + issue.getMessage()));
                first = false;
            }
        }
        out.append("],\n \"node_list\": [");
        first = true;
        for (Node node : model.getGraph().getNodes()) {
            out.append(first ? "\n  " : ",\n  ");
            first = false;
            out.append("{\"id\": ").append(value(node.getId()));
            out.append(", \"label\": ").append(value(node.getLabel()));
            attributes(out, node, model.getNodeTable());
            out.append("}");
        }
        out.append("],\n \"edge_list\": [");
        first = true;
        for (Edge edge : model.getGraph().getEdges()) {
            out.append(first ? "\n  " : ",\n  ");
            first = false;
            out.append("{\"id\": ").append(value(edge.getId()));
            out.append(", \"source\": ").append(value(edge.getSource().getId()));
            out.append(", \"target\": ").append(value(edge.getTarget().getId()));
            out.append(", \"type\": ").append(value(model.getEdgeTypeLabel(edge.getType())));
            out.append(", \"label\": ").append(value(edge.getLabel()));
            out.append(", \"weight\": ").append(value(edge.getWeight()));
            out.append(", \"directed\": ").append(edge.isDirected());
            attributes(out, edge, model.getEdgeTable());
            out.append("}");
        }
        out.append("]}");
    }

    private static void columns(StringBuilder out, Table table) {
        out.append("[");
        boolean first = true;
        for (Column column : table) {
            out.append(first ? "" : ", ");
            first = false;
            out.append("{\"id\": ").append(quote(column.getId()));
            out.append(", \"title\": ").append(quote(column.getTitle()));
            out.append(", \"type\": ").append(quote(column.getTypeClass().getSimpleName()));
            out.append(", \"property\": ").append(column.isProperty()).append("}");
        }
        out.append("]");
    }

    private static void attributes(StringBuilder out, Element element, Table table) {
        out.append(", \"attributes\": {");
        boolean first = true;
        for (Column column : table) {
            if (column.isProperty()) {
                continue;  // Id, Label, Interval, Weight: printed above
            }
            Object value = element.getAttribute(column);
            if (value == null) {
                continue;
            }
            out.append(first ? "" : ", ").append(quote(column.getTitle())).append(": ").append(value(value));
            first = false;
        }
        out.append("}");
    }

    private static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return Double.isFinite(d) ? value.toString() : quote(value.toString());
        }
        if (value.getClass().isArray()) {
            StringBuilder list = new StringBuilder("[");
            int n = java.lang.reflect.Array.getLength(value);
            for (int k = 0; k < n; k++) {
                list.append(k > 0 ? ", " : "").append(value(java.lang.reflect.Array.get(value, k)));
            }
            return list.append("]").toString();
        }
        return quote(value.toString());
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append("\"").toString();
    }
}
