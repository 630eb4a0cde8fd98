"""The monitoring report — "de monitor van de samenwerking" — as HTML and as PDF.

For the whole network or any analytics filter (one theme, say) the report brings
together what the province's policy analyst reports to the provincial executive: the
KPIs, the ten strongest brokers with their reasons, the weak cross-overs between themes
and between the helix roles (with heatmaps), the activities missing a helix role (with a
bar chart), the communities, and where the figures come from. Every text comes from the
catalogue in the reader's language; every table is a :class:`app.services.tables.Table`,
every chart an SVG string from :mod:`app.services.charts`, so the HTML and the PDF show
the same content.

The PDF is drawn by fpdf2 (pure Python) on A4 with DejaVu Sans Condensed embedded from
``app/static/fonts`` (€, ë and the rest, on any machine), page numbers in the footer and
a bookmark per section.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from analytics.matching import Need
from app.errors import InvalidRequestError
from app.services.analytics import AnalyticsService, Options
from app.services.charts import ROLE_COLOURS, HeatCell, bar_chart_svg, heatmap_svg
from app.services.tables import (
    WEAK_MIN_EXPECTED,
    WEAK_RATIO,
    Cell,
    Column,
    Names,
    Scope,
    Table,
    TableName,
    analytics_table,
    brokers_table,
    cell_text,
    communities_table,
    describe_need,
    helix_cells,
    is_weak,
    kpi_rows,
    match_table,
    missing_role_entries,
    role_name,
    to_html,
    type_name,
)
from graph_schema import HelixRole, Theme
from graph_schema.i18n import Language, listing, number, t

__all__ = [
    "STYLE_POLICY",
    "Chart",
    "Paragraph",
    "Report",
    "ReportService",
    "Section",
    "build_report",
    "describe_filter",
    "render_html",
    "render_pdf",
]

FONTS = Path(__file__).resolve().parents[1] / "static" / "fonts"
FONT_FAMILY = "DejaVu Sans Condensed"
TOP_BROKERS = 10


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Chart:
    """An SVG chart; ``title`` is its accessible name (the SVG draws it too)."""

    title: str
    svg: str


Block = Paragraph | Chart | Table


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """The report's content, ready to be rendered as HTML or PDF."""

    lang: Language
    title: str
    subtitle: str
    scope: Scope
    sections: tuple[Section, ...]

    def meta(self) -> list[tuple[str, str]]:
        """(label, value) lines under the title: filter, date, graph version."""
        return [
            (t(self.lang, "report.meta.filter"), self.scope.filter),
            (t(self.lang, "report.meta.date"), self.scope.day(self.lang)),
            (t(self.lang, "report.meta.version"), str(self.scope.version)),
        ]

    def footer(self) -> str:
        return t(
            self.lang,
            "report.footer",
            title=self.title,
            filter=self.scope.filter,
            v=self.scope.version,
        )


# --------------------------------------------------------------------------- the filter


def describe_filter(options: Options, names: Names, lang: Language) -> str:
    """The analytics filter in words: ``Thema Digitalisering``, or ``Het hele netwerk``.

    Every field of :class:`~app.services.analytics.Options` that differs from its
    default is named, so that a caption never hides a filter.

    >>> describe_filter(Options(themes=frozenset({"theme-x"})), Names({"theme-x": "Zorg"}), "nl")
    'Thema Zorg'
    >>> describe_filter(Options(helix_roles=frozenset({"industry", "knowledge"})), Names(), "en")
    'Roles knowledge & education and industry'
    """
    parts: list[str] = []
    default = Options()
    for item in dataclasses.fields(options):
        value = getattr(options, item.name)
        if value != getattr(default, item.name):
            parts.append(_filter_part(item.name, value, names, lang))
    if not parts:
        return t(lang, "report.filter.all")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


_FILTER_KEYS = {
    "places": "report.filter.places",
    "provinces": "report.filter.provinces",
    "regions": "report.filter.regions",
}


def _filter_part(name: str, value: Any, names: Names, lang: Language) -> str:
    """One filter of :class:`Options` in words (``name`` is its field)."""
    if name == "include_generic":
        return t(lang, "report.filter.generic" if value else "report.filter.named")
    if name == "kinds":
        kinds = [t(lang, f"kind.{kind}") for kind in sorted(value)]
        return t(lang, "report.filter.kinds", kinds=listing(kinds, lang, limit=10))
    if name == "helix_roles":
        words = [role_name(str(r), lang).lower() for r in HelixRole if str(r) in value]
        key = "report.filter.roles"
    elif name == "org_types":
        words = [type_name(x, lang).lower() for x in sorted(value)]
        key = "report.filter.types"
    elif name == "themes":
        words = sorted((names(theme) for theme in value), key=str.casefold)
        key = "report.filter.themes"
    else:  # places, provinces, regions as written; a filter added since: by its name
        words = sorted(map(str, value)) if isinstance(value, frozenset) else [str(value)]
        key = _FILTER_KEYS.get(name, "")
        if not key:
            return f"{name.replace('_', ' ')}: {listing(words, lang, limit=10)}"
    return t(lang, key, n=len(words), names=listing(words, lang, limit=10))


# --------------------------------------------------------------------------- the service


class ReportService:
    """Tables and the monitoring report from the analytics of one store.

    It holds the analytics service (whose results are computed once per graph version)
    and adds only the presentation: names, captions, tables, charts, HTML and PDF.
    """

    def __init__(self, analytics: AnalyticsService) -> None:
        self._analytics = analytics

    def names(self) -> tuple[Names, frozenset[str]]:
        """Display names of every node, and the theme ids, of the current version."""
        version, data = self._analytics.snapshot()

        def compute() -> tuple[Names, frozenset[str]]:
            return (
                Names({node.id: node.name for node in data.nodes}),
                frozenset(node.id for node in data.nodes if isinstance(node, Theme)),
            )

        return self._analytics.cached((version, "report-names"), compute)

    def _check(self, options: Options, themes: frozenset[str], lang: Language) -> None:
        unknown = sorted((options.themes or frozenset()) - themes)
        if unknown:
            raise InvalidRequestError(
                t(
                    lang,
                    "report.error.theme",
                    n=len(unknown),
                    themes=listing(unknown, lang),
                    known=", ".join(sorted(themes)),
                )
            )

    def _scope(
        self, options: Options, names: Names, version: int, lang: Language, today: date | None
    ) -> Scope:
        return Scope(describe_filter(options, names, lang), version, today or date.today())

    def _result(
        self,
        analysis: str,
        options: Options,
        lang: Language,
        *,
        missing_role: str | None = None,
        method: str = "louvain",
    ) -> dict[str, Any]:
        """The analysis worded in ``lang`` (the brokers' reasons, the findings); the gaps
        only of activities lacking ``missing_role`` when given, the communities by
        ``method``."""
        if analysis == "brokers":
            return self._analytics.brokers(options, lang=lang)
        if analysis == "gaps":
            return self._analytics.gaps(options, missing_role=missing_role, lang=lang)
        if analysis == "communities":
            return self._analytics.communities(options, method=method, lang=lang)
        return self._analytics.kpis(options, lang=lang)

    def _results(self, options: Options, lang: Language) -> dict[str, dict[str, Any]]:
        """All four analyses of one version: the brokers, gaps and communities of the
        version the KPIs name (a write meanwhile is not mixed in)."""
        results = {
            a: self._result(a, options, lang) for a in ("kpis", "gaps", "brokers", "communities")
        }
        versions = {result["version"] for result in results.values()}
        if len(versions) > 1:  # a write between two of them: once more, now all fresh
            results = {a: self._result(a, options, lang) for a in results}
        return results

    def table(
        self,
        name: TableName,
        options: Options,
        lang: Language,
        today: date | None = None,
        *,
        missing_role: str | None = None,
        method: str = "louvain",
    ) -> tuple[Table, Scope]:
        """One analytics table (see :class:`TableName`) and what it describes; the
        missing roles only of activities lacking ``missing_role`` when given, the
        communities found by ``method``."""
        names, themes = self.names()
        self._check(options, themes, lang)
        result = self._result(
            name.analysis, options, lang, missing_role=missing_role, method=method
        )
        scope = self._scope(options, names, result["version"], lang, today)
        table = analytics_table(name, result, names, scope, lang)
        if missing_role and name is TableName.MISSING_ROLES:
            # the caption and the file name say the "without" filter the rows follow
            without = t(lang, f"gaps.without.{missing_role}")
            caption = dataclasses.replace(scope, filter=f"{scope.filter} · {without}")
            table = dataclasses.replace(
                table,
                caption=caption.caption(lang),
                stem=f"{table.stem} {t(lang, f'gaps.file.without.{missing_role}')}",
            )
        return table, scope

    def tables(
        self, options: Options, lang: Language, today: date | None = None
    ) -> tuple[list[Table], Scope]:
        """Every analytics table (for one workbook), all of the same graph version."""
        names, themes = self.names()
        self._check(options, themes, lang)
        results = self._results(options, lang)
        scope = self._scope(options, names, results["kpis"]["version"], lang, today)
        return [
            analytics_table(name, results[name.analysis], names, scope, lang) for name in TableName
        ], scope

    def match_table(
        self,
        need: Need,
        answer: Mapping[str, Any],
        lang: Language,
        today: date | None = None,
    ) -> tuple[Table, Scope]:
        """The candidates of a match ``answer`` for ``need`` as a table, its caption
        naming the need."""
        names, _ = self.names()
        asker = answer["asker"]["name"] if answer.get("asker") else None
        scope = Scope(
            describe_need(need, asker, names, lang), answer["version"], today or date.today()
        )
        return match_table(answer, scope, lang), scope

    def report(self, options: Options, lang: Language, today: date | None = None) -> Report:
        """The monitoring report for ``options`` (the whole network by default)."""
        names, themes = self.names()
        self._check(options, themes, lang)
        results = self._results(options, lang)
        scope = self._scope(options, names, results["kpis"]["version"], lang, today)
        return build_report(results, names, scope, lang)


# --------------------------------------------------------------------------- content


def _num(lang: Language) -> Any:
    def fmt(value: float, digits: int) -> str:
        return number(value, lang, digits)

    return fmt


def _select(
    table: Table,
    keep: Sequence[int],
    title: str | None = None,
    rows: Sequence[Sequence[Cell]] | None = None,
) -> Table:
    """The table with only some columns (the report has less room than a workbook)."""
    source = table.rows if rows is None else rows
    return dataclasses.replace(
        table,
        title=title or table.title,
        columns=tuple(table.columns[i] for i in keep),
        rows=tuple(tuple(row[i] for i in keep) for row in source),
    )


def _summary(results: Mapping[str, Mapping[str, Any]], names: Names, lang: Language) -> list[str]:
    kpis, gaps, brokers = results["kpis"], results["gaps"], results["brokers"]
    lines = [
        t(
            lang,
            "report.summary.network",
            orgs=t(lang, "count.organisations", n=kpis["organisations"]),
            ties=t(lang, "count.ties", n=kpis["ties"]),
            share=cell_text(kpis["cross_helix_share"], Column("", "percent", 0), lang),
        ),
    ]
    if kpis.get("actions"):
        lines.append(
            t(
                lang,
                "report.summary.actions",
                n=kpis["actions_with_all_four_roles"],
                total=kpis["actions"],
            )
        )
    if brokers["rows"]:
        top = brokers["rows"][0]
        lines.append(
            t(
                lang,
                "report.summary.broker",
                name=top["name"],
                role=role_name(top["helix_role"], lang).lower(),
            )
        )
    weak = [p for p in gaps["theme_crossovers"]["pairs"] if is_weak(p["observed"], p["expected"])]
    if weak:
        p = weak[0]
        lines.append(
            t(
                lang,
                "report.summary.theme",
                a=names(p["theme_a"]),
                b=names(p["theme_b"]),
                n=p["observed"],
                exp=number(p["expected"], lang, 1),
            )
        )
    cells = sorted(
        (c for c in helix_cells(gaps["helix_mix"]) if is_weak(c.observed, c.expected)),
        key=lambda c: c.ratio or 0.0,
    )
    if cells:
        c = cells[0]
        lines.append(
            t(
                lang,
                "report.summary.helix",
                a=role_name(c.role_a, lang),
                b=role_name(c.role_b, lang),
                n=c.observed,
                exp=number(c.expected, lang, 1),
            )
        )
    activities = [e for e in missing_role_entries(gaps) if e["kind"] != "Theme"]
    lacking = sum(1 for e in activities if e["missing"])
    generic = sum(1 for e in activities if e["generic_only"])
    lines.append(t(lang, "report.summary.missing", n=lacking))
    if generic:
        lines.append(t(lang, "report.summary.generic", n=generic))
    return lines


def _brokers_section(brokers: Mapping[str, Any], scope: Scope, lang: Language) -> Section:
    top = brokers["rows"][:TOP_BROKERS]
    full = brokers_table(brokers, scope, lang, top=TOP_BROKERS)
    blocks: list[Block] = [Paragraph(t(lang, "report.brokers.intro", n=len(top)))]
    if top:
        blocks.append(
            Chart(
                t(lang, "report.brokers.chart", n=len(top)),
                bar_chart_svg(
                    title=t(lang, "report.brokers.chart", n=len(top)),
                    labels=[r["name"] for r in top],
                    values=[float(r["betweenness"]) for r in top],
                    value_text=lambda v: number(v, lang, 3),
                    axis=t(lang, "report.brokers.axis"),
                    colours=[ROLE_COLOURS.get(r["helix_role"] or "", "#8A94A6") for r in top],
                    legend=[(ROLE_COLOURS[role], role_name(role, lang)) for role in ROLE_COLOURS],
                ),
            )
        )
        # rank, organisation, role, degree, betweenness, reason
        blocks.append(
            _select(full, (0, 1, 2, 3, 4, 11), t(lang, "report.brokers.table", n=len(top)))
        )
    else:
        blocks.append(Paragraph(t(lang, "report.none")))
    return Section(t(lang, "report.brokers.title"), tuple(blocks))


def _legend_notes(lang: Language, diagonal: str | None) -> list[str]:
    notes = [
        t(lang, "report.legend.cell"),
        t(lang, "report.legend.weak", pct=f"{WEAK_RATIO:.0%}".replace(".", ",")),
    ]
    if diagonal:
        notes.append(diagonal)
    return notes


def _crossovers_section(
    gaps: Mapping[str, Any], names: Names, scope: Scope, lang: Language
) -> Section:
    fmt = _num(lang)
    matrix = gaps["theme_crossovers"]
    themes: list[str] = list(matrix["themes"])
    pairs = {(p["theme_a"], p["theme_b"]): p for p in matrix["pairs"]}
    pct = f"{WEAK_RATIO:.0%}"
    blocks: list[Block] = [
        Paragraph(
            t(lang, "report.crossovers.intro", pct=pct, min=number(WEAK_MIN_EXPECTED, lang, 0))
        )
    ]

    def theme_cell(i: int, j: int) -> HeatCell:
        if i == j:
            n = matrix["organisations_per_theme"].get(themes[i], 0)
            return HeatCell(n, 0, note=t(lang, "report.heatmap.diagonal", n=n))
        a, b = sorted((themes[i], themes[j]))
        p = pairs.get((a, b))
        return HeatCell(p["observed"], p["expected"]) if p else HeatCell(0, 0)

    weak_cell = lambda c: is_weak(c.observed, c.expected)  # noqa: E731
    legend = {
        "legend_title": t(lang, "report.legend.title"),
        "below": t(lang, "report.legend.below"),
        "above": t(lang, "report.legend.above"),
    }
    if len(themes) >= 2:
        title = t(lang, "report.crossovers.themes")
        blocks.append(
            Chart(
                title,
                heatmap_svg(
                    title=title,
                    labels=[names(x) for x in themes],
                    cell=theme_cell,
                    weak=weak_cell,
                    number=fmt,
                    notes=_legend_notes(lang, t(lang, "report.legend.diagonal")),
                    **legend,
                ),
            )
        )
        table = analytics_table(TableName.THEME_CROSSOVERS, gaps, names, scope, lang)
        weak_rows = [row for row in table.rows if row[5] is True]
        if weak_rows:
            # theme a, theme b, observed, expected, ratio, organisations behind
            blocks.append(
                _select(
                    table, (0, 1, 2, 3, 4, 7), t(lang, "report.crossovers.weak_themes"), weak_rows
                )
            )
        else:
            blocks.append(Paragraph(t(lang, "report.crossovers.none_themes", pct=pct)))
    else:
        blocks.append(Paragraph(t(lang, "report.crossovers.few_themes")))
    cells = helix_cells(gaps["helix_mix"])
    roles: list[str] = list(gaps["helix_mix"]["roles"])
    by_pair = {(c.role_a, c.role_b): c for c in cells}

    def helix_cell(i: int, j: int) -> HeatCell:
        a, b = (roles[i], roles[j]) if i <= j else (roles[j], roles[i])
        c = by_pair[(a, b)]
        return HeatCell(c.observed, c.expected)

    title = t(lang, "report.crossovers.helix")
    blocks.append(
        Chart(
            title,
            heatmap_svg(
                title=title,
                labels=[role_name(r, lang) for r in roles],
                cell=helix_cell,
                weak=weak_cell,
                number=fmt,
                notes=_legend_notes(lang, None),
                markers=[ROLE_COLOURS.get(r, "#8A94A6") for r in roles],
                **legend,
            ),
        )
    )
    table = analytics_table(TableName.HELIX_MIX, gaps, names, scope, lang)
    weak_rows = sorted(
        (row for row in table.rows if row[5] is True),
        key=lambda row: row[4] if isinstance(row[4], float) else 0.0,
    )
    if weak_rows:
        # role a, role b, observed, expected, ratio, density
        blocks.append(
            _select(table, (0, 1, 2, 3, 4, 6), t(lang, "report.crossovers.weak_helix"), weak_rows)
        )
    else:
        blocks.append(Paragraph(t(lang, "report.crossovers.none_helix", pct=pct)))
    return Section(t(lang, "report.crossovers.title"), tuple(blocks))


def _missing_section(
    gaps: Mapping[str, Any], names: Names, scope: Scope, lang: Language
) -> Section:
    roles: list[str] = list(gaps["missing_roles"]["roles"])
    counts: Mapping[str, int] = gaps["missing_roles"]["missing_counts"]
    blocks: list[Block] = [Paragraph(t(lang, "report.missing.intro"))]
    title = t(lang, "report.missing.chart")
    blocks.append(
        Chart(
            title,
            bar_chart_svg(
                title=title,
                labels=[role_name(r, lang) for r in roles],
                values=[float(counts.get(r, 0)) for r in roles],
                value_text=lambda v: t(lang, "report.missing.count", n=round(v)),
                axis=t(lang, "report.missing.axis"),
                colours=[ROLE_COLOURS.get(r, "#8A94A6") for r in roles],
            ),
        )
    )
    table = analytics_table(TableName.MISSING_ROLES, gaps, names, scope, lang)
    if table.rows:
        # kind, activity, missing, present, generic only
        blocks.append(_select(table, (0, 1, 2, 3, 4)))
    else:
        blocks.append(Paragraph(t(lang, "report.missing.none")))
    return Section(t(lang, "report.missing.title"), tuple(blocks))


def _communities_section(
    communities: Mapping[str, Any], names: Names, scope: Scope, lang: Language
) -> Section:
    table = communities_table(communities, names, scope, lang)
    intro = t(
        lang,
        "report.communities.intro",
        n=len(communities["communities"]),
        q=number(communities["modularity"], lang, 2),
        isolates=t(lang, "count.organisations", n=len(communities.get("isolates", ()))),
    )
    blocks: list[Block] = [Paragraph(intro)]
    blocks.append(table if table.rows else Paragraph(t(lang, "report.none")))
    return Section(t(lang, "report.communities.title"), tuple(blocks))


def build_report(
    results: Mapping[str, Mapping[str, Any]], names: Names, scope: Scope, lang: Language
) -> Report:
    """The report's sections from the four analytics results of one filter."""
    kpis = results["kpis"]
    kpi_table = Table(
        title=t(lang, "table.title.kpis"),
        columns=(Column(t(lang, "table.indicator")), Column(t(lang, "table.value"), "decimal")),
        rows=tuple(kpi_rows(kpis, names, lang)),
        caption=scope.caption(lang),
        sheet=t(lang, "table.sheet.kpis"),
        stem=t(lang, "table.file.kpis"),
    )
    summary = Section(
        t(lang, "report.summary.title"),
        (*(Paragraph(line) for line in _summary(results, names, lang)), kpi_table),
    )
    source = Section(
        t(lang, "report.source.title"),
        tuple(
            Paragraph(
                t(
                    lang,
                    key,
                    v=scope.version,
                    date=scope.day(lang),
                    pct=f"{WEAK_RATIO:.0%}",
                    min=number(WEAK_MIN_EXPECTED, lang, 0),
                )
            )
            for key in (
                "report.source.text",
                "report.method.ties",
                "report.method.expected",
                "report.method.brokers",
                "report.method.generic",
                "report.method.communities",
            )
        ),
    )
    return Report(
        lang=lang,
        title=t(lang, "report.title"),
        subtitle=t(lang, "report.subtitle"),
        scope=scope,
        sections=(
            summary,
            _brokers_section(results["brokers"], scope, lang),
            _crossovers_section(results["gaps"], names, scope, lang),
            _missing_section(results["gaps"], names, scope, lang),
            _communities_section(results["communities"], names, scope, lang),
            source,
        ),
    )


# --------------------------------------------------------------------------- HTML

STYLE = """
@page { size: A4; margin: 16mm 15mm 18mm; }
body { font-family: "DejaVu Sans Condensed", "Arial Narrow", Arial, sans-serif; color: #1F2933;
  font-size: 10.5pt; line-height: 1.4; max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 22pt; margin: 0 0 2pt; }
h2 { font-size: 14pt; margin: 18pt 0 6pt; border-bottom: 1.5pt solid #0072B2;
  padding-bottom: 2pt; break-after: avoid; }
.subtitle { font-size: 12pt; color: #52606D; margin: 0 0 8pt; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 1pt 10pt; margin: 0 0 10pt; }
dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
figure { margin: 8pt 0 12pt; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0 12pt; font-size: 9pt; }
caption { text-align: left; font-weight: bold; padding: 0 0 3pt; }
th { background: #DCE6F0; text-align: left; vertical-align: bottom; }
th, td { border: 0.5pt solid #CBD2D9; padding: 2pt 4pt; vertical-align: top; }
.num { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
footer { margin-top: 18pt; font-size: 9pt; color: #52606D; border-top: 0.5pt solid #CBD2D9; }
""".strip()

STYLE_POLICY = (
    "default-src 'none'; style-src 'sha256-"
    + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    + "'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
"""The content security policy of the HTML report: its own stylesheet, nothing else."""


def _html_block(block: Block, lang: Language) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{html.escape(block.text)}</p>"
    if isinstance(block, Chart):
        return f"<figure>{block.svg}</figure>"
    return to_html(block, lang)


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (inline SVG charts, no script)."""
    lang = report.lang
    meta = "".join(
        f"<dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd>"
        for label, value in report.meta()
    )
    sections = "".join(
        f"<section><h2>{html.escape(section.title)}</h2>"
        + "".join(_html_block(block, lang) for block in section.blocks)
        + "</section>"
        for section in report.sections
    )
    title = f"{report.title} — {report.scope.filter}"
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{html.escape(report.title)}</h1>"
        f'<p class="subtitle">{html.escape(report.subtitle)}</p>'
        f'<dl class="meta">{meta}</dl></header>'
        f"<main>{sections}</main>"
        f"<footer><p>{html.escape(report.footer())}</p></footer>"
        "</body></html>"
    )


# --------------------------------------------------------------------------- PDF

_PX_TO_MM = 25.4 / 96
_SVG_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)


class _ReportPDF(FPDF):
    def __init__(self, report: Report) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report = report
        for style, file in (("", "DejaVuSansCondensed.ttf"), ("B", "DejaVuSansCondensed-Bold.ttf")):
            self.add_font(FONT_FAMILY, style, str(FONTS / file))
        self.set_margins(16, 16, 16)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(f"{report.title} — {report.scope.filter}")
        self.set_author("helixgraph")
        self.set_creator("helixgraph")
        self.set_lang(report.lang)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT_FAMILY, size=7.5)
        self.set_text_color(82, 96, 109)
        page = t(self.report.lang, "report.page", page=self.page_no(), pages="{nb}")
        width = self.epw
        self.cell(width * 0.75, 5, self.report.footer(), align="L")
        self.cell(width * 0.25, 5, page, align="R")


_TABLE_SIZE = 8.0
_CELL_PADDING = 1.5  # mm on either side of a cell's text
_WIDEST = 70.0  # mm: longer texts wrap


def _column_widths(pdf: _ReportPDF, table: Table, lang: Language) -> list[float]:
    """Column widths (mm) filling the page: every column at least as wide as its longest
    word (in the header or a cell), so that no word is broken, and the room left given
    to the columns whose texts would otherwise wrap, in proportion to their need."""
    least: list[float] = []
    wanted: list[float] = []
    for j, column in enumerate(table.columns):
        texts = [cell_text(row[j], column, lang) for row in table.rows]
        pdf.set_font(FONT_FAMILY, "B", _TABLE_SIZE)
        header_words = [pdf.get_string_width(word) for word in column.header.split()]
        header = pdf.get_string_width(column.header)
        pdf.set_font(FONT_FAMILY, size=_TABLE_SIZE)
        words = [pdf.get_string_width(word) for text in texts for word in text.split()]
        whole = max((pdf.get_string_width(text) for text in texts), default=0.0)
        shortest = max([*header_words, *words, 0.0]) + 2 * _CELL_PADDING + 0.5
        least.append(shortest)
        wanted.append(max(min(whole, _WIDEST), min(header, 30.0)) + 2 * _CELL_PADDING + 0.5)
    room = pdf.epw
    if sum(least) >= room:  # more columns than the page holds: shrink all alike
        return [width * room / sum(least) for width in least]
    extra = [max(w - s, 0.0) for w, s in zip(wanted, least, strict=True)]
    if sum(extra) <= room - sum(least):  # everything fits on one line: spread the rest
        widths = [max(w, s) for w, s in zip(wanted, least, strict=True)]
        spare = (room - sum(widths)) / len(widths)
        return [width + spare for width in widths]
    share = (room - sum(least)) / sum(extra)
    return [s + e * share for s, e in zip(least, extra, strict=True)]


def _pdf_table(pdf: _ReportPDF, table: Table, lang: Language) -> None:
    pdf.set_font(FONT_FAMILY, "B", 9.5)
    pdf.set_text_color(31, 41, 51)
    pdf.multi_cell(0, 5, table.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    widths = tuple(_column_widths(pdf, table, lang))
    pdf.set_font(FONT_FAMILY, size=_TABLE_SIZE)
    align = tuple("RIGHT" if column.kind != "text" else "LEFT" for column in table.columns)
    headings = FontFace(emphasis="BOLD", fill_color=(220, 230, 240))
    with pdf.table(
        col_widths=widths,
        text_align=align,
        headings_style=headings,
        line_height=4,
        padding=(1, 1.5),
        borders_layout="HORIZONTAL_LINES",
        repeat_headings=1,
        width=pdf.epw,
    ) as grid:
        header = grid.row()
        for column in table.columns:
            header.cell(column.header)
        for values in table.rows:
            row = grid.row()
            for value, column in zip(values, table.columns, strict=True):
                text = cell_text(value, column, lang)
                right = column.kind != "text" or not isinstance(value, str | bool)
                row.cell(text, align="RIGHT" if right and text else "LEFT")
    pdf.ln(4)


def _pdf_chart(pdf: _ReportPDF, chart: Chart) -> None:
    width_px, height_px = _svg_size(chart.svg)
    width = min(width_px * _PX_TO_MM, pdf.epw)
    height = width * height_px / width_px
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    # fpdf2 draws the SVG's shapes and texts; the <title> is given as the image's
    # alternative text instead (fpdf2 would only warn about it)
    svg = _SVG_TITLE.sub("", chart.svg, count=1)
    pdf.image(io.BytesIO(svg.encode()), x=pdf.l_margin, w=width, h=height, alt_text=chart.title)
    pdf.ln(3)


def _svg_size(svg: str) -> tuple[float, float]:
    head = svg[: svg.index(">")]

    def attribute(name: str) -> float:
        start = head.index(f' {name}="') + len(name) + 3
        return float(head[start : head.index('"', start)])

    return attribute("width"), attribute("height")


def render_pdf(report: Report) -> bytes:
    """The report as an A4 PDF: title block, sections with bookmarks, page numbers."""
    lang = report.lang
    pdf = _ReportPDF(report)
    pdf.add_page()
    pdf.set_text_color(31, 41, 51)
    pdf.set_font(FONT_FAMILY, "B", 22)
    pdf.multi_cell(0, 10, report.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.set_text_color(82, 96, 109)
    pdf.multi_cell(0, 6, report.subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_text_color(31, 41, 51)
    for label, value in report.meta():
        pdf.set_font(FONT_FAMILY, "B", 10)
        pdf.cell(34, 5.5, label)
        pdf.set_font(FONT_FAMILY, size=10)
        pdf.multi_cell(0, 5.5, value, new_x="LMARGIN", new_y="NEXT")
    for section in report.sections:
        if pdf.get_y() > pdf.page_break_trigger - 40:
            pdf.add_page()
        pdf.ln(4)
        pdf.start_section(section.title)
        pdf.set_font(FONT_FAMILY, "B", 14)
        pdf.set_text_color(31, 41, 51)
        pdf.multi_cell(0, 7, section.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(0, 114, 178)
        pdf.set_line_width(0.5)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.ln(2.5)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                pdf.set_font(FONT_FAMILY, size=10)
                pdf.set_text_color(31, 41, 51)
                pdf.multi_cell(0, 5, block.text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1.5)
            elif isinstance(block, Chart):
                _pdf_chart(pdf, block)
            else:
                _pdf_table(pdf, block, lang)
    return bytes(pdf.output())
