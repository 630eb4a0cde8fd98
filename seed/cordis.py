"""Parse a CORDIS Horizon 2020 folder into a :class:`GraphData`.

A CORDIS folder holds three UTF-8 CSV files (``seed/data/cordis-h2020/README.md``
describes them)::

    organisations.csv   org_id,name,short_name,activity_type,country,city
    projects.csv        project_id,acronym,title,programme,topic,start,end
    participations.csv  project_id,org_id,role

Every organisation becomes an :class:`~graph_schema.Organisation`, every project a
:class:`~graph_schema.Project` and every participation a ``PARTICIPATES_IN``
relationship from the organisation to the project. Every part of a project's Horizon
2020 programme becomes a :class:`~graph_schema.Theme` that the project ``ADDRESSES``.
Each node and relationship cites the verbatim CSV row it came from, so every claim can
be traced back to the file.

Like :mod:`seed.loader`, the parser collects every problem of every file and raises
them together, each located as ``file:line``.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from pydantic import BaseModel, ValidationError

from graph_schema import (
    GraphData,
    GraphValidationError,
    HelixRole,
    NodeLabel,
    Organisation,
    OrgType,
    ParticipationRole,
    Problem,
    Project,
    Provenance,
    Relationship,
    RelType,
    Theme,
    ThemeKind,
)
from graph_schema.bundle import validation_problems
from graph_schema.models import ID_PATTERN

__all__ = [
    "ACTIVITY_TYPES",
    "CORDIS_FILES",
    "CORDIS_HEADERS",
    "CORDIS_ROLES",
    "DEFAULT_SOURCE_ID",
    "LEAD_ROLE",
    "PROGRAMME_PARTS",
    "CordisImport",
    "is_cordis_folder",
    "load_cordis",
    "org_node_id",
    "project_node_id",
    "read_cordis",
    "theme_node_id",
]

DEFAULT_SOURCE_ID = "cordis-h2020"

ORGANISATIONS, PROJECTS, PARTICIPATIONS = CORDIS_FILES = (
    "organisations.csv",
    "projects.csv",
    "participations.csv",
)
"""The three files of a CORDIS folder."""

CORDIS_HEADERS: dict[str, tuple[str, ...]] = {
    ORGANISATIONS: ("org_id", "name", "short_name", "activity_type", "country", "city"),
    PROJECTS: ("project_id", "acronym", "title", "programme", "topic", "start", "end"),
    PARTICIPATIONS: ("project_id", "org_id", "role"),
}
"""File name -> exact header."""

ACTIVITY_TYPES: dict[str, tuple[HelixRole, OrgType]] = {
    "PRC": (HelixRole.INDUSTRY, OrgType.COMPANY),
    "HES": (HelixRole.KNOWLEDGE, OrgType.EDUCATION),
    "REC": (HelixRole.KNOWLEDGE, OrgType.KNOWLEDGE_INSTITUTION),
    "PUB": (HelixRole.GOVERNMENT, OrgType.GOVERNMENT),
    "OTH": (HelixRole.CIVIL_SOCIETY, OrgType.CIVIL_SOCIETY_ORGANISATION),
}
"""CORDIS activity type -> (helix role, organisation type)."""

LEAD_ROLE = "coordinator"
CORDIS_ROLES = frozenset(
    {LEAD_ROLE, "participant", "partner", "thirdParty", "internationalPartner"}
)
"""The participation roles CORDIS publishes for Horizon 2020; the coordinator leads."""

PROGRAMME_PARTS: dict[str, str] = {
    "SC1": "Health, demographic change and wellbeing",
    "SC2": "Food security, sustainable agriculture, marine research and the bioeconomy",
    "SC3": "Secure, clean and efficient energy",
    "SC4": "Smart, green and integrated transport",
    "SC5": "Climate action, environment, resource efficiency and raw materials",
    "SC6": "Europe in a changing world: inclusive, innovative and reflective societies",
    "SC7": "Secure societies",
    "LEIT": "Leadership in enabling and industrial technologies",
    "ERC": "European Research Council",
    "MSCA": "Marie Skłodowska-Curie actions",
    "FET": "Future and emerging technologies",
    "RI": "Research infrastructures",
    "Innovation in SMEs": "Innovation in SMEs",
    "SEWP": "Spreading excellence and widening participation",
    "SWAFS": "Science with and for society",
    "Euratom": "Euratom",
    "EIT": "European Institute of Innovation and Technology",
    "JRC": "Joint Research Centre",
    "FTI": "Fast track to innovation",
    "H2020": "Horizon 2020 (no programme part)",
}
"""Horizon 2020 programme part, as CORDIS writes it -> the name of its theme.

``H2020`` is a bare ``H2020`` programme, which names no part; a part not listed here is
named by its code.
"""

QUOTE_LIMIT = NAME_LIMIT = 300
"""The longest quote, name, alias or place the models accept."""

_ID = re.compile(ID_PATTERN)
_ID_MAX = 120
_COUNTRY = re.compile(r"[A-Z]{2}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_OPEN = ".."  # ISO 8601-2 notation for an open end of an interval
_NOT_IN_ID = re.compile(r"[^a-z0-9]+")
_PROGRAMME_PREFIX = "H2020:"
_PROGRAMME_SEPARATOR = ";"
_LEAD = ParticipationRole.LEAD.value
_PARTNER = ParticipationRole.PARTNER.value
_M = TypeVar("_M", bound=BaseModel)


def org_node_id(org_id: str) -> str:
    """The graph id of a CORDIS organisation (``org_id`` is its PIC)."""
    return f"cordis-org-{org_id}"


def project_node_id(project_id: str) -> str:
    """The graph id of a CORDIS project."""
    return f"cordis-project-{project_id}"


def theme_node_id(part: str) -> str:
    """The graph id of the theme of a programme part: ``SC1`` gives ``cordis-theme-sc1``.

    The part is lowercased, every run of other characters than ``a-z`` and ``0-9``
    becomes one hyphen and hyphens at either end are dropped, so ``Innovation in SMEs``
    gives ``cordis-theme-innovation-in-smes``.
    """
    return f"cordis-theme-{_NOT_IN_ID.sub('-', part.lower()).strip('-')}"


_PART_NAMES = {theme_node_id(part): name for part, name in PROGRAMME_PARTS.items()}


def _programme_themes(programme: str) -> tuple[tuple[str, str], ...]:
    """The (theme id, part) of every part of a programme cell, one per theme, in order.

    ``H2020:Innovation in SMEs;LEIT`` gives the parts ``Innovation in SMEs`` and ``LEIT``;
    an empty cell gives none.
    """
    themes: dict[str, str] = {}
    cells = programme.removeprefix(_PROGRAMME_PREFIX).split(_PROGRAMME_SEPARATOR)
    for part in filter(None, map(str.strip, cells)):
        themes.setdefault(theme_node_id(part), part)
    return tuple(themes.items())


@dataclass(frozen=True, slots=True)
class CordisImport:
    """What reading a CORDIS folder gave: the graph and a few counts about the data.

    Attributes
    ----------
    graph
        The organisations, projects, programme themes, participations and the themes
        each project addresses, valid as a whole.
    duplicates_dropped
        Participation rows that repeated an (organisation, project) pair already read.
    unnamed_organisations
        Organisations with neither a name nor a short name, named after their id.
    activity_types
        Number of organisations per CORDIS activity type.
    roles
        Number of participation rows per CORDIS role, duplicates included.
    """

    graph: GraphData
    duplicates_dropped: int = 0
    unnamed_organisations: int = 0
    activity_types: dict[str, int] = field(default_factory=dict)
    roles: dict[str, int] = field(default_factory=dict)

    def stats(self) -> dict[str, int]:
        """Flat counts for reports and benchmarks.

        Returns
        -------
        dict of str to int
            ``organisations``, ``projects``, ``themes``, ``participations``,
            ``lead_participations``, ``addresses`` (project-theme links),
            ``duplicates_dropped`` and ``unnamed_organisations``.
        """
        nodes = Counter(node.label for node in self.graph.nodes)
        relationships = Counter(rel.type for rel in self.graph.relationships)
        leads = sum(rel.role == _LEAD for rel in self.graph.relationships)
        return {
            "organisations": nodes[NodeLabel.ORGANISATION],
            "projects": nodes[NodeLabel.PROJECT],
            "themes": nodes[NodeLabel.THEME],
            "participations": relationships[RelType.PARTICIPATES_IN],
            "lead_participations": leads,
            "addresses": relationships[RelType.ADDRESSES],
            "duplicates_dropped": self.duplicates_dropped,
            "unnamed_organisations": self.unnamed_organisations,
        }


class _UnreadableLineError(ValueError):
    """A line that is not UTF-8 text."""

    def __init__(self, line: int, error: UnicodeDecodeError) -> None:
        self.line = line
        self.byte = error.start + 1
        super().__init__(f"not UTF-8 text: {error.reason} at byte {self.byte} of the line")

    def problem(self, file: str) -> Problem:
        """The problem at this line of ``file``; the decoder's reason in English only."""
        where = f"{file}:{self.line}"
        return Problem(where, str(self), "problem.csv.not_utf8", {"byte": self.byte})


class _RecordedLines:
    """Hands a file's lines to the csv reader and keeps those of the current record.

    The csv reader pulls lines only until a record is complete, so the kept lines are
    exactly the verbatim text of the row it yields, even when a quoted cell spans lines.
    Lines are decoded one at a time so that text which is not UTF-8 is located exactly.
    """

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._pending: list[str] = []
        self.line = 0  # number of lines read so far

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw = next(self._handle)
        self.line += 1
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _UnreadableLineError(self.line, error) from None
        if self.line == 1:
            text = text.removeprefix("\ufeff")  # a byte order mark, as spreadsheets write
        self._pending.append(text)
        return text

    def take(self) -> tuple[int, str]:
        """The first line number and the text of the record just read."""
        first = self.line - len(self._pending) + 1
        text = "".join(self._pending).rstrip("\r\n")
        self._pending.clear()
        return first, text


def _read_header(path: Path) -> tuple[str, ...]:
    with path.open("rb") as handle:
        return tuple(next(csv.reader(_RecordedLines(handle)), ()))


def is_cordis_folder(path: Path) -> bool:
    """Whether ``path`` is a directory holding the three CORDIS files with their headers.

    Parameters
    ----------
    path
        Any path; files and missing paths give False.

    Returns
    -------
    bool
        True when every file of :data:`CORDIS_FILES` exists and starts with its
        exact header.
    """
    if not path.is_dir():
        return False
    try:
        return all(_read_header(path / name) == header for name, header in CORDIS_HEADERS.items())
    except (OSError, ValueError, csv.Error):
        return False


@dataclass(frozen=True, slots=True)
class _Row:
    file: str
    line: int
    cells: list[str]
    quote: str  # the verbatim row, cut to what a provenance quote may hold

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def _rows(path: Path, problems: list[Problem]) -> Iterator[_Row] | None:
    """The data rows of one CORDIS file, or None when the file is missing or its header wrong.

    Cells are stripped; a row with the wrong number of cells is a problem and is skipped.
    """
    header = CORDIS_HEADERS[path.name]
    if not path.is_file():
        problems.append(Problem.of(path.name, "problem.csv.missing"))
        return None
    try:
        found = _read_header(path)
    except _UnreadableLineError as error:
        problems.append(error.problem(path.name))
        return None
    except csv.Error as error:
        problems.append(Problem.of(f"{path.name}:1", "problem.csv.unreadable", reason=error))
        return None
    if found != header:
        expected = ",".join(header)
        problems.append(Problem.of(f"{path.name}:1", "problem.csv.header", header=expected))
        return None
    return _data_rows(path, len(header), problems)


def _data_rows(path: Path, width: int, problems: list[Problem]) -> Iterator[_Row]:
    with path.open("rb") as handle:
        lines = _RecordedLines(handle)
        reader = csv.reader(lines)
        try:
            next(reader)  # the header, checked by the caller
            lines.take()
            for cells in reader:
                line, text = lines.take()
                if not cells:  # a blank line
                    continue
                if len(cells) != width:
                    cells_found = {"width": width, "n": len(cells)}
                    problems.append(
                        Problem.of(f"{path.name}:{line}", "problem.csv.cells", **cells_found)
                    )
                    continue
                quote = text.strip()[:QUOTE_LIMIT]
                yield _Row(path.name, line, [cell.strip() for cell in cells], quote)
        except _UnreadableLineError as error:
            problems.append(error.problem(path.name))
        except csv.Error as error:
            where = f"{path.name}:{lines.line}"
            problems.append(Problem.of(where, "problem.csv.unreadable", reason=error))


def _country(value: str) -> str | None:
    """The ISO-style code, also from a repeated one such as 'FI;FI'; None otherwise."""
    codes = {code.strip() for code in value.split(";")}
    if len(codes) == 1:
        (code,) = codes
        if _COUNTRY.fullmatch(code):
            return code
    return None


def _quoted(value: str) -> str:
    return f"'{value}'"


def _valid_id(node_id: str) -> bool:
    return len(node_id) <= _ID_MAX and _ID.fullmatch(node_id) is not None


def _parse_date(value: str) -> date | None:
    if not _DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _period(start: str, end: str, report: Callable[..., None]) -> str | None:
    """An ISO 8601 interval 'start/end', open ('..') on a missing side; None when both miss."""
    parsed: dict[str, date | None] = {}
    for column, value in (("start", start), ("end", end)):
        parsed[column] = _parse_date(value) if value else None
        if value and parsed[column] is None:
            report("problem.cordis.not_a_date", column=column, value=_quoted(value))
    first, last = parsed["start"], parsed["end"]
    if first is not None and last is not None and last < first:
        report("problem.cordis.end_before_start", start=start, end=end)
    if not (start or end):
        return None
    return f"{start or _OPEN}/{end or _OPEN}"


class _Reader:
    """One pass over a CORDIS folder, collecting nodes, relationships and problems."""

    def __init__(self, folder: Path, source_id: str) -> None:
        self.folder = folder
        self.source_id = source_id
        self.problems: list[Problem] = []
        self.organisations: list[Organisation] = []
        self.projects: list[Project] = []
        self.themes: dict[str, Theme] = {}
        self.addresses: list[Relationship] = []
        # programme cell -> its (theme id, part) pairs: a few dozen distinct cells cover
        # tens of thousands of projects.
        self.programmes: dict[str, tuple[tuple[str, str], ...]] = {}
        # CORDIS id -> line of its first row, for every row read, even one with problems,
        # so that participations naming it do not repeat the problem as an unknown id.
        self.org_lines: dict[str, int] = {}
        self.project_lines: dict[str, int] = {}
        self.unnamed = 0
        self.activity_types = Counter[str]()
        self.roles = Counter[str]()
        self.duplicates = 0

    def _report(self, row: _Row, key: str, /, **params: object) -> None:
        self.problems.append(Problem.of(row.where, key, **params))

    def _provenance(self, section: str, quote: str) -> dict[str, str]:
        return {"source": self.source_id, "section": section, "quote": quote}

    def _validated(self, model: type[_M], where: str, values: dict[str, Any]) -> _M | None:
        """The model of a row, or None after reporting why its cells do not fit."""
        try:
            return model.model_validate(values)
        except ValidationError as error:
            self.problems.extend(validation_problems(where, error))
            return None

    def _first_seen(self, seen: dict[str, int], key: str, column: str, row: _Row) -> None:
        """Record the id of a row, reporting it when it repeats an earlier one."""
        first = seen.setdefault(key, row.line)
        if first != row.line:
            self._report(
                row, "problem.cordis.duplicate", column=column, value=_quoted(key), line=first
            )

    def _check_id(self, node_id: str, column: str, value: str, row: _Row) -> None:
        if not _valid_id(node_id):
            self._report(
                row,
                "problem.cordis.bad_id",
                column=column,
                value=_quoted(value),
                id=_quoted(node_id),
            )

    def read_organisations(self) -> bool:
        """Read organisations.csv; False when the file could not be read at all."""
        rows = _rows(self.folder / ORGANISATIONS, self.problems)
        if rows is None:
            return False
        for row in rows:
            org_id, name, short_name, activity_type, country, city = row.cells
            self.activity_types[activity_type] += 1
            if not (name or short_name):
                self.unnamed += 1
            before = len(self.problems)
            node_id = org_node_id(org_id)
            self._check_id(node_id, "org_id", org_id, row)
            self._first_seen(self.org_lines, org_id, "org_id", row)
            roles = ACTIVITY_TYPES.get(activity_type)
            if roles is None:
                expected = ", ".join(sorted(ACTIVITY_TYPES))
                self._report(
                    row,
                    "problem.cordis.unknown_choice",
                    column="activity_type",
                    value=_quoted(activity_type),
                    expected=expected,
                )
            if roles is None or len(self.problems) != before:
                continue
            display = name or short_name or f"CORDIS organisation {org_id}"
            values = {
                "id": node_id,
                "name": display,
                "aliases": (short_name,) if short_name and short_name != display else (),
                "helix_role": roles[0],
                "org_type": roles[1],
                "place": city or None,
                "country": _country(country),
                "provenance": self._provenance(ORGANISATIONS, row.quote),
            }
            organisation = self._validated(Organisation, row.where, values)
            if organisation is not None:
                self.organisations.append(organisation)
        return True

    def read_projects(self) -> bool:
        """Read projects.csv; False when the file could not be read at all."""
        rows = _rows(self.folder / PROJECTS, self.problems)
        if rows is None:
            return False
        for row in rows:
            project_id, acronym, title, programme, _topic, start, end = row.cells
            before = len(self.problems)
            node_id = project_node_id(project_id)
            self._check_id(node_id, "project_id", project_id, row)
            self._first_seen(self.project_lines, project_id, "project_id", row)
            period = _period(start, end, partial(self._report, row))
            themes = self.programmes.get(programme)
            if themes is None:
                themes = self.programmes[programme] = _programme_themes(programme)
            for theme_id, part in themes:
                if theme_id not in self.themes:
                    self._check_id(theme_id, "programme part", part, row)
            if len(self.problems) != before:
                continue
            # A title standing in for a missing acronym is cut to what a name may hold;
            # the description keeps it whole.
            values = {
                "id": node_id,
                "name": acronym or title[:NAME_LIMIT] or f"H2020 project {project_id}",
                "description": title or None,
                "period": period,
                "provenance": self._provenance(PROJECTS, row.quote),
            }
            project = self._validated(Project, row.where, values)
            if project is not None:
                self.projects.append(project)
                self._address(project, themes, row)
        return True

    def _address(self, project: Project, themes: tuple[tuple[str, str], ...], row: _Row) -> None:
        """Link a project to the themes of its programme parts, making those not seen yet.

        A new theme cites the row of the project, the first to name its part.
        """
        for theme_id, part in themes:
            if theme_id not in self.themes:
                values = {
                    "id": theme_id,
                    "name": _PART_NAMES.get(theme_id, part[:NAME_LIMIT]),
                    "kind": ThemeKind.PRIORITY,
                    "provenance": project.provenance,
                }
                theme = self._validated(Theme, row.where, values)
                if theme is None:
                    continue
                self.themes[theme_id] = theme
            values = {
                "type": RelType.ADDRESSES,
                "source": project.id,
                "target": theme_id,
                "provenance": project.provenance,
            }
            relationship = self._validated(Relationship, row.where, values)
            if relationship is not None:
                self.addresses.append(relationship)

    def read_participations(self, check_orgs: bool, check_projects: bool) -> list[Relationship]:
        """The participations, one per (organisation, project); the lead role wins.

        Ids are checked against organisations.csv and projects.csv only when the file
        could be read: otherwise every participation would repeat its problem.
        """
        rows = _rows(self.folder / PARTICIPATIONS, self.problems)
        if rows is None:
            return []
        # (project, org) -> (role, line, quote): only what the relationship needs, as the
        # rows of a large file would otherwise all be alive at once.
        kept: dict[tuple[str, str], tuple[str, int, str]] = {}
        for row in rows:
            project_id, org_id, role = row.cells
            self.roles[role] += 1
            before = len(self.problems)
            if check_projects and project_id not in self.project_lines:
                self._report(
                    row, "problem.cordis.unknown", column="project_id", value=_quoted(project_id)
                )
            if check_orgs and org_id not in self.org_lines:
                self._report(row, "problem.cordis.unknown", column="org_id", value=_quoted(org_id))
            if role not in CORDIS_ROLES:
                expected = ", ".join(sorted(CORDIS_ROLES))
                self._report(
                    row,
                    "problem.cordis.unknown_choice",
                    column="role",
                    value=_quoted(role),
                    expected=expected,
                )
            if len(self.problems) != before:
                continue
            key = (project_id, org_id)
            graph_role = _LEAD if role == LEAD_ROLE else _PARTNER
            previous = kept.get(key)
            if previous is not None:
                self.duplicates += 1
                if previous[0] == _LEAD or graph_role != _LEAD:
                    continue
            kept[key] = (graph_role, row.line, row.quote)

        relationships: list[Relationship] = []
        for (project_id, org_id), (graph_role, line, quote) in kept.items():
            values = {
                "type": RelType.PARTICIPATES_IN,
                "source": org_node_id(org_id),
                "target": project_node_id(project_id),
                "role": graph_role,
                "provenance": self._provenance(PARTICIPATIONS, quote),
            }
            where = f"{PARTICIPATIONS}:{line}"
            relationship = self._validated(Relationship, where, values)
            if relationship is not None:
                relationships.append(relationship)
        return relationships


def _check_source_id(source_id: str) -> None:
    """Refuse a source id no provenance accepts, rather than once for every row."""
    try:
        Provenance(source=source_id, section=ORGANISATIONS, quote=source_id)
    except ValidationError as error:
        raise GraphValidationError(validation_problems("source_id", error)) from None


def read_cordis(folder: Path, *, source_id: str = DEFAULT_SOURCE_ID) -> CordisImport:
    """Read a CORDIS folder into a graph, with counts about what was read.

    Parameters
    ----------
    folder
        A directory holding the files of :data:`CORDIS_FILES`.
    source_id
        The provenance source of every node and relationship.

    Returns
    -------
    CordisImport
        The graph and the counts; see :func:`load_cordis` for the mapping.

    Raises
    ------
    GraphValidationError
        With every problem of every file, each located as ``file:line``.
    """
    _check_source_id(source_id)
    reader = _Reader(folder, source_id)
    orgs_read = reader.read_organisations()
    projects_read = reader.read_projects()
    # An unreadable file would make every participation naming it unknown: the file's
    # own problem says enough.
    relationships = reader.read_participations(orgs_read, projects_read)
    if reader.problems:
        raise GraphValidationError(reader.problems)
    # GraphData.problems() would find nothing more: ids are unique per file and prefixed
    # per kind, participations are unique per pair and both of their ends were checked,
    # and a project addresses each of its themes once.
    graph = GraphData(
        nodes=(*reader.organisations, *reader.projects, *reader.themes.values()),
        relationships=(*relationships, *reader.addresses),
    )
    return CordisImport(
        graph=graph,
        duplicates_dropped=reader.duplicates,
        unnamed_organisations=reader.unnamed,
        activity_types=dict(sorted(reader.activity_types.items())),
        roles=dict(sorted(reader.roles.items())),
    )


def load_cordis(folder: Path, *, source_id: str = DEFAULT_SOURCE_ID) -> GraphData:
    """Read a CORDIS folder into a :class:`GraphData`.

    Mapping:

    - organisation ``org_id`` -> :class:`~graph_schema.Organisation` ``cordis-org-<org_id>``,
      named by ``name``, else ``short_name``, else ``CORDIS organisation <org_id>``; the
      short name is an alias when it differs from the name. ``activity_type`` gives the
      helix role and organisation type (:data:`ACTIVITY_TYPES`); the published data has
      no other values, not even empty ones, so any other value is a problem. ``city`` is
      the place, as given; ``country`` is kept when it is two capital letters (CORDIS
      writes EL for Greece and UK for the United Kingdom), also when the same code is
      repeated ('FI;FI'), and left out otherwise.
    - project ``project_id`` -> :class:`~graph_schema.Project` ``cordis-project-<id>``,
      named by ``acronym``, else ``title``, else ``H2020 project <id>``; the title is
      the description and ``start/end`` the period (``..`` for a missing side). The
      status is left unset.
    - programme -> one :class:`~graph_schema.Theme` of kind ``priority`` per distinct
      part, and an ``ADDRESSES`` relationship from each project to the theme of each of
      its parts. The ``H2020:`` prefix is dropped and the rest split at ``;``, so
      ``H2020:Innovation in SMEs;LEIT`` names two parts, and a bare ``H2020`` one. The
      theme is ``cordis-theme-<part>`` (:func:`theme_node_id`), named after
      :data:`PROGRAMME_PARTS`, else by the part itself, and cites the first project row
      naming the part. Parts giving the same id are one theme. An empty programme
      addresses no theme.
    - participation -> ``PARTICIPATES_IN`` from the organisation to the project, role
      ``lead`` for the coordinator and ``partner`` for every other role of
      :data:`CORDIS_ROLES`. A repeated (organisation, project) pair is dropped, keeping
      the lead one, and counted in :attr:`CordisImport.duplicates_dropped`.

    Every node and relationship has provenance ``source_id``, the file name as section
    and the verbatim CSV row, cut to 300 characters, as quote; a theme and the
    ``ADDRESSES`` relationships quote project rows.

    Parameters
    ----------
    folder
        A directory holding the files of :data:`CORDIS_FILES`.
    source_id
        The provenance source of every node and relationship.

    Returns
    -------
    GraphData
        Organisations, then projects, then themes in the order their parts first occur;
        participations, then the ``ADDRESSES`` relationships, in file order.

    Raises
    ------
    GraphValidationError
        With every problem of every file: a missing file or wrong header, a row with the
        wrong number of cells, an invalid or duplicate id, a programme part that makes
        no valid id, an unknown activity type or role, a malformed date or an end before
        the start, and a participation naming an unknown organisation or project; each
        located as ``file:line``.
    """
    return read_cordis(folder, source_id=source_id).graph
