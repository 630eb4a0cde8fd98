"""The helixgraph command line (see ARCHITECTURE.md for the contract)."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from analytics.evaluation import Evaluation, average, evaluate, holdout_split, temporal_split
from analytics.matching import Need
from app.core import GraphCore
from app.errors import AppError, InvalidGraphError
from app.services.analytics import AnalyticsService, Options, summarise
from app.services.exchange import ExportFormat, export_graph, import_path, read_graph
from app.services.matching import MatchService
from app.services.memory import limit_arenas
from app.services.proposals import ProposalStore, proposal_lines, propose
from app.services.report import ReportService, render_html, render_pdf
from app.services.seeding import open_seeded_store, seed_store
from app.services.sync import InvalidSheetError, SyncOutcome, Upload, sync_upload
from app.services.tables import TableName, file_name, to_csv, to_xlsx
from app.settings import Settings
from app.store import GraphStore, UpsertResult
from app.store.base import Progress
from graph_schema import GraphValidationError, HelixRole, NodeLabel, OrgType
from graph_schema.bundle import describe_validation_error
from graph_schema.i18n import Language, number, t

cli = typer.Typer(
    name="helixgraph",
    help="The quadruple-helix network of the Agenda Gezondheidseconomie Drenthe.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(message: str) -> NoReturn:
    typer.echo(f"helixgraph: {message}", err=True)
    raise typer.Exit(1)


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        _fail("invalid setting: " + "; ".join(describe_validation_error(error)))


@contextmanager
def _store() -> Iterator[GraphStore]:
    """The configured store; any error becomes one line on stderr and exit code 1."""
    try:
        store = open_seeded_store(_settings())
    except AppError as error:
        _fail(error.detail)
    except GraphValidationError as error:
        _fail(f"the seed data has {len(error.problems)} problem(s): {error.problems[0]}")
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _progress_bar() -> Iterator[Progress | None]:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    columns = (
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with RichProgress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("import", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _summary(result: UpsertResult) -> str:
    return (
        f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged; "
        f"graph version {result.version}"
    )


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Service processes sharing the port; each keeps its own copy of the graph "
            "and follows the store's change log.",
        ),
    ] = 1,
    access_log: Annotated[
        bool,
        typer.Option(
            help="Log every request on standard output (a reverse proxy in front usually "
            "keeps this log; the line costs a tenth of a small request)."
        ),
    ] = False,
) -> None:
    """Run the HTTP API on the configured store."""
    import uvicorn

    from app.main import create_app

    settings = _settings()
    try:
        app = create_app(settings)  # refuses bad settings here, in one line, before any worker
    except AppError as error:
        _fail(error.detail)
    if workers > 1:
        del app  # each worker builds its own from the same environment
        _seed_once(settings)
        _supervise(host, port, workers, access_log=access_log)
    limit_arenas()  # a long-running process with many threads: see app.services.memory
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=access_log)


WORKER_ANSWER_S = 60
"""Seconds a worker may take to answer its supervisor before it is killed and replaced.
uvicorn's default, 5 s, kills workers that are still importing the application on a busy
machine (a new worker imports it whole before it first answers), and each replacement
is killed the same way."""


def _seed_once(settings: Settings) -> None:
    """Load the Drenthe agenda into a new store here, before the workers start: workers
    starting together would each find the store new, and on Neo4j each would log the
    whole agenda as a change of its own. A store that does not answer is left to the
    workers, which meet the same error and wait for the server or stop, as one process
    does."""
    try:
        store = open_seeded_store(settings)
    except AppError:
        return
    store.close()


def _supervise(host: str, port: int, workers: int, *, access_log: bool) -> NoReturn:
    """Become uvicorn's supervisor of ``workers`` service processes on one port.

    Each worker builds the app with :func:`app.main.create_app` from the environment,
    as this process did. The supervisor only starts, watches and replaces workers, so
    this process is replaced by a fresh interpreter running uvicorn alone: it keeps its
    process id (signals and containers see no difference) and holds about 25 MiB instead
    of the 220 MiB of the application this process has imported (see BENCHMARKS.md).
    ``MALLOC_ARENA_MAX`` does for each worker what :func:`limit_arenas` does here.
    """
    package_root = Path(__file__).resolve().parents[1]
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:create_app",
        "--factory",
        "--app-dir",
        str(package_root),
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--timeout-worker-healthcheck",
        str(WORKER_ANSWER_S),
        "--log-level",
        "info",
        "--access-log" if access_log else "--no-access-log",
    ]
    environment = {"MALLOC_ARENA_MAX": "2", **os.environ}
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, command, environment)  # noqa: S606 (our own interpreter)


@cli.command()
def seed() -> None:
    """Load the Drenthe agenda; running it again changes nothing."""
    with _store() as store:
        try:
            result = seed_store(store)
        except GraphValidationError as error:
            for problem in error.problems:
                typer.echo(f"seed: {problem}", err=True)
            _fail(f"the seed data has {len(error.problems)} problem(s); nothing was written")
        except AppError as error:
            _fail(error.detail)
        typer.echo(f"seeded: {_summary(result)}")


_LANG = typer.Option("--lang", help="nl (default) or en.")


@cli.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = (
        ExportFormat.JSON
    ),
    out: Annotated[
        Path | None, typer.Option(help="File to write; standard output when omitted.")
    ] = None,
    lang: Annotated[str, _LANG] = "nl",
) -> None:
    """Write the whole graph, every property and provenance included."""
    language = _language(lang)
    with _store() as store:
        data = export_graph(store.snapshot(), fmt, language)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        out.write_bytes(data)
    except OSError as error:
        _fail(f"cannot write {out}: {error.strerror}")


@cli.command("import")
def import_(
    path: Annotated[
        Path,
        typer.Argument(
            help="A file written by 'export --format json', or a CORDIS folder "
            "(organisations.csv, projects.csv, participations.csv)."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and report; write nothing.")
    ] = False,
) -> None:
    """Add or update nodes and relationships; a file with any problem is refused whole."""
    if not path.exists():
        _fail(f"cannot read {path}: no such file or folder")
    with _store() as store, _progress_bar() as progress:
        try:
            report = import_path(store, path, dry_run=dry_run, progress=progress)
        except OSError as error:
            _fail(f"cannot read {path}: {error.strerror}")
        except InvalidGraphError as error:
            for problem in error.problems:
                typer.echo(f"{path}: {problem}", err=True)
            _fail(f"{path}: {len(error.problems)} problem(s); nothing was imported")
        except AppError as error:
            _fail(error.detail)
    if report.dry_run:
        typer.echo(f"dry run, nothing written: would give {_summary(report.result)}")
    else:
        typer.echo(f"imported {path}: {_summary(report.result)}")


@cli.command("sync")
def sync_(
    path: Annotated[
        Path,
        typer.Argument(
            help="A workbook from GET /api/v1/sync/workbook (or its zip of CSV files), edited."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Compare and report; write nothing.")
    ] = False,
    lang: Annotated[str, typer.Option(help="Language of the lines: nl or en.")] = "nl",
) -> None:
    """Write an edited workbook of organisations and links to the graph in one version:
    a line per row added, changed, removed or invalid, then a summary. Any invalid cell:
    nothing is written and the exit code is 1."""
    language = _language(lang)
    try:
        upload = Upload(path.name, path.read_bytes())
    except OSError as error:
        _fail(f"cannot read {path}: {error.strerror}")
    with _store() as store:
        try:
            outcome = sync_upload(store, upload, lang=language, actor=None, dry_run=dry_run)
        except InvalidSheetError as error:
            outcome = SyncOutcome(error.plan, error.plan.version, dry_run=False, written=False)
        except InvalidGraphError as error:
            for problem in error.problems:
                typer.echo(f"{path}: {problem.text(language)}", err=True)
            _fail(t(language, "sync.cli.refused"))
        except AppError as error:
            _fail(f"{path}: {error.worded(language)}")
    for line in _sync_lines(outcome, language):
        typer.echo(line)
    plan = outcome.plan
    if plan.invalid:
        _fail(t(language, "sync.cli.refused"))
    if outcome.dry_run:
        typer.echo(t(language, "sync.cli.dry_run", v=outcome.version))
    elif outcome.written:
        typer.echo(t(language, "sync.cli.written", v=outcome.version))
    else:
        typer.echo(t(language, "sync.cli.nothing", v=outcome.version))


def _shown(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        return " | ".join(map(str, value))
    if isinstance(value, dict):
        return " · ".join(str(v) for v in value.values())
    return str(value)


def _sync_lines(outcome: SyncOutcome, lang: Language) -> list[str]:
    """One line per added, changed, removed and invalid row, then the summary."""
    plan = outcome.plan
    lines = []

    def where(sheet: str, row: int | None) -> str:
        return sheet if row is None else f"{sheet} {t(lang, 'sync.cli.row', row=row)}"

    for kind, items in (
        ("added", plan.added),
        ("changed", plan.changed),
        ("removed", plan.removed),
    ):
        for item in items:
            said = t(lang, f"sync.cli.{kind}")
            line = f"{said}: {where(item.sheet, item.row)}: {item.id} ({item.name})"
            changes = [f"{k}: {_shown(b)} → {_shown(a)}" for k, (b, a) in item.fields.items()]
            lines.append("; ".join([line, *changes]))
    for invalid in plan.invalid:
        cell = where(invalid.sheet, invalid.row)
        if invalid.column:
            cell += f", {invalid.column}"
        lines.append(
            f"{t(lang, 'sync.cli.invalid')}: {cell}: '{invalid.value}': {invalid.text(lang)}"
        )
    counts = {
        "added": len(plan.added),
        "changed": len(plan.changed),
        "removed": len(plan.removed),
        "invalid": len(plan.invalid),
    }
    lines.append(t(lang, "sync.cli.summary", **counts))
    return lines


class Lang(StrEnum):
    EN = "en"
    NL = "nl"


class ActivityKind(StrEnum):
    ACTION = "Action"
    PROJECT = "Project"
    NETWORK = "Network"


class Analysis(StrEnum):
    BROKERS = "brokers"
    GAPS = "gaps"
    COMMUNITIES = "communities"
    KPIS = "kpis"


@cli.command("analytics")
def analytics_(
    analysis: Annotated[Analysis, typer.Argument(help="Which analysis to run.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
    include_generic: Annotated[
        bool, typer.Option("--include-generic", help="Count groups such as 'mkb' too.")
    ] = False,
    theme: Annotated[
        list[str] | None, typer.Option("--theme", help="Only activities on this theme (id).")
    ] = None,
    role: Annotated[
        list[HelixRole] | None,
        typer.Option("--role", help="Only organisations with this helix role."),
    ] = None,
    org_type: Annotated[
        list[OrgType] | None, typer.Option("--type", help="Only organisations of this type.")
    ] = None,
    place: Annotated[
        list[str] | None,
        typer.Option("--place", help="Only organisations in this town, province or region."),
    ] = None,
    kind: Annotated[
        list[ActivityKind] | None,
        typer.Option("--kind", help="Only this kind of activity."),
    ] = None,
    missing_role: Annotated[
        HelixRole | None,
        typer.Option(
            "--missing-role",
            help="gaps: only activities lacking this role (industry: 'zonder bedrijfsleven').",
        ),
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the texts.")] = Lang.NL,
) -> None:
    """Brokers, gaps in the cross-overs, communities or KPIs of the stored graph."""
    options = Options(
        include_generic=include_generic,
        themes=frozenset(theme) if theme else None,
        kinds=frozenset(NodeLabel(k.value) for k in kind) if kind else None,
        helix_roles=frozenset(str(r) for r in role) if role else None,
        org_types=frozenset(str(o) for o in org_type) if org_type else None,
        places=frozenset(place) if place else None,
    )
    language: Language = "en" if lang is Lang.EN else "nl"
    with _store() as store:
        service = AnalyticsService(GraphCore(store))
        result: dict[str, Any]
        if analysis is Analysis.BROKERS:
            result = service.brokers(options, lang=language)
        elif analysis is Analysis.GAPS:
            wanted = None if missing_role is None else str(missing_role)
            result = service.gaps(options, missing_role=wanted, lang=language)
        elif analysis is Analysis.COMMUNITIES:
            result = service.communities(options, lang=language)
        else:
            result = service.kpis(options, lang=language)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    console = Console()
    for title, columns, rows in summarise(analysis.value, result, language):
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)


def _need_table(result: dict[str, Any], lang: Language) -> Table:
    asker = result["asker"]
    if asker:
        title = t(lang, "match.cli.titleOrg", name=asker["name"])
    else:
        title = t(lang, "match.cli.titleNeed")
    eligible = t(lang, "match.count.candidates", n=result["eligible"])
    caption = t(lang, "match.cli.caption", version=result["version"], eligible=eligible)
    table = Table(title=f"{title} ({caption})", title_justify="left")
    for key in ("rank", "organisation", "role", "score", "why", "introduction"):
        table.add_column(t(lang, f"match.cli.{key}"), overflow="fold")
    for c in result["candidates"]:
        intro = c["introduction"]["summary"] if c["introduction"] else c["introduction_note"]
        table.add_row(
            str(c["rank"]),
            c["name"],
            c["role_label"],
            number(c["score"], lang, 3),
            "; ".join(c["reasons"]),
            intro,
        )
    return table


def _print_suggestions(console: Console, explanation: dict[str, Any], lang: Language) -> None:
    """What to relax, after an empty or relaxed answer."""
    if explanation["suggestions"] and (explanation["summary"] or explanation["relaxed"]):
        console.print(t(lang, "match.cli.suggestions"), highlight=False)
        for suggestion in explanation["suggestions"]:
            console.print(f"- {suggestion['text']}", highlight=False)


def _evaluation_table(evaluation: Evaluation) -> Table:
    table = Table(
        title=f"{evaluation.description}: {evaluation.queries} organisations asked, "
        f"{evaluation.positives} hidden partners, {evaluation.candidates:.0f} candidates each",
        title_justify="left",
    )
    for column in ("method", "P@5", "P@10", "R@10", "MRR", "AUC"):
        table.add_column(column)
    for row in evaluation.rows:
        table.add_row(
            row.method,
            *(
                f"{v:.4f}"
                for v in (
                    row.precision_at_5,
                    row.precision_at_10,
                    row.recall_at_10,
                    row.mrr,
                    row.auc,
                )
            ),
        )
    return table


def _evaluate(
    store: GraphStore,
    data: Path | None,
    cutoff: str | None,
    queries: int,
    rounds: int,
    as_json: bool,
    lang: Language,
) -> None:
    if data is not None:
        try:
            graph = read_graph(data)
        except OSError as error:
            _fail(f"cannot read {data}: {error.strerror}")
        except InvalidGraphError as error:
            _fail(f"{data}: {len(error.problems)} problem(s), first: {error.problems[0]}")
    else:
        graph = store.snapshot()
    if cutoff is not None:
        try:
            when = date.fromisoformat(cutoff)
        except ValueError:
            _fail(t(lang, "match.cli.badCutoff", cutoff=cutoff))
        evaluations = [evaluate(temporal_split(graph, when), queries=queries)]
    else:
        evaluations = [
            evaluate(holdout_split(graph, 0.1, seed), queries=queries) for seed in range(rounds)
        ]
    if as_json:
        typer.echo(json.dumps([asdict(e) for e in evaluations], indent=2))
        return
    console = Console()
    for evaluation in evaluations if len(evaluations) == 1 else [average(evaluations)]:
        console.print(_evaluation_table(evaluation))


@cli.command("match")
def match_(
    org: Annotated[
        str | None, typer.Argument(help="The asking organisation: id, name or alias.")
    ] = None,
    top: Annotated[int, typer.Option(min=1, max=100, help="How many candidates.")] = 10,
    theme: Annotated[list[str] | None, typer.Option(help="Theme id (repeatable).")] = None,
    keyword: Annotated[list[str] | None, typer.Option(help="Word to match (repeatable).")] = None,
    role: Annotated[list[HelixRole] | None, typer.Option(help="Wanted helix role.")] = None,
    place: Annotated[str | None, typer.Option(help="Place, province or country code.")] = None,
    include_type: Annotated[list[OrgType] | None, typer.Option(help="Only these types.")] = None,
    exclude_type: Annotated[list[OrgType] | None, typer.Option(help="Not these types.")] = None,
    team: Annotated[list[str] | None, typer.Option(help="Organisation already on board.")] = None,
    lang: Annotated[
        Lang, typer.Option(help="Language of the reasons and headings (default Dutch).")
    ] = Lang.NL,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
    evaluate_: Annotated[
        bool,
        typer.Option(
            "--evaluate",
            help="Hide real collaborations and measure whether the matcher finds them, "
            "against the baselines (temporal split with --cutoff, else random hold-outs).",
        ),
    ] = False,
    data: Annotated[
        Path | None,
        typer.Option(help="With --evaluate: a CORDIS folder or JSON export instead of the store."),
    ] = None,
    cutoff: Annotated[
        str | None, typer.Option(help="With --evaluate: learn before this date (YYYY-MM-DD).")
    ] = None,
    queries: Annotated[
        int, typer.Option(min=1, help="With --evaluate: organisations to ask.")
    ] = 1000,
    rounds: Annotated[int, typer.Option(min=1, help="With --evaluate: random hold-outs.")] = 20,
) -> None:
    """Partners for an organisation or a need, ranked, with reasons and an introduction."""
    language: Language = "en" if lang is Lang.EN else "nl"
    with _store() as store:
        if evaluate_:
            _evaluate(store, data, cutoff, queries, rounds, as_json, language)
            return
        need = Need(
            org=org,
            themes=frozenset(theme or ()),
            keywords=tuple(keyword or ()),
            roles=frozenset(role or ()),
            place=place,
            include_types=frozenset(str(t) for t in include_type or ()),
            exclude_types=frozenset(str(t) for t in exclude_type or ()),
            team=tuple(team or ()),
        )
        try:
            result = MatchService(GraphCore(store)).match(need, top=top, lang=language)
        except AppError as error:
            _fail(error.detail)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    console = Console()
    if result["explanation"]["summary"]:
        console.print(result["explanation"]["summary"], highlight=False)
    if result["candidates"]:
        console.print(_need_table(result, language))
    _print_suggestions(console, result["explanation"], language)


# --------------------------------------------------------------------------- reports

_TABLE_FORMATS = ("csv", "xlsx")
_REPORT_FORMATS = ("html", "pdf")


def _language(lang: str) -> Language:
    if lang not in ("nl", "en"):
        _fail(t("nl", "cli.report.badLang", lang=lang))
    return "en" if lang == "en" else "nl"


def _format(fmt: str, choices: tuple[str, ...], lang: Language) -> str:
    if fmt not in choices:
        _fail(t(lang, "cli.report.badFormat", format=fmt, formats=", ".join(choices)))
    return fmt


def _deliver(content: bytes, out: Path | None, default: str | None, lang: Language) -> None:
    """Write ``content`` to ``out``; without it to standard output (a text format) or to
    ``default`` in the current folder (PDF and workbooks are not for a terminal)."""
    if out is None and default is None:
        typer.echo(content, nl=False)
        return
    path = out or Path(default or "")
    try:
        path.write_bytes(content)
    except OSError as error:
        _fail(t(lang, "cli.report.cannotWrite", file=path, reason=error.strerror))
    typer.echo(t(lang, "cli.report.written", file=path))


_REPORT_THEME = typer.Option(
    "--theme", help="Only activities on this theme (id, repeatable), e.g. theme-digitalisering."
)


@cli.command("report")
def report_(
    out: Annotated[
        Path | None,
        typer.Option(
            help="File to write; without it html goes to standard output and pdf to a file "
            "named after the report, its filter and graph version."
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="html (default) or pdf.")] = "html",
    theme: Annotated[list[str] | None, _REPORT_THEME] = None,
    lang: Annotated[str, _LANG] = "nl",
) -> None:
    """The monitoring report of the cooperation ('Monitor van de samenwerking')."""
    language = _language(lang)
    kind = _format(fmt, _REPORT_FORMATS, language)
    options = Options(themes=frozenset(theme) if theme else None)
    with _store() as store:
        try:
            service = ReportService(AnalyticsService(GraphCore(store)))
            made = service.report(options, language)
        except AppError as error:
            _fail(error.detail)
    if kind == "pdf":
        name = file_name(t(language, "report.title"), made.scope, kind)
        _deliver(render_pdf(made), out, name, language)
    else:
        _deliver(render_html(made).encode("utf-8"), out, None, language)


@cli.command("table")
def table_(
    name: Annotated[
        str,
        typer.Argument(
            help="theme-crossovers, helix-mix, missing-roles, brokers, communities or kpis.",
            show_default=False,
        ),
    ],
    fmt: Annotated[str, typer.Option("--format", help="csv (default) or xlsx.")] = "csv",
    out: Annotated[
        Path | None,
        typer.Option(
            help="File to write; without it csv goes to standard output and xlsx to a file "
            "named after the table, its filter and graph version."
        ),
    ] = None,
    theme: Annotated[list[str] | None, _REPORT_THEME] = None,
    lang: Annotated[str, _LANG] = "nl",
) -> None:
    """An analytics table for Excel: CSV as Dutch (or English) Excel opens it, or a workbook."""
    language = _language(lang)
    names = [str(n) for n in TableName]
    if name not in names:
        _fail(t(language, "cli.report.badTable", name=name, names=", ".join(names)))
    kind = _format(fmt, _TABLE_FORMATS, language)
    options = Options(themes=frozenset(theme) if theme else None)
    with _store() as store:
        try:
            made, scope = ReportService(AnalyticsService(GraphCore(store))).table(
                TableName(name), options, language
            )
        except AppError as error:
            _fail(error.detail)
    if kind == "xlsx":
        _deliver(to_xlsx([made], language), out, file_name(made, scope, kind), language)
    else:
        _deliver(to_csv(made, language), out, None, language)


@cli.command("propose")
def propose_(
    file: Annotated[
        Path, typer.Argument(help="The document: PDF, .docx or text.", show_default=False)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the proposal as JSON.")] = False,
    lang: Annotated[str, _LANG] = "nl",
) -> None:
    """Organisations, links and activities a document proposes, kept for review."""
    language = _language(lang)
    try:
        data = file.read_bytes()
    except OSError as error:
        _fail(t(language, "cli.propose.cannotRead", file=file, reason=error.strerror))
    with _store() as store:
        try:
            proposal = propose(data, file.name, store.snapshot(), version=store.version())
        except AppError as error:
            _fail(error.worded(language))
    proposal = ProposalStore(_settings().data_dir).keep(proposal)
    if as_json:
        typer.echo(json.dumps(proposal, ensure_ascii=False, indent=2))
        return
    for line in proposal_lines(proposal, language):
        typer.echo(line)


def main() -> None:
    # Store errors reach the user as one line from the command; the driver's own log
    # lines about dead connections would only repeat them.
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    cli()
