"""The analyst's tables and report from the command line, read back as Excel, openpyxl and
a PDF reader would read them; bad input is one line on stderr and exit code 1."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from app.cli import cli

runner = CliRunner()


@pytest.fixture(autouse=True)
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELIX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HELIX_STORE", "embedded")
    monkeypatch.setenv("HELIX_SEED_ON_FIRST_START", "false")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(cli, ["seed"]).exit_code == 0


def rows(args: list[str], delimiter: str = ";") -> list[list[str]]:
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    body = result.stdout_bytes
    assert body.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in body
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_a_table_goes_to_standard_output_as_dutch_excel_reads_it() -> None:
    header, *cells = rows(["table", "theme-crossovers"])
    assert header[:5] == [
        "Thema A",
        "Thema B",
        "Organisaties in beide (waargenomen)",
        "Verwacht",
        "Verhouding waargenomen/verwacht",
    ]
    assert len(cells) == 15  # the pairs of the six themes, as cells
    assert all(re.fullmatch(r"\d+,\d", row[3]) for row in cells)
    digital = rows(["table", "theme-crossovers", "--theme", "theme-digitalisering"])[1:]

    def organisations(table: list[list[str]]) -> set[str]:
        return {o for row in table for o in row[7].split(", ") if o}

    assert 0 < len(organisations(digital)) < len(organisations(cells))
    english = rows(["table", "brokers", "--lang", "en"], delimiter=",")
    assert english[0][:2] == ["Rank", "Organisation"]
    assert all(re.fullmatch(r"[01]\.\d{3}", row[4]) for row in english[1:])


def test_a_workbook_is_written_where_asked_with_numbers_as_numbers(tmp_path: Path) -> None:
    target = tmp_path / "kengetallen.xlsx"
    result = runner.invoke(
        cli,
        [
            "table",
            "kpis",
            "--format",
            "xlsx",
            "--out",
            str(target),
            "--theme",
            "theme-digitalisering",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"{target} geschreven"
    sheet = load_workbook(target)["Kengetallen"]
    assert str(sheet["A2"].value).startswith("Thema Digitalisering · gegevensversie 1 · ")
    values = {row[0].value: row[1] for row in sheet.iter_rows(min_row=5)}
    assert isinstance(values["Organisaties"].value, int)
    assert isinstance(values["Dichtheid"].value, float)
    assert values["Dichtheid"].number_format == "0.000"


def test_the_pdf_report_is_written_under_its_own_name(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["report", "--format", "pdf", "--theme", "theme-digitalisering"])
    assert result.exit_code == 0, result.stderr
    target = tmp_path / "monitor-van-de-samenwerking-thema-digitalisering-v1.pdf"
    assert result.stdout.strip() == f"{target.name} geschreven"
    assert target.read_bytes().startswith(b"%PDF")
    pdf = PdfReader(target)
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert text.startswith("Monitor van de samenwerking")
    assert "Filter Thema Digitalisering" in text
    assert "Medische technologie" in text


def test_the_html_report_goes_to_standard_output_in_the_asked_language() -> None:
    result = runner.invoke(cli, ["report", "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    assert page.startswith('<!DOCTYPE html><html lang="en">')
    assert "<h1>Cooperation monitor</h1>" in page
    assert "<title>Theme × theme" in page
    assert "Legend: observed divided by expected" in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["table", "organisaties"], "onbekende tabel ‘organisaties’; kies uit theme-crossovers"),
        (["table", "kpis", "--format", "docx"], "onbekend formaat ‘docx’; kies uit csv, xlsx"),
        (["report", "--format", "docx"], "onbekend formaat ‘docx’; kies uit html, pdf"),
        (["report", "--lang", "fr"], "onbekende taal ‘fr’; kies nl of en"),
        (["report", "--theme", "theme-ruimtevaart"], "Onbekend thema theme-ruimtevaart;"),
        (["table", "kpis", "--out", "/geen/map/k.csv"], "kan /geen/map/k.csv niet schrijven"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_one(args: list[str], message: str) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"helixgraph: {message}")
