"""Editing a downloaded workbook as an analyst does in Excel, for the round-trip tests."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet


@dataclass
class Book:
    """A downloaded workbook opened for editing: cells found by header and by id."""

    book: openpyxl.Workbook

    @classmethod
    def of(cls, data: bytes) -> Book:
        return cls(openpyxl.load_workbook(io.BytesIO(data)))

    def sheet(self, name: str) -> Worksheet:
        return self.book[name]

    def header_row(self, name: str) -> int:
        sheet = self.sheet(name)
        for row in range(1, 11):
            if sheet.cell(row, 1).value in ("Id", "Van (id)", "From (id)"):
                return row
        raise AssertionError(f"no header row on {name}")

    def column(self, name: str, header: str) -> int:
        sheet = self.sheet(name)
        for cell in sheet[self.header_row(name)]:
            if cell.value == header:
                return int(cell.column)
        raise AssertionError(f"no column {header!r} on {name}")

    def row_of(self, name: str, *ids: str) -> int:
        """The row whose first cells are ``ids`` (an organisation's id; a link's source,
        and its target in the fourth column)."""
        sheet = self.sheet(name)
        for row in range(self.header_row(name) + 1, sheet.max_row + 1):
            if sheet.cell(row, 1).value != ids[0]:
                continue
            if len(ids) == 1 or sheet.cell(row, 4).value == ids[1]:
                return row
        raise AssertionError(f"no row {ids} on {name}")

    def get(self, name: str, row: int, header: str) -> object:
        return self.sheet(name).cell(row, self.column(name, header)).value

    def set(self, name: str, row: int, header: str, value: str | None) -> None:
        self.sheet(name).cell(row, self.column(name, header)).value = value

    def append(self, name: str, values: dict[str, str]) -> int:
        sheet = self.sheet(name)
        row = sheet.max_row + 1
        for header, value in values.items():
            sheet.cell(row, self.column(name, header)).value = value
        return row

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


def csv_rows(archive: bytes, entry: str) -> list[list[str]]:
    """The rows of one CSV file of a zip, read as Dutch Excel reads it (semicolons)."""
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        text = zipped.read(entry).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def rezip(archive: bytes, entry: str, rows: list[list[str]]) -> bytes:
    """The zip with one CSV file replaced, written as Dutch Excel saves it."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(archive)) as old,
        zipfile.ZipFile(buffer, "w") as new,
    ):
        for name in old.namelist():
            data = ("\ufeff" + out.getvalue()).encode() if name == entry else old.read(name)
            new.writestr(name, data)
    return buffer.getvalue()


def december_edits(workbook: bytes, *, bad_role: bool = True) -> tuple[bytes, int]:
    """The analyst's December edits to a Dutch workbook of the small test graph: ACME
    moved to Assen, a start-up added, UNI's part in action X removed, and (``bad_role``)
    TOWN's helix role mistyped. Returns the file and TOWN's row as Excel shows it."""
    book = Book.of(workbook)
    book.set("Organisaties", book.row_of("Organisaties", "acme"), "Plaats", "Assen")
    town = book.row_of("Organisaties", "town")
    book.set("Organisaties", town, "Helixrol", "Bedrijfstak" if bad_role else "Overheid")
    book.append(
        "Organisaties",
        {
            "Naam": "Zorg Start-up Assen",
            "Helixrol": "Bedrijfsleven",
            "Type organisatie": "Bedrijf",
            "Plaats": "Assen",
        },
    )
    book.sheet("Koppelingen").delete_rows(book.row_of("Koppelingen", "uni", "action-x-1"))
    return book.bytes(), town
