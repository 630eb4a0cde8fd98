"""helixgraph sync: an edited workbook from the command line, on the embedded store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.services.sync import workbook
from app.store import EmbeddedStore
from graph_schema.interchange import graph_to_document
from tests.conftest import small_graph
from tests.sheets import december_edits

runner = CliRunner()


@pytest.fixture
def store_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HELIX_DATA_DIR", str(folder))
    monkeypatch.setenv("HELIX_STORE", "embedded")
    monkeypatch.setenv("HELIX_SEED_ON_FIRST_START", "false")
    folder.mkdir()
    path = folder / "helixgraph.sqlite3"
    with EmbeddedStore(path) as store:
        store.upsert(small_graph())
    return path


def download(path: Path, lang: str = "nl") -> bytes:
    with EmbeddedStore(path) as store:
        return workbook(store.snapshot(), store.version(), "nl" if lang == "nl" else "en")


def state(path: Path) -> tuple[int, dict[str, object]]:
    with EmbeddedStore(path) as store:
        return store.version(), graph_to_document(store.snapshot())


def run(*args: str) -> tuple[int, list[str], str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.stdout.splitlines(), result.stderr


def test_a_dry_run_prints_a_line_per_edit_and_a_bad_cell_writes_nothing(
    store_file: Path, tmp_path: Path
) -> None:
    data, town_row = december_edits(download(store_file))
    sheet = tmp_path / "december.xlsx"
    sheet.write_bytes(data)
    before = state(store_file)
    code, lines, err = run("sync", str(sheet), "--dry-run")
    assert code == 1
    assert err.strip() == "helixgraph: er is niets geschreven"
    assert lines[0].startswith("toegevoegd: Organisaties rij ")
    assert lines[0].endswith(": zorg-start-up-assen (Zorg Start-up Assen)")
    assert lines[1].startswith("gewijzigd: Organisaties rij ")
    assert "acme (ACME); place: Roden → Assen; provenance: " in lines[1]
    assert lines[2] == "verwijderd: Koppelingen: PARTNER_IN uni action-x-1 (UNI partner in Do X)"
    assert lines[3] == (
        f"ongeldig: Organisaties rij {town_row}, Helixrol: 'Bedrijfstak': 'Bedrijfstak' is "
        "geen bekende waarde; kies uit Overheid, Kennis & onderwijs, Bedrijfsleven, Maatschappij"
    )
    assert lines[4:] == ["1 toegevoegd, 1 gewijzigd, 1 verwijderd, 1 ongeldig"]
    code, lines, err = run("sync", str(sheet))  # without --dry-run: refused all the same
    assert code == 1
    assert lines[-1] == "1 toegevoegd, 1 gewijzigd, 1 verwijderd, 1 ongeldig"
    assert state(store_file) == before


def test_the_fixed_file_is_written_once_and_then_has_no_difference(
    store_file: Path, tmp_path: Path
) -> None:
    data, _ = december_edits(download(store_file), bad_role=False)
    sheet = tmp_path / "december.xlsx"
    sheet.write_bytes(data)
    version, _ = state(store_file)
    code, lines, err = run("sync", str(sheet))
    assert code == 0, err
    assert lines[-2:] == [
        "1 toegevoegd, 1 gewijzigd, 1 verwijderd, 0 ongeldig",
        f"geschreven als gegevensversie {version + 1}",
    ]
    with EmbeddedStore(store_file) as store:
        (change,) = store.changes(version)
        assert change.note == "december.xlsx"
        assert "zorg-start-up-assen" in change.nodes
    code, lines, err = run("sync", str(sheet))
    assert code == 0, err
    assert lines == [
        "0 toegevoegd, 0 gewijzigd, 0 verwijderd, 0 ongeldig",
        f"geen verschil; er is niets geschreven (gegevensversie {version + 1})",
    ]


def test_lines_in_english_and_an_english_workbook(store_file: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "list.zip"
    with EmbeddedStore(store_file) as store:
        data = workbook(store.snapshot(), store.version(), "en", "csv", date(2026, 12, 3))
    sheet.write_bytes(data)
    code, lines, err = run("sync", str(sheet), "--dry-run", "--lang", "en")
    assert code == 0, err
    assert lines == [
        "0 added, 0 changed, 0 removed, 0 invalid",
        f"dry run, nothing was written (graph version {state(store_file)[0]})",
    ]


def test_a_missing_or_unreadable_file_is_one_line(store_file: Path, tmp_path: Path) -> None:
    code, lines, err = run("sync", str(tmp_path / "nothing.xlsx"))
    assert (code, lines) == (1, [])
    assert err.startswith("helixgraph: cannot read ")
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    code, lines, err = run("sync", str(text))
    assert (code, lines) == (1, [])
    assert err.strip() == (
        f"helixgraph: {text}: het bestand is geen Excel-werkmap (.xlsx) en geen zip met "
        "CSV-bestanden van helixgraph"
    )
