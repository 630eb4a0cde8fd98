"""Tables for a report: one shape, written as CSV for Excel, as XLSX, as HTML and in a PDF.

Everything that hands a table to a person builds a :class:`Table` (a title, typed
columns, rows and a caption saying what filter and which graph version it shows) and
writes it with one of the writers here, so that a number looks the same in every format:
rounded to the column's precision, with a decimal comma in Dutch.

- :func:`to_csv`: for Excel as the reader's language sets it up. Dutch: semicolons,
  decimal comma; English: commas, decimal point. Always UTF-8 with a byte-order mark
  (without it Excel reads ë as two characters) and CRLF line ends.
- :func:`to_xlsx`: a workbook with a sheet per table: title row, caption row, header row,
  numbers stored as numbers with a number format, column widths, a filter on the header.
- :func:`to_html`: a ``<table>`` with its caption, numbers right-aligned.

The builders (:func:`analytics_table` and friends) turn the analytics results into the
tables the analyst asks for: the theme × theme and helix × helix heatmaps as one row per
cell, the activities missing a helix role, the brokers, the communities and the KPIs.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from analytics.matching import Need
from graph_schema import HelixRole
from graph_schema.i18n import Language, listing, t

__all__ = [
    "WEAK_RATIO",
    "Column",
    "Names",
    "Scope",
    "Table",
    "TableName",
    "Value",
    "analytics_table",
    "brokers_table",
    "cell_text",
    "communities_table",
    "describe_need",
    "file_name",
    "helix_cells",
    "helix_table",
    "kpis_table",
    "match_table",
    "missing_roles_table",
    "role_name",
    "theme_table",
    "to_csv",
    "to_html",
    "to_xlsx",
    "type_name",
]

Kind = Literal["text", "int", "decimal", "percent"]

WEAK_RATIO = 0.75
"""A cross-over is weak when it reaches less than this share of what is expected…"""
WEAK_MIN_EXPECTED = 1.0
"""…and at least this much was expected (0 of an expected 0.4 says nothing)."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header (already in the reader's language) and how to show values.

    ``kind`` ``"decimal"`` rounds to ``digits`` decimals; ``"percent"`` shows a share
    (0.75) as a percentage (75,0%) with ``digits`` decimals; ``"int"`` a whole number.
    """

    header: str
    kind: Kind = "text"
    digits: int = 2


@dataclass(frozen=True, slots=True)
class Value:
    """A cell that shows its number unlike its column (the value column of the KPIs)."""

    number: float | int | None
    kind: Kind = "decimal"
    digits: int = 2


Cell = str | int | float | bool | Value | None


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table with typed columns; ``caption`` says filter, version and date."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str = ""
    sheet: str = ""
    """A short name for a workbook sheet (the title when empty)."""
    stem: str = ""
    """The start of a file name: what the table is, in words without spaces."""


@dataclass(frozen=True, slots=True)
class Scope:
    """What a table or a report describes: the filter in words, graph version, date."""

    filter: str
    version: int
    made: date

    def day(self, lang: Language) -> str:
        """The date as people write it: 2 december 2026, 2 December 2026."""
        month = t(lang, f"report.month.{self.made.month}")
        return t(lang, "report.date", d=self.made.day, month=month, y=self.made.year)

    def caption(self, lang: Language) -> str:
        return t(lang, "table.caption", filter=self.filter, v=self.version, date=self.day(lang))


@dataclass(frozen=True, slots=True)
class Names:
    """Display names of the graph's nodes (id → name), from the same snapshot."""

    nodes: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, node_id: str) -> str:
        return self.nodes.get(node_id, node_id)


class TableName(StrEnum):
    """The tables of the analytics, as they are named in URLs."""

    THEME_CROSSOVERS = "theme-crossovers"
    HELIX_MIX = "helix-mix"
    MISSING_ROLES = "missing-roles"
    BROKERS = "brokers"
    COMMUNITIES = "communities"
    KPIS = "kpis"

    @property
    def analysis(self) -> str:
        """The analysis whose result the table is built from."""
        if self in (TableName.THEME_CROSSOVERS, TableName.HELIX_MIX, TableName.MISSING_ROLES):
            return "gaps"
        return str(self)


# --------------------------------------------------------------------------- cells


def _decimal(value: float, digits: int, lang: Language) -> str:
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]  # no "-0,00"
    return text.replace(".", ",") if lang == "nl" else text


def cell_text(value: Cell, column: Column, lang: Language) -> str:
    """The text of a cell as the reader's language writes it; empty for no value.

    >>> cell_text(0.3227513227, Column("r", "decimal", 2), "nl")
    '0,32'
    >>> cell_text(0.75, Column("s", "percent", 1), "en")
    '75.0%'
    >>> cell_text(True, Column("b"), "nl")
    'ja'
    >>> cell_text(Value(0.6015625, "percent", 1), Column("v", "decimal"), "nl")
    '60,2%'
    >>> cell_text(Value(None), Column("v", "decimal"), "nl")
    ''
    """
    number, kind, digits = _number(value, column)
    if number is not None:
        return _number_text(number, kind, digits, lang)
    if isinstance(value, Value | None):
        return ""
    if isinstance(value, bool):
        return t(lang, "common.yes" if value else "common.no")
    return str(value)


def _number_text(value: float, kind: Kind, digits: int, lang: Language) -> str:
    """A number rounded to ``digits`` as ``kind`` shows it (a whole number, a decimal,
    a percentage of a share); a float in a text column keeps the column's digits."""
    if kind == "int":
        return str(round(value))
    if kind == "percent":
        return _decimal(value * 100, digits, lang) + "%"
    if kind == "decimal" or isinstance(value, float):
        return _decimal(float(value), digits, lang)
    return str(value)


def _number(value: Cell, column: Column) -> tuple[float | int | None, Kind, int]:
    """(number, kind, digits) of a numeric cell; ``None`` for text, yes/no and empty."""
    if isinstance(value, Value):
        return value.number, value.kind, value.digits
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, "text", 0
    return value, column.kind, column.digits


# --------------------------------------------------------------------------- writers


def to_csv(table: Table, lang: Language) -> bytes:
    """The table as CSV that Excel opens with a double click, in the reader's language.

    Dutch: ``;`` between fields and a decimal comma; English: ``,`` and a decimal point
    (what Excel expects under each language's regional settings). UTF-8 with a
    byte-order mark, CRLF line ends, the header row first. Numbers are rounded to the
    column's precision and have no thousands separator.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "nl" else ",", lineterminator="\r\n")
    writer.writerow([column.header for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                _csv_field(value, column, lang)
                for value, column in zip(row, table.columns, strict=True)
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_field(value: Cell, column: Column, lang: Language) -> str:
    """A field of the CSV; a text that Excel would run as a formula (a name beginning
    with ``=``, ``+``, ``-`` or ``@``) is kept a text by a leading apostrophe.

    >>> _csv_field("=HYPERLINK(1)", Column("n"), "nl")
    "'=HYPERLINK(1)"
    >>> _csv_field(-0.5, Column("d", "decimal", 1), "nl")
    '-0,5'
    """
    text = cell_text(value, column, lang)
    if _number(value, column)[0] is None and text.startswith(_FORMULA_START):
        return "'" + text
    return text


_EXCEL_FORMATS: dict[Kind, str] = {"int": "0", "decimal": "0.{zeros}", "percent": "0.{zeros}%"}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _excel_format(kind: Kind, digits: int) -> str:
    pattern = _EXCEL_FORMATS.get(kind, "General")
    if digits <= 0:
        return pattern.replace(".{zeros}", "")
    return pattern.replace("{zeros}", "0" * digits)


def workbook_text(text: str) -> str:
    """The text without the control characters a workbook cannot hold (a tab or a bell
    typed into a keyword would otherwise make the whole file fail)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _stored(number: float, kind: Kind, digits: int) -> float | int:
    """The number as the workbook keeps it: rounded to what its format shows (a share
    shown as a percentage keeps two more decimals), so that a copied cell holds the
    number the reader saw.

    >>> _stored(0.32275132275132273, "decimal", 2), _stored(0.60156, "percent", 1)
    (0.32, 0.602)
    """
    if kind == "int":
        return round(number)
    if isinstance(number, int):
        return number
    return round(number, digits + 2 if kind == "percent" else digits)


def _sheet_name(table: Table, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("-", table.sheet or table.title)[:31] or "Blad"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def to_xlsx(tables: Sequence[Table], lang: Language) -> bytes:
    """The tables as an Excel workbook, one sheet each.

    Row 1 holds the title, row 2 the caption (filter, graph version, date), row 4 the
    headers (frozen, with a filter), the data below. Numbers are stored as numbers with
    a number format (Excel shows the decimal separator of its own regional settings);
    yes/no and texts are text. Columns are as wide as their content, up to a limit, and
    long texts wrap.
    """
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    book.properties.creator = "helixgraph"
    book.properties.title = tables[0].title if tables else ""
    header_fill = PatternFill("solid", fgColor="DCE6F0")
    rule = Border(bottom=Side(style="thin", color="1F2933"))
    taken: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table, taken))
        sheet.cell(row=1, column=1, value=workbook_text(table.title)).font = Font(
            bold=True, size=14
        )
        caption = sheet.cell(row=2, column=1, value=workbook_text(table.caption))
        caption.font = Font(italic=True, color="52606D")
        head = 4
        widths = [min(max(len(c.header), 6), 40) for c in table.columns]
        for j, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=head, column=j, value=workbook_text(column.header))
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.border = rule
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        wraps = [False] * len(table.columns)
        for i, row in enumerate(table.rows, start=head + 1):
            for j, (value, column) in enumerate(zip(row, table.columns, strict=True), start=1):
                number, kind, digits = _number(value, column)
                if number is not None:
                    cell = sheet.cell(row=i, column=j, value=_stored(number, kind, digits))
                    cell.number_format = _excel_format(kind, digits)
                    shown = len(cell_text(value, column, lang))
                else:
                    text = workbook_text(cell_text(value, column, lang))
                    cell = sheet.cell(row=i, column=j, value=text or None)
                    if text:
                        cell.data_type = "s"  # a name beginning with "=" is not a formula
                    shown = len(text)
                    if shown > 60:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                        wraps[j - 1] = True
                widths[j - 1] = max(widths[j - 1], min(shown, 60))
        for j, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(j)].width = width + 2
        sheet.freeze_panes = sheet.cell(row=head + 1, column=1)
        if table.columns:
            last = get_column_letter(len(table.columns))
            sheet.auto_filter.ref = f"A{head}:{last}{head + max(len(table.rows), 1)}"
        sheet.print_title_rows = f"{head}:{head}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_html(table: Table, lang: Language) -> str:
    """The table as an HTML ``<table>`` with its title as caption, numbers right-aligned."""
    numeric = [
        column.kind != "text" or any(isinstance(row[j], Value) for row in table.rows)
        for j, column in enumerate(table.columns)
    ]
    head = "".join(
        f'<th scope="col"{" class=num" if numeric[j] else ""}>{html.escape(c.header)}</th>'
        for j, c in enumerate(table.columns)
    )
    body = []
    for row in table.rows:
        cells = "".join(
            f"<td{' class=num' if numeric[j] else ''}>"
            f"{html.escape(cell_text(value, column, lang))}</td>"
            for j, (value, column) in enumerate(zip(row, table.columns, strict=True))
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        f"<table><caption>{html.escape(table.title)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def file_name(table: Table | str, scope: Scope, extension: str) -> str:
    """A file name that says what and which version: ``verbinders-thema-digitalisering-v12.csv``.

    >>> file_name("Verbinders", Scope("Thema Digitalisering", 12, date(2026, 1, 2)), "csv")
    'verbinders-thema-digitalisering-v12.csv'
    """
    what = table if isinstance(table, str) else table.stem or table.sheet or table.title
    words = re.sub(r"[^a-z0-9]+", "-", _ascii(f"{what} {scope.filter}").lower()).strip("-")
    return f"{words[:80].rstrip('-')}-v{scope.version}.{extension}"


def _ascii(text: str) -> str:
    import unicodedata  # noqa: PLC0415 - only file names need it

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# --------------------------------------------------------------------------- builders


def role_name(role: str | None, lang: Language) -> str:
    return t(lang, f"role.{role}") if role else ""


def _roles(roles: Sequence[str], lang: Language) -> str:
    return ", ".join(role_name(role, lang) for role in roles)


def _table(
    name: TableName,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    scope: Scope,
    lang: Language,
    title: str | None = None,
) -> Table:
    return Table(
        title=title or t(lang, f"table.title.{name}"),
        columns=tuple(columns),
        rows=tuple(tuple(row) for row in rows),
        caption=scope.caption(lang),
        sheet=t(lang, f"table.sheet.{name}"),
        stem=t(lang, f"table.file.{name}"),
    )


def theme_table(gaps: Mapping[str, Any], names: Names, scope: Scope, lang: Language) -> Table:
    """Theme × theme: one row per pair of themes, weakest cross-over first."""
    columns = (
        Column(t(lang, "table.theme_a")),
        Column(t(lang, "table.theme_b")),
        Column(t(lang, "table.observed_orgs"), "int"),
        Column(t(lang, "table.expected"), "decimal", 1),
        Column(t(lang, "table.ratio"), "decimal", 2),
        Column(t(lang, "table.weak")),
        Column(t(lang, "table.shared_activities"), "int"),
        Column(t(lang, "table.organisations_behind")),
    )
    rows = [
        (
            names(p["theme_a"]),
            names(p["theme_b"]),
            p["observed"],
            p["expected"],
            p["ratio"],
            is_weak(p["observed"], p["expected"]),
            p["shared_activities"],
            ", ".join(sorted((names(o) for o in p["organisations"]), key=str.casefold)),
        )
        for p in gaps["theme_crossovers"]["pairs"]
    ]
    return _table(TableName.THEME_CROSSOVERS, columns, rows, scope, lang)


def is_weak(observed: float, expected: float | None) -> bool:
    """Well below expectation: under :data:`WEAK_RATIO` of at least
    :data:`WEAK_MIN_EXPECTED` expected."""
    return (
        expected is not None
        and expected >= WEAK_MIN_EXPECTED
        and (observed / expected < WEAK_RATIO)
    )


@dataclass(frozen=True, slots=True)
class HelixCell:
    role_a: str
    role_b: str
    observed: int
    expected: float
    ratio: float | None
    density: float | None


def helix_cells(helix_mix: Mapping[str, Any]) -> list[HelixCell]:
    """The helix × helix matrix as cells (each pair once, diagonal included), with
    the ties expected if organisations tied at random, whatever their group: all ties
    spread over all possible pairs, ``ties × pairs(a, b) / pairs(all)`` — the explorer's
    heatmap uses the same expectation."""
    roles: list[str] = list(helix_mix["roles"])
    sizes = [int(helix_mix["sizes"].get(role, 0)) for role in roles]
    ties: list[list[int]] = helix_mix["ties"]
    density: list[list[float | None]] = helix_mix["density"]
    total = sum(ties[i][j] for i in range(len(roles)) for j in range(i, len(roles)))
    n = sum(sizes)
    all_pairs = n * (n - 1) / 2
    cells = []
    for i, a in enumerate(roles):
        for j in range(i, len(roles)):
            pairs = sizes[i] * (sizes[i] - 1) / 2 if i == j else sizes[i] * sizes[j]
            expected = total * pairs / all_pairs if all_pairs else 0.0
            observed = ties[i][j]
            cells.append(
                HelixCell(
                    role_a=a,
                    role_b=roles[j],
                    observed=observed,
                    expected=expected,
                    ratio=observed / expected if expected > 0 else None,
                    density=density[i][j],
                )
            )
    return cells


def helix_table(gaps: Mapping[str, Any], scope: Scope, lang: Language) -> Table:
    """Helix × helix: ties within and between the four roles, observed and expected."""
    columns = (
        Column(t(lang, "table.role_a")),
        Column(t(lang, "table.role_b")),
        Column(t(lang, "table.observed_ties"), "int"),
        Column(t(lang, "table.expected"), "decimal", 1),
        Column(t(lang, "table.ratio"), "decimal", 2),
        Column(t(lang, "table.weak")),
        Column(t(lang, "table.density"), "decimal", 3),
    )
    rows = [
        (
            role_name(c.role_a, lang),
            role_name(c.role_b, lang),
            c.observed,
            c.expected,
            c.ratio,
            is_weak(c.observed, c.expected),
            c.density,
        )
        for c in helix_cells(gaps["helix_mix"])
    ]
    return _table(TableName.HELIX_MIX, columns, rows, scope, lang)


def missing_role_entries(gaps: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Activities and themes lacking a helix role or having one only through a generic
    group ("mkb"), activities first, most roles missing first.

    Under a theme filter only the filtered themes get a row of their own (an activity
    may address other themes too). Under a "without this role" filter
    (``filters.missing_role`` of the answer) only the activities and themes lacking that
    role or holding it only through a generic group: the rows the page lists, and a
    theme only when it is such a row too.
    """
    roles = gaps["missing_roles"]
    filters = gaps.get("filters") or {}
    role = filters.get("missing_role")
    chosen = {x["id"] if isinstance(x, Mapping) else x for x in filters.get("theme") or ()}
    themes = [e for e in roles["themes"] if not chosen or e["id"] in chosen]
    return [
        entry
        for entry in (*roles["activities"], *themes)
        if (
            role in entry["missing"] or role in entry["generic_only"]
            if role
            else entry["missing"] or entry["generic_only"]
        )
    ]


def missing_roles_table(gaps: Mapping[str, Any], scope: Scope, lang: Language) -> Table:
    """Per activity (and theme) the helix roles missing and present, and the roles only
    a generic group such as "mkb" brings."""
    columns = (
        Column(t(lang, "table.kind")),
        Column(t(lang, "table.activity")),
        Column(t(lang, "table.missing"), "text"),
        Column(t(lang, "table.present")),
        Column(t(lang, "table.generic_only")),
        Column(t(lang, "table.organisations"), "int"),
        Column(t(lang, "table.id")),
    )
    rows = [
        (
            t(lang, f"kind.{entry['kind']}"),
            entry["name"],
            _roles(entry["missing"], lang),
            _roles(entry["present"], lang),
            _roles(entry["generic_only"], lang),
            entry["organisations"],
            entry["id"],
        )
        for entry in missing_role_entries(gaps)
    ]
    return _table(TableName.MISSING_ROLES, columns, rows, scope, lang)


def brokers_table(
    brokers: Mapping[str, Any], scope: Scope, lang: Language, *, top: int | None = None
) -> Table:
    """The brokers, best first, with their measures and the reason in words."""
    columns = (
        Column(t(lang, "metric.rank"), "int"),
        Column(t(lang, "table.organisation")),
        Column(t(lang, "table.role")),
        Column(t(lang, "metric.degree"), "int"),
        Column(t(lang, "metric.betweenness"), "decimal", 3),
        Column(t(lang, "metric.constraint"), "decimal", 3),
        Column(t(lang, "metric.effective_size"), "decimal", 1),
        Column(t(lang, "table.brokerage"), "int"),
        Column(t(lang, "metric.articulation")),
        Column(t(lang, "table.cut_off"), "int"),
        Column(t(lang, "metric.score"), "decimal", 3),
        Column(t(lang, "table.reason")),
    )
    rows = [
        (
            r["rank"],
            r["name"],
            role_name(r["helix_role"], lang),
            r["degree"],
            r["betweenness"],
            r["constraint"],
            r["effective_size"],
            (r.get("brokerage") or {}).get("total"),
            bool(r["is_articulation_point"]),
            r["cut_off"],
            r["score"],
            r["reason"],
        )
        for r in brokers["rows"][:top]
    ]
    return _table(TableName.BROKERS, columns, rows, scope, lang)


def helix_mix_text(mix: Mapping[str, int], lang: Language) -> str:
    """``Kennis & onderwijs 7, Maatschappij 6, …``: largest group first, empty ones left out."""
    ordered = sorted(((n, role) for role, n in mix.items() if n), key=lambda x: -x[0])
    return ", ".join(f"{role_name(role, lang)} {n}" for n, role in ordered)


def communities_table(
    communities: Mapping[str, Any], names: Names, scope: Scope, lang: Language
) -> Table:
    """The communities, largest first: size, dominant themes, helix mix and members."""
    columns = (
        Column(t(lang, "table.community"), "int"),
        Column(t(lang, "table.organisations"), "int"),
        Column(t(lang, "table.themes")),
        Column(t(lang, "table.helix_mix")),
        Column(t(lang, "table.members")),
    )
    rows = [
        (
            c["id"],
            c["size"],
            listing([names(x["theme"]) for x in c["themes"]], lang, limit=3),
            helix_mix_text(c["helix_mix"], lang),
            ", ".join(sorted((names(m) for m in c["members"]), key=str.casefold)),
        )
        for c in communities["communities"]
    ]
    return _table(TableName.COMMUNITIES, columns, rows, scope, lang)


_KPI_FORMATS: dict[str, tuple[Kind, int]] = {
    "organisations": ("int", 0),
    "ties": ("int", 0),
    "density": ("decimal", 3),
    "average_degree": ("decimal", 1),
    "cross_helix_share": ("percent", 1),
    "isolated": ("int", 0),
    "components": ("int", 0),
    "largest_component_share": ("percent", 1),
    "actions": ("int", 0),
    "actions_with_all_four_roles": ("int", 0),
    "helix_completeness": ("percent", 1),
}


def kpi_rows(kpis: Mapping[str, Any], names: Names, lang: Language) -> list[tuple[str, Value]]:
    """(label, value) of every KPI: the scalars, then the companies per theme."""
    rows: list[tuple[str, Value]] = []
    for key, value in kpis.items():
        if key == "version" or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        kind, digits = _KPI_FORMATS.get(
            key, ("int", 0) if isinstance(value, int) else ("decimal", 2)
        )
        rows.append((t(lang, f"kpi.{key}"), Value(value, kind, digits)))
    per_theme: Mapping[str, int] = kpis.get("industry_per_theme") or {}
    for theme, n in sorted(per_theme.items(), key=lambda x: names(x[0]).casefold()):
        rows.append((t(lang, "table.kpi.industry_theme", theme=names(theme)), Value(n, "int", 0)))
    return rows


def kpis_table(kpis: Mapping[str, Any], names: Names, scope: Scope, lang: Language) -> Table:
    """The cooperation KPIs, one per row, each with its own number format."""
    columns = (Column(t(lang, "table.indicator")), Column(t(lang, "table.value"), "decimal"))
    return _table(TableName.KPIS, columns, kpi_rows(kpis, names, lang), scope, lang)


def describe_need(need: Need, asker: str | None, names: Names, lang: Language) -> str:
    """What a match was asked for, in words, for a table's caption.

    >>> describe_need(Need(keywords=("PGO",), place="Roden"), None, Names(), "nl")
    'Trefwoord PGO; plaats Roden'
    >>> describe_need(Need(org="bdrc"), "BDRC", Names(), "en")
    'For BDRC'
    """
    parts: list[str] = []
    if asker:
        parts.append(t(lang, "table.match.asker", name=asker))
    if need.team:
        team = [names(member) for member in need.team]
        parts.append(t(lang, "table.match.team", n=len(team), names=listing(team, lang, 10)))
    if need.themes:
        themes = sorted((names(theme) for theme in need.themes), key=str.casefold)
        parts.append(
            t(lang, "report.filter.themes", n=len(themes), names=listing(themes, lang, 10))
        )
    if need.keywords:
        words = list(need.keywords)
        parts.append(t(lang, "table.match.keywords", n=len(words), names=listing(words, lang, 10)))
    if need.roles:
        roles = [role_name(str(r), lang).lower() for r in HelixRole if r in need.roles]
        parts.append(t(lang, "report.filter.roles", n=len(roles), names=listing(roles, lang)))
    if need.place:
        parts.append(t(lang, "report.filter.places", n=1, names=need.place))
    if need.include_types:
        kinds = [type_name(x, lang).lower() for x in sorted(need.include_types)]
        parts.append(t(lang, "report.filter.types", n=len(kinds), names=listing(kinds, lang)))
    if need.exclude_types:
        kinds = [type_name(x, lang).lower() for x in sorted(need.exclude_types)]
        parts.append(t(lang, "table.match.exclude_types", names=listing(kinds, lang)))
    if need.include_existing:
        parts.append(t(lang, "table.match.existing"))
    text = "; ".join(parts) or t(lang, "table.match.need")
    return text[0].upper() + text[1:]


def type_name(org_type: str, lang: Language) -> str:
    """The organisation type as the explorer names it: ``Zorgaanbieder``."""
    return t(lang, f"type.{org_type}")


def match_table(answer: Mapping[str, Any], scope: Scope, lang: Language) -> Table:
    """The candidates of a match answer (see :class:`app.services.matching.MatchService`)
    as a short list to send on: rank, name, helix role, type, place, score, the reasons
    and the introduction path (the chain of collaborations, else why there is none)."""
    columns = (
        Column(t(lang, "metric.rank"), "int"),
        Column(t(lang, "table.organisation")),
        Column(t(lang, "table.role")),
        Column(t(lang, "table.org_type")),
        Column(t(lang, "table.place")),
        Column(t(lang, "metric.score"), "decimal", 2),
        Column(t(lang, "table.reasons")),
        Column(t(lang, "table.introduction")),
    )
    rows = [
        (
            c["rank"],
            c["name"],
            c["role_label"],
            c["type_label"],
            c["place"],
            c["score"],
            "; ".join(c["reasons"]),
            (c["introduction"] or {}).get("summary") or c["introduction_note"],
        )
        for c in answer["candidates"]
    ]
    return Table(
        title=t(lang, "table.title.match"),
        columns=columns,
        rows=tuple(rows),
        caption=scope.caption(lang),
        sheet=t(lang, "table.sheet.match"),
        stem=t(lang, "table.file.match"),
    )


def analytics_table(
    name: TableName, result: Mapping[str, Any], names: Names, scope: Scope, lang: Language
) -> Table:
    """The table ``name`` from the result of its analysis (:attr:`TableName.analysis`)."""
    if name is TableName.THEME_CROSSOVERS:
        return theme_table(result, names, scope, lang)
    if name is TableName.HELIX_MIX:
        return helix_table(result, scope, lang)
    if name is TableName.MISSING_ROLES:
        return missing_roles_table(result, scope, lang)
    if name is TableName.BROKERS:
        return brokers_table(result, scope, lang)
    if name is TableName.COMMUNITIES:
        return communities_table(result, names, scope, lang)
    return kpis_table(result, names, scope, lang)
