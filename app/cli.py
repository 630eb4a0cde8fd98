"""The helixgraph command line (see ARCHITECTURE.md for the contract)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError

from app.errors import AppError, InvalidGraphError
from app.services.exchange import ExportFormat, export_graph, import_document
from app.services.seeding import open_seeded_store, seed_store
from app.settings import Settings
from app.store import GraphStore, UpsertResult
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
    path: Annotated[Path, typer.Argument(help="A file written by 'export --format json'.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and report; write nothing.")
    ] = False,
) -> None:
    """Add or update nodes and relationships from a JSON interchange file, all or nothing."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        _fail(f"cannot read {path}: {error.strerror}")
    with _store() as store:
        try:
            report = import_document(store, raw, dry_run=dry_run)
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


def main() -> None:
    cli()
