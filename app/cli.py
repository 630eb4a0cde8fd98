"""The helixgraph command line (see ARCHITECTURE.md for the contract)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from app.errors import AppError, InvalidGraphError
from app.services.analytics import AnalyticsService, Options, summarise
from app.services.exchange import ExportFormat, export_graph, import_path
from app.services.seeding import open_seeded_store, seed_store
from app.services.snapshots import SnapshotCache
from app.settings import Settings
from app.store import GraphStore, UpsertResult
from app.store.base import Progress
from graph_schema import GraphValidationError
from graph_schema.bundle import describe_validation_error

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
) -> None:
    """Run the HTTP API on the configured store."""
    import uvicorn

    from app.main import create_app

    try:
        app = create_app(_settings())
    except AppError as error:
        _fail(error.detail)
    uvicorn.run(app, host=host, port=port, log_level="info")


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


@cli.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = (
        ExportFormat.JSON
    ),
    out: Annotated[
        Path | None, typer.Option(help="File to write; standard output when omitted.")
    ] = None,
) -> None:
    """Write the whole graph, every property and provenance included."""
    with _store() as store:
        data = export_graph(store.snapshot(), fmt)
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
) -> None:
    """Brokers, gaps in the cross-overs, communities or KPIs of the stored graph."""
    options = Options(include_generic=include_generic)
    with _store() as store:
        service = AnalyticsService(SnapshotCache())
        compute = {
            Analysis.BROKERS: service.brokers,
            Analysis.GAPS: service.gaps,
            Analysis.COMMUNITIES: service.communities,
            Analysis.KPIS: service.kpis,
        }[analysis]
        result = compute(store, options)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    console = Console()
    for title, columns, rows in summarise(analysis.value, result):
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)


def main() -> None:
    cli()
