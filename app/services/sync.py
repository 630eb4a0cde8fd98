"""The analyst's lists in Excel: organisations and their links as a workbook, edited in
Excel and uploaded again.

Download (:func:`workbook`): an XLSX workbook with the sheets "Organisaties" and
"Koppelingen" ("Organisations" and "Links" in English), or the same two sheets as a zip
of CSV files for Excel in the reader's language (:func:`app.services.tables.to_csv`:
semicolons for Dutch Excel). Headers come from the catalogue; helix roles, organisation
types, relations and roles are written in words ("Bedrijfsleven"), lists are joined by
" | ", yes/no in words. Every row carries its provenance in three columns.

Upload (:func:`read_upload`, :func:`plan_sync`): a workbook or a zip of CSV files with
the headers of either language. Input is read generously: a code ("industry") or the
word of either language ("Bedrijfsleven", "Industry") in any case; an empty id is made
from the name; a link's end may be given by name instead of id. Every cell is checked
against the graph's models; a cell that does not fit is one :class:`Invalid` (sheet, row
number as Excel shows it, column header, value, reason). The rest is compared with the
stored graph: organisations and links added, changed (each field before and after) and
removed (stored but no longer on the sheet). Provenance of a new or changed row: its
source columns when the analyst filled or edited them, else the file itself (source =
file name, section = sheet and row, quote = the row's name).

Apply (:func:`apply_plan`): nothing is written while any cell is invalid; otherwise
every change goes to the store as one batch through
:func:`app.services.editing.apply_batch`: one graph version, one change-log entry with
the file's name as its note.
"""

from __future__ import annotations

import csv
import email.parser
import email.policy
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, Literal
from urllib.parse import unquote

from openpyxl import load_workbook
from openpyxl.packaging.custom import IntProperty
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import TypeAdapter, ValidationError

from app.errors import InvalidRequestError, Message
from app.services.editing import Batch, EdgeKey, apply_batch
from app.services.export_sheets import stable_zip
from app.services.tables import Cell, Column, Scope, Table, to_csv, to_xlsx
from app.store import GraphStore
from graph_schema import GraphData
from graph_schema.enums import CODE_LISTS, RELATION_PREFIX, NodeLabel, RelType
from graph_schema.i18n import LANGUAGES, Language, t
from graph_schema.interchange import edge_document, etag_of, node_document
from graph_schema.models import (
    ID_PATTERN,
    RELATIONSHIP_RULES,
    Node,
    Organisation,
    Provenance,
    Relationship,
)
from graph_schema.names import name_key
from graph_schema.places import province_of
from graph_schema.wording import FieldError, LabelChoice, LabelWord, Worded, word

__all__ = [
    "Invalid",
    "InvalidSheetError",
    "Item",
    "SheetKind",
    "SyncOutcome",
    "SyncPlan",
    "Upload",
    "WorkbookFormat",
    "apply_plan",
    "plan_sync",
    "read_upload",
    "sync_upload",
    "upload_from_request",
    "workbook",
    "workbook_name",
]

SheetKind = Literal["organisations", "links"]
SHEET_KINDS: tuple[SheetKind, ...] = ("organisations", "links")
RecordKind = Literal["organisation", "link"]
WorkbookFormat = Literal["xlsx", "csv"]

ORG_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "aliases",
    "helix_role",
    "secondary_roles",
    "org_type",
    "place",
    "province",
    "region",
    "place_source",
    "country",
    "generic",
    "description",
    "website",
)
LINK_COLUMNS: tuple[str, ...] = ("source", "source_name", "type", "target", "target_name", "role")
PROVENANCE_COLUMNS: tuple[str, ...] = (
    "provenance.source",
    "provenance.section",
    "provenance.quote",
)
COLUMNS: Mapping[SheetKind, tuple[str, ...]] = {
    "organisations": (*ORG_COLUMNS, *PROVENANCE_COLUMNS),
    "links": (*LINK_COLUMNS, *PROVENANCE_COLUMNS),
}
_REQUIRED: Mapping[SheetKind, tuple[str, ...]] = {
    "organisations": ("name", "helix_role", "org_type"),
    "links": ("type",),
}
_ANCHORS: Mapping[SheetKind, frozenset[str]] = {
    "organisations": frozenset({"id", "name", "helix_role"}),
    "links": frozenset({"type", "target", "target_name"}),
}
_LIST_SEPARATOR = " | "
_MAX_UNPACKED = 200 * 2**20
"""The most bytes a zip or workbook may unpack to (a small file unpacking to gigabytes
is refused rather than read)."""
_HEADER_SEARCH = 10
"""Rows searched for the header row (the workbook has a title and a caption above it)."""


def _org_link_types() -> tuple[RelType, ...]:
    """Relation types that can start or end at an organisation: the links sheet's."""
    org = NodeLabel.ORGANISATION
    return tuple(
        rel_type
        for rel_type, rule in RELATIONSHIP_RULES.items()
        if org in rule.sources or org in rule.targets
    )


LINK_TYPES = _org_link_types()


def _words_of(code_list: str) -> tuple[tuple[str, str], ...]:
    """Each code of one of graph_schema's closed lists, with the catalogue key of its word."""
    prefix, codes = CODE_LISTS[code_list]
    return tuple((code.value, f"{prefix}.{code.value}") for code in codes)


_CHOICES: Mapping[str, tuple[tuple[str, str], ...]] = {
    "helix_role": _words_of("helix_role"),
    "secondary_roles": _words_of("helix_role"),
    "org_type": _words_of("org_type"),
    "type": tuple((r.value, f"{RELATION_PREFIX}.{r.value}") for r in LINK_TYPES),
    "role": (*_words_of("participation_role"), *_words_of("membership_role")),
}
"""The coded columns: each code and the catalogue key of its word."""

_YES = frozenset({"ja", "j", "yes", "y", "true", "waar", "1", "x"})
_NO = frozenset({"nee", "n", "no", "false", "onwaar", "0"})


# --------------------------------------------------------------------------- words


def _word(column: str, code: str, lang: Language) -> str:
    """A code in the reader's words: ``industry`` → ``Bedrijfsleven``."""
    for known, key in _CHOICES.get(column, ()):
        if known == code:
            return t(lang, key)
    return code


@cache
def _codes(column: str) -> Mapping[str, str]:
    """Every spelling of a coded column's values, by comparison key: the codes first,
    then the words of each language."""
    codes: dict[str, str] = {}
    for code, _ in _CHOICES[column]:
        codes.setdefault(name_key(code), code)
    for code, key in _CHOICES[column]:
        for lang in LANGUAGES:
            codes.setdefault(name_key(t(lang, key)), code)
    return codes


def _code(column: str, text: str) -> str | None:
    """The code a cell means: the code itself or its word in any language, without
    regard to case, accents, spaces or punctuation; None when it means none."""
    return _codes(column).get(name_key(text))


def _choices(column: str, lang: Language) -> str:
    return ", ".join(dict.fromkeys(t(lang, key) for _, key in _CHOICES[column]))


def sheet_title(kind: SheetKind, lang: Language) -> str:
    """The sheet's name: ``Organisaties``, ``Koppelingen`` (``Organisations``, ``Links``)."""
    return t(lang, f"sync.sheet.{kind}")


def header(kind: SheetKind, column: str, lang: Language) -> str:
    """A column's header in ``lang``, from the catalogue (as the other exports word it)."""
    if column.startswith("provenance."):
        return t(lang, f"sheet.provenance.{column.removeprefix('provenance.')}")
    return t(lang, f"sheet.{'node' if kind == 'organisations' else 'edge'}.{column}")


def _header_keys(kind: SheetKind) -> dict[str, str]:
    """Every spelling of every header that is read back, by its comparison key: the
    headers of both languages, then the field names where no header claims them."""
    keys: dict[str, str] = {}
    for column in COLUMNS[kind]:
        for lang in LANGUAGES:
            keys.setdefault(name_key(header(kind, column, lang)), column)
    for column in COLUMNS[kind]:
        keys.setdefault(name_key(column), column)
        keys.setdefault(name_key(column.replace(".", "_")), column)
    return keys


_HEADER_KEYS: Mapping[SheetKind, Mapping[str, str]] = {
    "organisations": _header_keys("organisations"),
    "links": _header_keys("links"),
}


# --------------------------------------------------------------------------- download


def _in_scope(graph: GraphData) -> tuple[list[Organisation], list[Relationship]]:
    """The organisations, and every link that starts or ends at one."""
    orgs = [node for node in graph.nodes if isinstance(node, Organisation)]
    ids = {org.id for org in orgs}
    links = [r for r in graph.relationships if r.source in ids or r.target in ids]
    return orgs, links


def _provenance_cells(provenance: Provenance | None) -> tuple[Cell, ...]:
    if provenance is None:
        return (None, None, None)
    return (provenance.source, provenance.section, provenance.quote)


def _org_cells(org: Organisation, lang: Language) -> tuple[Cell, ...]:
    return (
        org.id,
        org.name,
        _LIST_SEPARATOR.join(org.aliases) or None,
        _word("helix_role", org.helix_role, lang),
        _LIST_SEPARATOR.join(_word("helix_role", r, lang) for r in org.secondary_roles) or None,
        _word("org_type", org.org_type, lang),
        org.place,
        None if org.province is None else str(org.province),
        None if org.region is None else str(org.region),
        org.place_source,
        org.country,
        org.generic,
        org.description,
        org.website,
        *_provenance_cells(org.provenance),
    )


def _link_cells(rel: Relationship, names: Mapping[str, str], lang: Language) -> tuple[Cell, ...]:
    return (
        rel.source,
        names.get(rel.source, rel.source),
        _word("type", rel.type, lang),
        rel.target,
        names.get(rel.target, rel.target),
        None if rel.role is None else _word("role", rel.role, lang),
        *_provenance_cells(rel.provenance),
    )


def _tables(graph: GraphData, version: int, lang: Language, made: date) -> tuple[Table, Table]:
    orgs, links = _in_scope(graph)
    names = {node.id: node.name for node in graph.nodes}
    caption = t(lang, "sync.caption", v=version, date=Scope("", version, made).day(lang))
    org_rows = [
        _org_cells(org, lang) for org in sorted(orgs, key=lambda o: (name_key(o.name), o.id))
    ]

    def link_order(rel: Relationship) -> tuple[str, str, str, str, str]:
        source, target = names.get(rel.source, ""), names.get(rel.target, "")
        return (name_key(source), rel.type, name_key(target), rel.source, rel.target)

    link_rows = [_link_cells(rel, names, lang) for rel in sorted(links, key=link_order)]
    tables = [
        Table(
            title=t(lang, f"sync.title.{kind}"),
            columns=tuple(Column(header(kind, c, lang)) for c in COLUMNS[kind]),
            rows=tuple(rows),
            caption=caption,
            sheet=sheet_title(kind, lang),
        )
        for kind, rows in zip(SHEET_KINDS, (org_rows, link_rows), strict=True)
    ]
    return tables[0], tables[1]


def workbook(
    graph: GraphData,
    version: int,
    lang: Language,
    fmt: WorkbookFormat = "xlsx",
    made: date | None = None,
) -> bytes:
    """The organisations and their links as a workbook to edit (see the module's
    description): XLSX, or a zip of one CSV file per sheet for Excel in ``lang``."""
    orgs, links = _tables(graph, version, lang, made or date.today())
    if fmt == "xlsx":
        return _finished(to_xlsx([orgs, links], lang), version, lang)
    return stable_zip(
        {
            f"{sheet_title('organisations', lang).lower()}.csv": to_csv(orgs, lang),
            f"{sheet_title('links', lang).lower()}.csv": to_csv(links, lang),
        }
    )


_DROPDOWNS: Mapping[SheetKind, tuple[str, ...]] = {
    "organisations": ("helix_role", "org_type", "generic"),
    "links": ("type", "role"),
}
_HEADER_ROW = 4
"""The row :func:`app.services.tables.to_xlsx` writes the headers on."""


VERSION_PROPERTY = "helixgraph-version"
"""The workbook's custom document property holding the graph version it was made from
(Excel keeps custom properties when it saves)."""


def _finished(data: bytes, version: int, lang: Language) -> bytes:
    """The workbook with the graph version it shows, and a drop-down list of words on
    each coded column. The lists are a hint, not a barrier: a code or a word of the
    other language may still be typed (it is read)."""
    book = load_workbook(io.BytesIO(data))
    properties = book.custom_doc_props  # type: ignore[attr-defined]  # not in the stubs
    properties.append(IntProperty(name=VERSION_PROPERTY, value=version))
    for kind, columns in _DROPDOWNS.items():
        sheet = book[sheet_title(kind, lang)]
        last = max(sheet.max_row, _HEADER_ROW + 1) + 500
        for column in columns:
            if column == "generic":
                words = [t(lang, "common.yes"), t(lang, "common.no")]
            else:
                words = list(dict.fromkeys(t(lang, key) for _, key in _CHOICES[column]))
            letter = get_column_letter(COLUMNS[kind].index(column) + 1)
            rule = DataValidation(
                type="list", formula1='"' + ",".join(words) + '"', showErrorMessage=False
            )
            rule.add(f"{letter}{_HEADER_ROW + 1}:{letter}{last}")
            sheet.add_data_validation(rule)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def workbook_name(version: int, lang: Language, fmt: WorkbookFormat) -> str:
    """``organisaties-en-koppelingen-v12.xlsx`` (a zip of CSVs: ``….zip``)."""
    stem = f"{sheet_title('organisations', lang)}-{t(lang, 'common.and')}-"
    stem += sheet_title("links", lang)
    return f"{stem.lower()}-v{version}.{'xlsx' if fmt == 'xlsx' else 'zip'}"


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class Upload:
    """An uploaded file: its name (without folders) and its bytes."""

    name: str
    data: bytes


def _base_name(name: str) -> str:
    name = unquote(name.strip().strip('"'))
    name = PureWindowsPath(PurePosixPath(name).name).name
    return name.strip()[:200]


def upload_from_request(body: bytes, content_type: str | None, file_name: str | None) -> Upload:
    """The file of a request: the raw body (named by ``X-Filename``), or the first file
    of a ``multipart/form-data`` body (named by its own file name)."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        for part in message.iter_parts():
            payload = part.get_payload(decode=True)
            if part.get_filename() is not None and isinstance(payload, bytes):
                return Upload(_base_name(file_name or part.get_filename() or ""), payload)
        raise InvalidRequestError.of("sync.error.unreadable")
    name = _base_name(file_name or "")
    if not name:
        name = "upload.zip" if _is_csv_zip(body) else "upload.xlsx"
    return Upload(name, body)


@dataclass(frozen=True, slots=True)
class SheetRow:
    """A row with something in it: its number as Excel shows it, and its cells."""

    number: int
    cells: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet as read: its name and headers as the file has them, and its rows."""

    kind: SheetKind
    name: str
    header_row: int
    headers: Mapping[str, str]
    rows: tuple[SheetRow, ...]


@dataclass(frozen=True, slots=True)
class Said:
    """A reason in the reader's language: a catalogue key and its parameters."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: Language) -> str:
        return word(lang, self.key, self.params)


@dataclass(frozen=True, slots=True)
class Invalid:
    """A cell that does not fit: where it is as Excel shows it, what it holds and why.

    ``row`` is None for a missing sheet; ``column`` None for a missing sheet or row.
    """

    sheet: str
    row: int | None
    column: str | None
    value: str
    reason: Worded

    def text(self, lang: Language) -> str:
        return self.reason.text(lang)


def _cell_text(value: object) -> str:
    """A cell as text: whole numbers without '.0', a date as ISO, a text that CSV for
    Excel kept from being a formula without its apostrophe."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def _kind_by_name(name: str) -> SheetKind | None:
    key = name_key(PurePosixPath(name).stem)
    for kind in SHEET_KINDS:
        if key in {name_key(sheet_title(kind, lang)) for lang in LANGUAGES}:
            return kind
    return None


def _header_row(kind: SheetKind, grid: Sequence[tuple[int, Sequence[str]]]) -> int | None:
    """Index in ``grid`` of the header row: the first row naming two known columns and
    one of the sheet's anchors (id, name or helix role; relation or target)."""
    keys = _HEADER_KEYS[kind]
    for index, (_, cells) in enumerate(grid[:_HEADER_SEARCH]):
        known = {keys[name_key(cell)] for cell in cells if cell and name_key(cell) in keys}
        if len(known) >= 2 and known & _ANCHORS[kind]:
            return index
    return None


def _sheet(kind: SheetKind, name: str, grid: Sequence[tuple[int, Sequence[str]]]) -> Sheet | None:
    at = _header_row(kind, grid)
    if at is None:
        return None
    number, cells = grid[at]
    keys = _HEADER_KEYS[kind]
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for j, cell in enumerate(cells):
        column = keys.get(name_key(cell)) if cell else None
        if column is not None and column not in positions:
            positions[column] = j
            headers[column] = cell
    rows = []
    for row_number, values in grid[at + 1 :]:
        row = {c: values[j] if j < len(values) else "" for c, j in positions.items()}
        if any(row.values()):
            rows.append(SheetRow(row_number, row))
    return Sheet(kind, name, number, headers, tuple(rows))


def _sheets(named_grids: Iterable[tuple[str, list[tuple[int, Sequence[str]]]]]) -> list[Sheet]:
    """The two sheets: by name in either language, else by their headers."""
    grids = list(named_grids)
    found: dict[SheetKind, Sheet] = {}
    for name, grid in grids:
        kind = _kind_by_name(name)
        if kind is not None and kind not in found:
            sheet = _sheet(kind, name, grid)
            if sheet is not None:
                found[kind] = sheet
    for wanted in SHEET_KINDS:
        for name, grid in grids:
            if wanted in found:
                break
            if any(s.name == name for s in found.values()):
                continue
            sheet = _sheet(wanted, name, grid)
            if sheet is not None:
                found[wanted] = sheet
    return list(found.values())


def _is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _is_csv_zip(data: bytes) -> bool:
    if not _is_zip(data):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(n.lower().endswith(".csv") for n in archive.namelist())
    except zipfile.BadZipFile:
        return False


def _decode(raw: bytes) -> str:
    """CSV text: UTF-8 (with or without a byte-order mark), else Windows-1252 as Excel
    saves 'CSV (gescheiden door lijstscheidingsteken)'."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _csv_grid(raw: bytes) -> list[tuple[int, Sequence[str]]]:
    text = _decode(raw)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(n, [_cell_text(v) for v in row]) for n, row in enumerate(reader, start=1)]


def _unpacked_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


@dataclass(frozen=True, slots=True)
class ReadFile:
    """The sheets of an uploaded file, and the graph version its workbook was made from
    (None: not said, as in CSV files)."""

    sheets: list[Sheet]
    version: int | None = None


Grids = list[tuple[str, list[tuple[int, Sequence[str]]]]]
"""Each sheet's name and its rows as text, numbered as Excel numbers them."""


def _xlsx_grids(data: bytes) -> tuple[Grids, int | None]:
    """The sheets of a workbook, and the graph version it says it was made from."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        grids: Grids = []
        for sheet in book.worksheets:
            if not isinstance(sheet, ReadOnlyWorksheet):
                continue  # a chart sheet
            sheet.reset_dimensions()  # read every row, whatever size the file claims
            rows = sheet.iter_rows(min_row=1, values_only=True)
            grids.append(
                (
                    sheet.title,
                    [(n, [_cell_text(v) for v in row]) for n, row in enumerate(rows, start=1)],
                )
            )
        properties = book.custom_doc_props.props  # type: ignore[attr-defined]  # not in the stubs
        made = [p.value for p in properties if p.name == VERSION_PROPERTY]
    finally:
        book.close()
    version = made[0] if made and isinstance(made[0], int) and made[0] >= 0 else None
    return grids, version


def _csv_grids(data: bytes) -> Grids:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            (PurePosixPath(n).name, _csv_grid(archive.read(n)))
            for n in sorted(archive.namelist())
            if n.lower().endswith(".csv") and not PurePosixPath(n).name.startswith(".")
        ]


def read_upload(upload: Upload) -> ReadFile:
    """The sheets of an uploaded workbook or zip of CSV files (see the module's
    description); a file that is neither is a 422 problem."""
    data = upload.data
    version = None
    try:
        if not _is_zip(data) or _unpacked_size(data) > _MAX_UNPACKED:
            raise InvalidRequestError.of("sync.error.unreadable")
        if _is_csv_zip(data):
            grids = _csv_grids(data)
        else:
            grids, version = _xlsx_grids(data)
    except InvalidRequestError:
        raise
    except Exception as error:  # whatever a broken file makes a reader raise
        raise InvalidRequestError.of("sync.error.unreadable") from error
    return ReadFile(_sheets(grids), version)


# --------------------------------------------------------------------------- comparing

_NODE: TypeAdapter[Node] = TypeAdapter(Node)
_CHANGES_PAGE = 1000


def _content(document: Mapping[str, Any]) -> dict[str, Any]:
    """What a record says, without where it comes from: a changed source alone is no
    edit of the record."""
    return {k: v for k, v in document.items() if k != "provenance"}


def _stored_content(kind: str, document: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The content of a record as the audit log kept it, in the shape of the sheets'."""
    if document is None:
        return None
    try:
        if kind == "node":
            return _content(node_document(_NODE.validate_python(document)))
        return _content(edge_document(Relationship.model_validate(document)))
    except ValidationError:
        return _content(document)


@dataclass(frozen=True, slots=True)
class Before:
    """A record as it was when the workbook was made (``known``: the log kept it;
    ``content`` None: it did not exist), and the last version that changed it since."""

    known: bool
    content: Mapping[str, Any] | None
    version: int


@dataclass(frozen=True, slots=True)
class Meanwhile:
    """Every record the graph changed after the workbook's version ``base``, by node id
    or relationship key (``TYPE source target``)."""

    base: int
    records: Mapping[str, Before]


def meanwhile(store: GraphStore, base: int | None, current: int) -> Meanwhile | None:
    """What changed in the graph after version ``base`` (the file's), from the change
    log; None when the file says no version or there is nothing after it."""
    if base is None or base >= current:
        return None
    records: dict[str, Before] = {}
    cursor = base
    while True:
        page = store.changes(cursor, _CHANGES_PAGE)
        for change in page:
            cursor = change.version
            rows = [] if change.details is None else json.loads(change.details)
            touched = [(str(r["kind"]), str(r["key"]), r["before"]) for r in rows]
            if change.details is None:  # a bulk write kept no documents: state unknown
                touched = [("node", key, None) for key in change.nodes]
                touched += [("relationship", key, None) for key in change.relationships]
            for kind, key, before in touched:
                prior = records.get(key)
                if prior is None:
                    content = _stored_content(kind, before)
                    records[key] = Before(change.details is not None, content, change.version)
                else:
                    records[key] = Before(prior.known, prior.content, change.version)
        if len(page) < _CHANGES_PAGE:
            return Meanwhile(base, records)


@dataclass(frozen=True, slots=True)
class Item:
    """An organisation or link added, changed or removed; ``fields`` of a change hold
    each changed field's value before and after (interchange values: codes, lists)."""

    kind: RecordKind
    id: str
    name: str
    sheet: str
    row: int | None
    fields: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SyncPlan:
    """What an uploaded file would change, and the batch that changes it."""

    file_name: str
    version: int
    added: tuple[Item, ...] = ()
    changed: tuple[Item, ...] = ()
    removed: tuple[Item, ...] = ()
    invalid: tuple[Invalid, ...] = ()
    nodes: tuple[Organisation, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    delete_nodes: tuple[str, ...] = ()
    delete_relationships: tuple[tuple[RelType, str, str], ...] = ()
    expected: Mapping[str, str | None] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing to write: the file says what the graph says."""
        return not (self.added or self.changed or self.removed)


_MODEL_ERROR_COLUMNS = {
    "place_outside_province": "place",
    "place_outside_region": "place",
    "province_in_no_region": "province",
    "province_outside_region": "province",
    "secondary_role_repeats_primary": "secondary_roles",
    "secondary_role_twice": "secondary_roles",
    "relationship_role_required": "role",
    "relationship_takes_no_role": "role",
    "relationship_role_not_allowed": "role",
    "relationship_self_loop": "target",
}


def _split(text: str, separators: str = "|\n") -> tuple[str, ...]:
    parts = re.split("[" + re.escape(separators) + "]", text)
    return tuple(part.strip() for part in parts if part.strip())


def _slug(name: str) -> str:
    """An id made from a name: ``Zorg Start-up Assen`` → ``zorg-start-up-assen``."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:120].strip("-")


class _Rows:
    """Collects the invalid cells of a sheet, worded where they are."""

    def __init__(self, sheet: Sheet, lang: Language) -> None:
        self.sheet = sheet
        self.lang = lang
        self.invalid: list[Invalid] = []
        self.refused: set[tuple[int, str | None]] = set()

    def column(self, column: str) -> str:
        return self.sheet.headers.get(column) or header(self.sheet.kind, column, self.lang)

    def add(self, row: SheetRow, column: str | None, reason: Worded) -> None:
        if (row.number, column) in self.refused:
            return  # one reason per cell: the first, which says what the cell holds
        self.refused.add((row.number, column))
        value = row.cells.get(column, "") if column else ""
        shown = None if column is None else self.column(column)
        self.invalid.append(Invalid(self.sheet.name, row.number, shown, value, reason))

    def pydantic(self, row: SheetRow, error: ValidationError, fallback: str) -> None:
        for item in error.errors(include_url=False):
            loc = item["loc"]
            column = str(loc[0]) if loc else _MODEL_ERROR_COLUMNS.get(item["type"], fallback)
            if column == "provenance" and len(loc) > 1:
                column = f"provenance.{loc[1]}"
            if column not in COLUMNS[self.sheet.kind]:
                column = fallback
            self.add(row, column, FieldError.of(item))


def _coded(rows: _Rows, row: SheetRow, column: str, data: dict[str, Any]) -> None:
    text = row.cells.get(column, "")
    if not text:
        return
    code = _code(column, text)
    if code is None:
        choices = _choices(column, rows.lang)
        rows.add(
            row, column, Said("sync.invalid.choice", {"value": f"'{text}'", "choices": choices})
        )
    else:
        data[column] = code


def _fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    keys = [k for k in after if k not in ("id", "label", "provenance")]
    keys += [k for k in before if k not in after and k not in ("id", "label", "provenance")]
    keys.append("provenance")
    return {k: (before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)}


@dataclass
class _Context:
    """What one comparison knows: the file, the stored graph, what the sheets claim."""

    upload: Upload
    lang: Language
    graph: GraphData
    stored_orgs: dict[str, Organisation] = field(default_factory=dict)
    stored_other: dict[str, NodeLabel] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    sheet_orgs: dict[str, str] = field(default_factory=dict)  # id -> name, rows that claim it
    org_rows: dict[str, int] = field(default_factory=dict)
    added: list[Item] = field(default_factory=list)
    changed: list[Item] = field(default_factory=list)
    nodes: list[Organisation] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    claimed_links: set[tuple[RelType, str, str]] = field(default_factory=set)
    sheet_spellings: dict[str, set[str]] = field(default_factory=dict)
    nodes_by_id: dict[str, Node] = field(default_factory=dict)
    meanwhile: Meanwhile | None = None
    _link_names: dict[str, str] | None = None

    def __post_init__(self) -> None:
        for node in self.graph.nodes:
            self.nodes_by_id[node.id] = node
            self.names[node.id] = node.name
            if isinstance(node, Organisation):
                self.stored_orgs[node.id] = node
            else:
                self.stored_other[node.id] = NodeLabel(node.label)

    def since_download(
        self, key: str, sheet: Mapping[str, Any] | None, stored: Mapping[str, Any] | None
    ) -> Literal["compare", "keep", "conflict"] | Before:
        """How a record the sheet would change relates to what the graph did after the
        download: ``compare`` (the graph did not change it), ``keep`` (the sheet still
        holds it as downloaded: the graph's newer state stays), or the record's
        :class:`Before` when both changed it (a conflict)."""
        before = None if self.meanwhile is None else self.meanwhile.records.get(key)
        if before is None or (before.known and before.content == stored):
            return "compare"
        if before.known and before.content == sheet:
            return "keep"
        return before

    def conflict(self, before: Before) -> Said:
        base = 0 if self.meanwhile is None else self.meanwhile.base
        return Said("sync.invalid.changed_meanwhile", {"base": base, "v": before.version})

    @property
    def link_names(self) -> Mapping[str, str]:
        """Node names for the links: as the sheet writes them, else as stored."""
        if self._link_names is None:
            self._link_names = {**self.names, **self.sheet_orgs}
        return self._link_names

    def spellings(self, node_id: str) -> set[str]:
        """The comparison keys of every name a node goes by, on the sheet and stored."""
        keys = set(self.sheet_spellings.get(node_id, ()))
        stored = self.nodes_by_id.get(node_id)
        if stored is not None:
            keys.update(name_key(s) for s in [stored.name, *getattr(stored, "aliases", ())])
        return keys

    def provenance(
        self, sheet: Sheet, row: SheetRow, name: str, stored: Provenance | None, changed: bool
    ) -> Provenance | dict[str, str] | None:
        """The row's provenance: its own columns when the analyst filled or edited them,
        else the file when the row changed, else what is stored. A dict when the
        columns do not make a valid provenance (validated by the caller)."""
        given = tuple(row.cells.get(c, "") for c in PROVENANCE_COLUMNS)
        as_stored = () if stored is None else (stored.source, stored.section, stored.quote)
        edited = any(given) and given != as_stored
        if not edited and not changed:
            return stored
        defaults = (
            self.upload.name,
            t(self.lang, "sync.provenance.section", sheet=sheet.name, row=row.number),
            name[:300],
        )
        if not edited:
            given = ("", "", "")
        parts = {
            c.removeprefix("provenance."): value or default
            for c, value, default in zip(PROVENANCE_COLUMNS, given, defaults, strict=True)
        }
        try:
            return Provenance.model_validate(parts)
        except ValidationError:
            return parts


# --- organisations


def _org_data(rows: _Rows, row: SheetRow, ctx: _Context) -> dict[str, Any]:
    cells = row.cells
    data: dict[str, Any] = {}
    for column in ("name", "place", "place_source", "description", "website", "province", "region"):
        if cells.get(column):
            data[column] = cells[column]
    if cells.get("country"):
        data["country"] = cells["country"].upper()
    data["aliases"] = _split(cells.get("aliases", ""))
    _coded(rows, row, "helix_role", data)
    _coded(rows, row, "org_type", data)
    roles = []
    for part in _split(cells.get("secondary_roles", ""), "|;,\n"):
        code = _code("secondary_roles", part)
        if code is None:
            choices = _choices("secondary_roles", rows.lang)
            said = Said("sync.invalid.choice", {"value": f"'{part}'", "choices": choices})
            rows.add(row, "secondary_roles", said)
        else:
            roles.append(code)
    data["secondary_roles"] = tuple(roles)
    generic = name_key(cells.get("generic", ""))
    if generic in _YES or generic in _NO:
        data["generic"] = generic in _YES
    elif generic:
        rows.add(row, "generic", Said("sync.invalid.yes_no", {"value": f"'{cells['generic']}'"}))
    _derive_location(data, ctx.stored_orgs.get(cells.get("id", "")))
    return data


def _derive_location(data: dict[str, Any], stored: Organisation | None) -> None:
    """A place moved to another known town, its province and region left as they were:
    the province and region follow the new place (as when they are left empty)."""
    if stored is None or "place" not in data or data["place"] == stored.place:
        return
    if province_of(data["place"], data.get("country")) is None:
        return
    for column in ("province", "region"):
        old = getattr(stored, column)
        if column in data and old is not None and name_key(data[column]) == name_key(str(old)):
            del data[column]


def _org_id(rows: _Rows, row: SheetRow, ctx: _Context, taken: Mapping[str, int]) -> str | None:
    """The row's id: as written, else made from the name when that id is free or is
    the stored organisation of that name (the same file uploaded twice)."""
    given = row.cells.get("id", "")
    if given:  # "ACME " or "Zorg Start-up" mean the ids they would be as slugs
        return given if re.fullmatch(ID_PATTERN, given) else (_slug(given) or given)
    name = row.cells.get("name", "")
    made = _slug(name)
    if not made:
        rows.add(row, "id", Said("sync.invalid.required"))
        return None
    stored = ctx.stored_orgs.get(made)
    if stored is not None and made not in taken and name_key(stored.name) == name_key(name):
        return made
    if stored is not None or made in ctx.stored_other or made in taken:
        rows.add(row, "id", Said("sync.invalid.id_taken", {"id": f"'{made}'"}))
        return None
    return made


def _org_rows(sheet: Sheet, ctx: _Context) -> list[Invalid]:
    rows = _Rows(sheet, ctx.lang)
    for row in sheet.rows:
        before = len(rows.invalid)
        org_id = _org_id(rows, row, ctx, ctx.org_rows)
        if org_id is not None:
            if org_id in ctx.org_rows:
                said = Said(
                    "sync.invalid.duplicate_id", {"id": f"'{org_id}'", "row": ctx.org_rows[org_id]}
                )
                rows.add(row, "id", said)
                continue
            ctx.org_rows[org_id] = row.number
            ctx.sheet_orgs[org_id] = row.cells.get("name", "") or org_id
            spellings = [row.cells.get("name", ""), *_split(row.cells.get("aliases", ""))]
            ctx.sheet_spellings[org_id] = {name_key(s) for s in spellings if s}
            if org_id in ctx.stored_other:
                said = Said(
                    "problem.id_exists_as",
                    {"id": f"'{org_id}'", "kind": LabelWord(ctx.stored_other[org_id])},
                )
                rows.add(row, "id", said)
                continue
        data = _org_data(rows, row, ctx)
        try:
            org = Organisation.model_validate({"id": org_id or "x", **data})
        except ValidationError as error:
            rows.pydantic(row, error, "id")
            continue
        if org_id is None or len(rows.invalid) > before:
            continue
        _compare_org(rows, sheet, row, org, ctx)
    return rows.invalid


def _compare_org(
    rows: _Rows, sheet: Sheet, row: SheetRow, org: Organisation, ctx: _Context
) -> None:
    stored = ctx.stored_orgs.get(org.id)
    plain_stored = None if stored is None else _content(node_document(stored))
    changed = stored is None or _content(node_document(org)) != plain_stored
    provenance = ctx.provenance(
        sheet, row, org.name, None if stored is None else stored.provenance, changed
    )
    if isinstance(provenance, dict):
        try:
            Organisation.model_validate({**node_document(org), "provenance": provenance})
        except ValidationError as error:
            rows.pydantic(row, error, "provenance.source")
        return
    org = org.model_copy(update={"provenance": provenance})
    if stored is not None and node_document(org) == node_document(stored):
        return
    verdict = ctx.since_download(
        org.id, _content(node_document(org)), None if stored is None else plain_stored
    )
    if verdict == "keep":
        return
    if isinstance(verdict, Before):
        rows.add(row, "id", ctx.conflict(verdict))
        return
    if stored is None:
        ctx.added.append(Item("organisation", org.id, org.name, sheet.name, row.number))
    elif node_document(org) != node_document(stored):
        fields = _fields(node_document(stored), node_document(org))
        ctx.changed.append(Item("organisation", org.id, org.name, sheet.name, row.number, fields))
    else:
        return
    ctx.nodes.append(org)


# --- links


def _by_name(text: str, ctx: _Context) -> list[str]:
    """Ids whose name or alias is ``text`` (case, accents and punctuation aside): the
    organisations on the sheet and the stored nodes of other kinds."""
    wanted = name_key(text)
    found = [i for i, name in ctx.sheet_orgs.items() if name_key(name) == wanted]
    for node in ctx.graph.nodes:
        if node.id in ctx.stored_orgs and node.id not in ctx.sheet_orgs:
            continue
        spellings = [node.name, *getattr(node, "aliases", ())]
        if any(name_key(s) == wanted for s in spellings) and node.id not in found:
            found.append(node.id)
    return found


def _end(rows: _Rows, row: SheetRow, end: str, ctx: _Context, org_sheet: str) -> str | None:
    """The id of a link's end: its id column, else its name column, resolved."""
    given, named = row.cells.get(end, ""), row.cells.get(f"{end}_name", "")
    column = end if given else f"{end}_name"
    text = given or named
    if not text:
        rows.add(row, end, Said("sync.invalid.required"))
        return None
    if given and (given in ctx.sheet_orgs or given in ctx.stored_other):
        if named and name_key(named) not in ctx.spellings(given):
            name = ctx.sheet_orgs.get(given) or ctx.names.get(given, given)
            params = {"id": f"'{given}'", "name": f"'{name}'", "value": f"'{named}'"}
            rows.add(row, f"{end}_name", Said("sync.invalid.name_mismatch", params))
            return None
        return given
    if given in ctx.stored_orgs:
        said = Said("sync.invalid.not_on_sheet", {"id": f"'{given}'", "sheet": org_sheet})
        rows.add(row, column, said)
        return None
    found = _by_name(text, ctx)
    if len(found) == 1:
        return found[0]
    if found:
        ids = ", ".join(f"'{i}'" for i in sorted(found))
        rows.add(
            row, column, Said("sync.invalid.ambiguous_name", {"value": f"'{text}'", "ids": ids})
        )
    else:
        said = Said("sync.invalid.unknown_node", {"value": f"'{text}'", "sheet": org_sheet})
        rows.add(row, column, said)
    return None


def _label(node_id: str, ctx: _Context) -> NodeLabel:
    return ctx.stored_other.get(node_id, NodeLabel.ORGANISATION)


def _fits(rows: _Rows, row: SheetRow, rel: Relationship, ctx: _Context) -> bool:
    """Whether the link joins kinds its type joins, one of them an organisation."""
    rule = RELATIONSHIP_RULES[rel.type]
    labels = {"source": _label(rel.source, ctx), "target": _label(rel.target, ctx)}
    if NodeLabel.ORGANISATION not in labels.values():
        rows.add(row, "type", Said("sync.invalid.no_organisation"))
        return False
    for end, allowed in (("source", rule.sources), ("target", rule.targets)):
        if labels[end] not in allowed:
            params = {
                "type": str(rel.type),
                "kind": LabelWord(labels[end]),
                "id": f"'{getattr(rel, end)}'",
                "expected": LabelChoice(tuple(sorted(allowed))),
            }
            rows.add(row, end, Said(f"problem.wrong_{end}", params))
            return False
    return True


def _link_rows(
    sheet: Sheet, ctx: _Context, org_sheet: str, stored: Mapping[Any, Relationship]
) -> list[Invalid]:
    rows = _Rows(sheet, ctx.lang)
    seen: dict[tuple[RelType, str, str], int] = {}
    placeholder = {"source": "x", "section": "x", "quote": "x"}
    for row in sheet.rows:
        before = len(rows.invalid)
        data: dict[str, Any] = {}
        if not row.cells.get("type"):
            rows.add(row, "type", Said("sync.invalid.required"))
        _coded(rows, row, "type", data)
        source = _end(rows, row, "source", ctx, org_sheet)
        target = _end(rows, row, "target", ctx, org_sheet)
        _role(rows, row, data)
        if "type" in data:  # a refused row still names its link: it is not removed
            ends = (source or row.cells.get("source", ""), target or row.cells.get("target", ""))
            ctx.claimed_links.add((RelType(data["type"]), *ends))
        if source is None or target is None or "type" not in data:
            continue
        try:
            rel = Relationship.model_validate(
                {**data, "source": source, "target": target, "provenance": placeholder}
            )
        except ValidationError as error:
            rows.pydantic(row, error, "type")
            continue
        ctx.claimed_links.add(rel.key)
        if rel.key in seen:
            rows.add(row, "type", Said("sync.invalid.duplicate_link", {"row": seen[rel.key]}))
            continue
        seen[rel.key] = row.number
        if not _fits(rows, row, rel, ctx) or len(rows.invalid) > before:
            continue
        _compare_link(rows, sheet, row, rel, ctx, stored.get(rel.key))
    return rows.invalid


def _role(rows: _Rows, row: SheetRow, data: dict[str, Any]) -> None:
    """The link's role as a code; a word it does not know is refused with the roles its
    relation takes (a role the relation does not take is the model's to say)."""
    text = row.cells.get("role", "")
    if not text:
        return
    code = _code("role", text)
    if code is not None:
        data["role"] = code
        return
    allowed = RELATIONSHIP_RULES[RelType(data["type"])].roles if "type" in data else set()
    words = [
        t(rows.lang, key) for known, key in _CHOICES["role"] if not allowed or known in allowed
    ]
    choices = ", ".join(dict.fromkeys(words))
    rows.add(row, "role", Said("sync.invalid.choice", {"value": f"'{text}'", "choices": choices}))


def link_name(rel: Relationship, names: Mapping[str, str], lang: Language) -> str:
    """A link in words: ``IT Hub partner in Digitale zorg``."""
    source, target = names.get(rel.source, rel.source), names.get(rel.target, rel.target)
    return f"{source} {t(lang, f'rel.{rel.type}')} {target}"


def _compare_link(
    rows: _Rows,
    sheet: Sheet,
    row: SheetRow,
    rel: Relationship,
    ctx: _Context,
    stored: Relationship | None,
) -> None:
    name = link_name(rel, ctx.link_names, ctx.lang)
    changed = stored is None or stored.role != rel.role
    provenance = ctx.provenance(
        sheet, row, name, None if stored is None else stored.provenance, changed
    )
    if isinstance(provenance, dict):
        try:
            Relationship.model_validate({**edge_document(rel), "provenance": provenance})
        except ValidationError as error:
            rows.pydantic(row, error, "provenance.source")
        return
    rel = rel.model_copy(update={"provenance": provenance})
    key = f"{rel.type} {rel.source} {rel.target}"
    if stored is not None and edge_document(rel) == edge_document(stored):
        return
    verdict = ctx.since_download(
        key,
        _content(edge_document(rel)),
        None if stored is None else _content(edge_document(stored)),
    )
    if verdict == "keep":
        return
    if isinstance(verdict, Before):
        rows.add(row, "type", ctx.conflict(verdict))
        return
    if stored is None:
        ctx.added.append(Item("link", key, name, sheet.name, row.number))
    elif edge_document(rel) != edge_document(stored):
        fields = _fields(edge_document(stored), edge_document(rel))
        ctx.changed.append(Item("link", key, name, sheet.name, row.number, fields))
    else:
        return
    ctx.relationships.append(rel)


# --- the whole file


def _missing(sheets: Sequence[Sheet], lang: Language) -> list[Invalid]:
    """A sheet or a required column that is not there."""
    invalid = []
    kinds = {sheet.kind: sheet for sheet in sheets}
    for wanted in SHEET_KINDS:
        sheet = kinds.get(wanted)
        if sheet is None:
            name = sheet_title(wanted, lang)
            invalid.append(
                Invalid(
                    name, None, None, "", Said("sync.invalid.missing_sheet", {"sheet": f"'{name}'"})
                )
            )
            continue
        for column in _REQUIRED[wanted]:
            if column not in sheet.headers:
                shown = header(wanted, column, lang)
                said = Said("sync.invalid.missing_column", {"column": f"'{shown}'"})
                invalid.append(Invalid(sheet.name, sheet.header_row, shown, "", said))
        if wanted == "links":
            for end in ("source", "target"):
                if end not in sheet.headers and f"{end}_name" not in sheet.headers:
                    shown = header(wanted, end, lang)
                    said = Said("sync.invalid.missing_column", {"column": f"'{shown}'"})
                    invalid.append(Invalid(sheet.name, sheet.header_row, shown, "", said))
    return invalid


def plan_sync(
    upload: Upload,
    sheets: Sequence[Sheet],
    graph: GraphData,
    version: int,
    lang: Language,
    since: Meanwhile | None = None,
) -> SyncPlan:
    """Compare the sheets with the stored ``graph`` (at ``version``): every invalid cell,
    what would be added, changed and removed, and the batch that would do it.

    ``since``: what the graph changed after the workbook was made. A record the sheet
    still holds as it was then keeps the graph's newer state; one that both changed is
    refused as a conflict (nothing is overwritten unseen)."""
    missing = _missing(sheets, lang)
    if missing:
        return SyncPlan(upload.name, version, invalid=tuple(missing))
    by_kind = {sheet.kind: sheet for sheet in sheets}
    org_sheet, link_sheet = by_kind["organisations"], by_kind["links"]
    ctx = _Context(upload, lang, graph, meanwhile=since)
    invalid = _org_rows(org_sheet, ctx)
    _, stored_links = _in_scope(graph)
    stored = {rel.key: rel for rel in stored_links}
    invalid += _link_rows(link_sheet, ctx, org_sheet.name, stored)

    removed_orgs: list[str] = []
    removed: list[Item] = []
    for org_id in sorted(set(ctx.stored_orgs) - set(ctx.org_rows)):
        org = ctx.stored_orgs[org_id]
        verdict = ctx.since_download(org_id, None, _content(node_document(org)))
        if isinstance(verdict, Before):
            header_text = org_sheet.headers.get("id") or header("organisations", "id", lang)
            said = ctx.conflict(verdict)
            invalid.append(Invalid(org_sheet.name, None, header_text, org_id, said))
        elif verdict == "compare":
            removed_orgs.append(org_id)
            removed.append(Item("organisation", org_id, org.name, org_sheet.name, None))
    gone = set(removed_orgs)
    delete_links = []
    for key in sorted(set(stored) - ctx.claimed_links):
        rel = stored[key]
        text = f"{key[0]} {key[1]} {key[2]}"
        verdict = ctx.since_download(text, None, _content(edge_document(rel)))
        if isinstance(verdict, Before):
            header_text = link_sheet.headers.get("type") or header("links", "type", lang)
            invalid.append(Invalid(link_sheet.name, None, header_text, text, ctx.conflict(verdict)))
            continue
        if verdict == "keep" and rel.source not in gone and rel.target not in gone:
            continue
        removed.append(Item("link", text, link_name(rel, ctx.names, lang), link_sheet.name, None))
        if rel.source not in gone and rel.target not in gone:
            delete_links.append(key)
    expected: dict[str, str | None] = {org.id: None for org in ctx.nodes}
    for org_id in [*(o.id for o in ctx.nodes), *removed_orgs]:
        if org_id in ctx.stored_orgs:
            expected[org_id] = etag_of(ctx.stored_orgs[org_id])
    return SyncPlan(
        file_name=upload.name,
        version=version,
        added=tuple(ctx.added),
        changed=tuple(ctx.changed),
        removed=tuple(removed),
        invalid=tuple(invalid),
        nodes=tuple(ctx.nodes),
        relationships=tuple(ctx.relationships),
        delete_nodes=tuple(removed_orgs),
        delete_relationships=tuple(delete_links),
        expected=expected,
    )


# --------------------------------------------------------------------------- applying


class InvalidSheetError(InvalidRequestError):
    """An upload with invalid cells: nothing is written; carries the plan, whose
    ``invalid`` lists every invalid cell."""

    def __init__(self, plan: SyncPlan) -> None:
        self.plan = plan
        self.invalid = list(plan.invalid)
        message = Message("sync.error.invalid", {"n": len(self.invalid)})
        super().__init__(message.text("en"), message=message)


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """A plan and what became of it: the graph version after it (the version compared
    against when nothing was written) and whether it was a dry run."""

    plan: SyncPlan
    version: int
    dry_run: bool
    written: bool


def plan_upload(store: GraphStore, upload: Upload, lang: Language) -> SyncPlan:
    """Read an uploaded file and compare it with the store as it is now."""
    read = read_upload(upload)
    version = store.version()
    since = meanwhile(store, read.version, version)
    return plan_sync(upload, read.sheets, store.snapshot(), version, lang, since)


def sync_upload(
    store: GraphStore,
    upload: Upload,
    *,
    lang: Language,
    actor: str | None,
    dry_run: bool,
) -> SyncOutcome:
    """Compare an uploaded file with the store and, unless ``dry_run``, write the
    difference as one batch. A dry run reports invalid cells; a write with any invalid
    cell raises :class:`InvalidSheetError` and writes nothing."""
    return apply_plan(store, plan_upload(store, upload, lang), actor=actor, dry_run=dry_run)


def item_document(item: Item) -> dict[str, Any]:
    """An added, changed or removed record as the API answers it."""
    document: dict[str, Any] = {
        "kind": item.kind,
        "id": item.id,
        "name": item.name,
        "sheet": item.sheet,
        "row": item.row,
    }
    if item.fields:
        document["fields"] = {k: list(v) for k, v in item.fields.items()}
    return document


def invalid_document(invalid: Invalid, lang: Language) -> dict[str, Any]:
    """An invalid cell as the API answers it, the reason in ``lang``."""
    return {
        "sheet": invalid.sheet,
        "row": invalid.row,
        "column": invalid.column,
        "value": invalid.value,
        "reason": invalid.text(lang),
    }


def outcome_document(outcome: SyncOutcome, lang: Language) -> dict[str, Any]:
    """The answer to an upload: added, changed, removed, invalid, version, dry run."""
    plan = outcome.plan
    return {
        "file": plan.file_name,
        "added": [item_document(i) for i in plan.added],
        "changed": [item_document(i) for i in plan.changed],
        "removed": [item_document(i) for i in plan.removed],
        "invalid": [invalid_document(i, lang) for i in plan.invalid],
        "version": outcome.version,
        "dry_run": outcome.dry_run,
        "written": outcome.written,
    }


def _batch(plan: SyncPlan) -> Batch:
    return Batch(
        nodes=plan.nodes,
        relationships=plan.relationships,
        delete_nodes=plan.delete_nodes,
        delete_relationships=tuple(EdgeKey(*key) for key in plan.delete_relationships),
        expected=plan.expected,
        note=plan.file_name,
    )


def apply_plan(
    store: GraphStore, plan: SyncPlan, *, actor: str | None, dry_run: bool = False
) -> SyncOutcome:
    """Write a plan as one batch (one graph version, the file's name as the change's
    note). With any invalid cell nothing is written (:class:`InvalidSheetError`); a dry
    run reports them instead, and otherwise lets the store check the batch whole
    without writing it. Problems the store finds (a node changed meanwhile: 412) are
    raised as they are."""
    if plan.invalid:
        if dry_run:
            return SyncOutcome(plan, plan.version, dry_run=True, written=False)
        raise InvalidSheetError(plan)
    if plan.empty:
        return SyncOutcome(plan, plan.version, dry_run=dry_run, written=False)
    result = apply_batch(store, _batch(plan), actor=actor, dry_run=dry_run)
    if dry_run:
        return SyncOutcome(plan, plan.version, dry_run=True, written=False)
    return SyncOutcome(plan, result.version, dry_run=False, written=True)
