"""The CORDIS parser maps every row exactly and reports every problem by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_schema import (
    GraphValidationError,
    HelixRole,
    Organisation,
    OrgType,
    Project,
    Provenance,
    Relationship,
    RelType,
    Theme,
    ThemeKind,
)
from seed.cordis import (
    CORDIS_FILES,
    PROGRAMME_PARTS,
    is_cordis_folder,
    load_cordis,
    read_cordis,
    theme_node_id,
)

NAMED = Path(__file__).resolve().parents[2] / "seed/data/cordis-h2020/named"

ORGANISATIONS = [
    "org_id,name,short_name,activity_type,country,city",
    '999905974,"ACME, S.L.",ACME,PRC,ES,BARCELONA',
    "998221957,UNIVERSITEIT TWENTE,UNIVERSITEIT TWENTE,HES,NL,Enschede",
    "932760440,,TNO,REC,NL,",
    "888888170,,,PUB,EL,",
    "950659074,STICHTING PATIENT,,OTH,FI;FI,TAMPERE",
]
PROJECTS = [
    "project_id,acronym,title,programme,topic,start,end",
    "193157,SMART,Smart sensors for health,H2020:SC1,,2015-01-01,2018-12-31",
    "193158,,Only a title,H2020:ERC,,2016-03-01,",
    "193159,,,H2020:Euratom,,,",
]
PARTICIPATIONS = [
    "project_id,org_id,role",
    "193157,932760440,participant",
    "193157,999905974,coordinator",
    "193157,932760440,coordinator",  # repeats line 2: the lead role wins
    "193158,998221957,thirdParty",
    "193159,888888170,coordinator",
    "193159,950659074,partner",
    "193159,950659074,participant",  # repeats line 7: dropped
]


def _write(folder: Path, name: str, lines: list[str]) -> None:
    # CRLF line ends, as CORDIS publishes them.
    (folder / name).write_bytes("".join(f"{line}\r\n" for line in lines).encode())


def _folder(
    tmp_path: Path,
    organisations: list[str] = ORGANISATIONS,
    projects: list[str] = PROJECTS,
    participations: list[str] = PARTICIPATIONS,
) -> Path:
    folder = tmp_path / "cordis"
    folder.mkdir()
    for name, lines in zip(CORDIS_FILES, (organisations, projects, participations), strict=True):
        _write(folder, name, lines)
    return folder


def _prov(section: str, quote: str) -> Provenance:
    return Provenance(source="cordis-h2020", section=section, quote=quote)


def _org(line: int, org_id: str, **fields: object) -> Organisation:
    provenance = _prov("organisations.csv", ORGANISATIONS[line - 1])
    return Organisation.model_validate(
        {"id": f"cordis-org-{org_id}", "provenance": provenance, **fields}
    )


def _project(line: int, project_id: str, **fields: object) -> Project:
    provenance = _prov("projects.csv", PROJECTS[line - 1])
    return Project.model_validate(
        {"id": f"cordis-project-{project_id}", "provenance": provenance, **fields}
    )


def _participation(line: int, role: str) -> Relationship:
    project_id, org_id, _ = PARTICIPATIONS[line - 1].split(",")
    return Relationship(
        type=RelType.PARTICIPATES_IN,
        source=f"cordis-org-{org_id}",
        target=f"cordis-project-{project_id}",
        role=role,
        provenance=_prov("participations.csv", PARTICIPATIONS[line - 1]),
    )


def _theme(line: int, slug: str, name: str, projects: list[str] = PROJECTS) -> Theme:
    provenance = _prov("projects.csv", projects[line - 1])
    return Theme(
        id=f"cordis-theme-{slug}", name=name, kind=ThemeKind.PRIORITY, provenance=provenance
    )


def _addresses(line: int, slug: str, projects: list[str] = PROJECTS) -> Relationship:
    project_id = projects[line - 1].split(",")[0]
    return Relationship(
        type=RelType.ADDRESSES,
        source=f"cordis-project-{project_id}",
        target=f"cordis-theme-{slug}",
        provenance=_prov("projects.csv", projects[line - 1]),
    )


def test_every_row_is_mapped_exactly(tmp_path: Path) -> None:
    graph = load_cordis(_folder(tmp_path))
    assert list(graph.nodes) == [
        _org(
            2,
            "999905974",
            name="ACME, S.L.",
            aliases=("ACME",),
            helix_role=HelixRole.INDUSTRY,
            org_type=OrgType.COMPANY,
            place="BARCELONA",
            country="ES",
        ),
        _org(
            3,
            "998221957",
            name="UNIVERSITEIT TWENTE",
            helix_role=HelixRole.KNOWLEDGE,
            org_type=OrgType.EDUCATION,
            place="Enschede",
            country="NL",
        ),
        _org(
            4,
            "932760440",
            name="TNO",
            helix_role=HelixRole.KNOWLEDGE,
            org_type=OrgType.KNOWLEDGE_INSTITUTION,
            country="NL",
        ),
        _org(
            5,
            "888888170",
            name="CORDIS organisation 888888170",
            helix_role=HelixRole.GOVERNMENT,
            org_type=OrgType.GOVERNMENT,
            country="EL",
        ),
        _org(
            6,
            "950659074",
            name="STICHTING PATIENT",
            helix_role=HelixRole.CIVIL_SOCIETY,
            org_type=OrgType.CIVIL_SOCIETY_ORGANISATION,
            place="TAMPERE",
            country="FI",
        ),
        _project(
            2,
            "193157",
            name="SMART",
            description="Smart sensors for health",
            period="2015-01-01/2018-12-31",
        ),
        _project(
            3, "193158", name="Only a title", description="Only a title", period="2016-03-01/.."
        ),
        _project(4, "193159", name="H2020 project 193159"),
        _theme(2, "sc1", "Health, demographic change and wellbeing"),
        _theme(3, "erc", "European Research Council"),
        _theme(4, "euratom", "Euratom"),
    ]
    assert list(graph.relationships) == [
        _participation(4, "lead"),
        _participation(3, "lead"),
        _participation(5, "partner"),
        _participation(6, "lead"),
        _participation(7, "partner"),
        _addresses(2, "sc1"),
        _addresses(3, "erc"),
        _addresses(4, "euratom"),
    ]
    assert graph.problems() == []


THEMED = [
    PROJECTS[0],
    "193157,SMART,Smart sensors for health,H2020:Innovation in SMEs;LEIT,,2015-01-01,",
    "193158,,Only a title,H2020:LEIT;LEIT,,2016-03-01,",
    "193159,,,,,,",
]
"""Two parts in one project, a part shared by two projects and repeated in one, none."""


def test_each_programme_part_is_a_theme_the_project_addresses(tmp_path: Path) -> None:
    graph = load_cordis(_folder(tmp_path, projects=THEMED))
    themes = [node for node in graph.nodes if isinstance(node, Theme)]
    assert themes == [
        _theme(2, "innovation-in-smes", "Innovation in SMEs", THEMED),
        _theme(2, "leit", "Leadership in enabling and industrial technologies", THEMED),
    ]
    addresses = [rel for rel in graph.relationships if rel.type is RelType.ADDRESSES]
    assert [rel for rel in addresses if rel.source == "cordis-project-193157"] == [
        _addresses(2, "innovation-in-smes", THEMED),
        _addresses(2, "leit", THEMED),
    ]
    assert graph.problems() == []


def test_projects_sharing_a_part_share_its_theme(tmp_path: Path) -> None:
    graph = load_cordis(_folder(tmp_path, projects=THEMED))
    leit = [node for node in graph.nodes if node.id == "cordis-theme-leit"]
    assert len(leit) == 1
    assert [rel.source for rel in graph.relationships if rel.target == "cordis-theme-leit"] == [
        "cordis-project-193157",
        "cordis-project-193158",
    ]


def test_an_empty_programme_addresses_no_theme(tmp_path: Path) -> None:
    result = read_cordis(_folder(tmp_path, projects=THEMED))
    assert not any(rel.source == "cordis-project-193159" for rel in result.graph.relationships)
    assert result.stats()["projects"] == 3
    assert (result.stats()["themes"], result.stats()["addresses"]) == (2, 3)


def test_programme_parts_are_stripped_and_named_by_their_code_when_unknown(
    tmp_path: Path,
) -> None:
    projects = [
        *PROJECTS,
        "193160,,,H2020,,,",
        "193161,,,H2020: ARF ;; sc1 ;,,,",
    ]
    graph = load_cordis(_folder(tmp_path, projects=projects))
    themes = [node for node in graph.nodes if isinstance(node, Theme)]
    assert [(theme.id, theme.name) for theme in themes] == [
        ("cordis-theme-sc1", "Health, demographic change and wellbeing"),
        ("cordis-theme-erc", "European Research Council"),
        ("cordis-theme-euratom", "Euratom"),
        ("cordis-theme-h2020", "Horizon 2020 (no programme part)"),
        ("cordis-theme-arf", "ARF"),
    ]
    assert [rel.target for rel in graph.relationships if rel.source == "cordis-project-193161"] == [
        "cordis-theme-arf",
        "cordis-theme-sc1",
    ]
    assert graph.problems() == []


def test_theme_ids() -> None:
    assert theme_node_id("SC1") == "cordis-theme-sc1"
    assert theme_node_id("Innovation in SMEs") == "cordis-theme-innovation-in-smes"
    assert theme_node_id("H2020") == "cordis-theme-h2020"
    assert theme_node_id("H2020/ECSEL-RIA") == "cordis-theme-h2020-ecsel-ria"
    assert len({theme_node_id(part) for part in PROGRAMME_PARTS}) == len(PROGRAMME_PARTS)


def test_the_quote_is_the_verbatim_row_even_with_a_comma_inside_quotes(tmp_path: Path) -> None:
    graph = load_cordis(_folder(tmp_path), source_id="cordis-test")
    acme = graph.nodes[0]
    assert acme.provenance == Provenance(
        source="cordis-test",
        section="organisations.csv",
        quote='999905974,"ACME, S.L.",ACME,PRC,ES,BARCELONA',
    )


def test_a_row_longer_than_a_quote_is_cut_to_300_characters(tmp_path: Path) -> None:
    title = "A" * 400
    projects = [*PROJECTS, f"193160,LONG,{title},H2020:SC1,,2015-01-01,2016-01-01"]
    graph = load_cordis(_folder(tmp_path, projects=projects))
    long = next(node for node in graph.nodes if node.id == "cordis-project-193160")
    assert isinstance(long, Project)
    assert long.description == title
    assert long.provenance is not None
    assert long.provenance.quote == projects[-1][:300]
    addresses = graph.relationships[-1]
    assert (addresses.source, addresses.provenance.quote) == (long.id, projects[-1][:300])


def test_counts_report_the_duplicates_and_unnamed_organisations(tmp_path: Path) -> None:
    result = read_cordis(_folder(tmp_path))
    assert result.stats() == {
        "organisations": 5,
        "projects": 3,
        "themes": 3,
        "participations": 5,
        "lead_participations": 3,
        "addresses": 3,
        "duplicates_dropped": 2,
        "unnamed_organisations": 1,
    }
    assert result.activity_types == {"HES": 1, "OTH": 1, "PRC": 1, "PUB": 1, "REC": 1}
    assert result.roles == {"coordinator": 3, "participant": 2, "partner": 1, "thirdParty": 1}


def test_bad_header_unknown_org_and_unknown_activity_type_are_all_reported(
    tmp_path: Path,
) -> None:
    organisations = [*ORGANISATIONS, "900000001,NEW CO,,XYZ,NL,Assen"]
    projects = ["project_id,acronym,title,programme,topic,start", *PROJECTS[1:]]
    participations = [*PARTICIPATIONS, "193157,123456789,participant"]
    folder = _folder(tmp_path, organisations, projects, participations)
    with pytest.raises(GraphValidationError) as caught:
        load_cordis(folder)
    assert sorted(map(str, caught.value.problems)) == [
        "organisations.csv:7: unknown activity_type 'XYZ'; expected one of HES, OTH, PRC, PUB, REC",
        "participations.csv:9: unknown org_id '123456789'",
        "projects.csv:1: header must be exactly: "
        "project_id,acronym,title,programme,topic,start,end",
    ]


@pytest.mark.parametrize(
    ("file_index", "row", "expected"),
    [
        (0, "999905974,ACME AGAIN,,PRC,ES,", "organisations.csv:7: duplicate org_id '999905974'"),
        (0, "900000002,EMPTY TYPE,,,NL,", "organisations.csv:7: unknown activity_type ''"),
        (0, "Org 1,SPACE,,PRC,NL,", "organisations.csv:7: org_id 'Org 1' does not make a valid"),
        (0, "900000003,SHORT,PRC,NL,", "organisations.csv:7: expected 6 cells, found 5"),
        (1, "193157,AGAIN,,H2020,,,", "projects.csv:5: duplicate project_id '193157'"),
        (1, "193160,BAD,,H2020,,2015-13-01,", "projects.csv:5: start '2015-13-01' is not a date"),
        (
            1,
            "193161,BACK,,H2020,,2016-01-01,2015-01-01",
            "projects.csv:5: end 2015-01-01 is before",
        ),
        (
            1,
            "193162,ODD,,H2020:SC1;???,,,",
            "projects.csv:5: programme part '???' does not make a valid id ('cordis-theme-')",
        ),
        (2, "999999,999905974,participant", "participations.csv:9: unknown project_id '999999'"),
        (2, "193157,998221957,observer", "participations.csv:9: unknown role 'observer'"),
    ],
)
def test_each_kind_of_problem_is_located(
    tmp_path: Path, file_index: int, row: str, expected: str
) -> None:
    files = [list(ORGANISATIONS), list(PROJECTS), list(PARTICIPATIONS)]
    files[file_index].append(row)
    with pytest.raises(GraphValidationError) as caught:
        load_cordis(_folder(tmp_path, *files))
    problems = [str(problem) for problem in caught.value.problems]
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems


def test_a_row_spanning_lines_is_located_at_its_first_line(tmp_path: Path) -> None:
    organisations = [*ORGANISATIONS, '900000004,"TWO', 'LINES",,XYZ,NL,', "900000005,,,XYZ,NL,"]
    with pytest.raises(GraphValidationError) as caught:
        load_cordis(_folder(tmp_path, organisations=organisations))
    assert [problem.where for problem in caught.value.problems] == [
        "organisations.csv:7",
        "organisations.csv:9",
    ]


def test_a_quoted_cell_may_span_lines(tmp_path: Path) -> None:
    organisations = [*ORGANISATIONS, '900000004,"TWO', 'LINES",,PRC,NL,']
    graph = load_cordis(_folder(tmp_path, organisations=organisations))
    node = graph.nodes[5]
    assert node.name == "TWO\r\nLINES"
    assert node.provenance is not None
    assert node.provenance.quote == '900000004,"TWO\r\nLINES",,PRC,NL,'


def test_text_that_is_not_utf8_is_located_at_its_line(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    path = folder / "organisations.csv"
    path.write_bytes(path.read_bytes() + "900000006,CAFÉ,,PRC,FR,\r\n".encode("latin-1"))
    with pytest.raises(GraphValidationError) as caught:
        load_cordis(folder)
    problems = [str(problem) for problem in caught.value.problems]
    assert len(problems) == 1, problems
    assert problems[0].startswith("organisations.csv:7: not UTF-8 text"), problems


def test_a_byte_order_mark_is_not_part_of_the_header(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    path = folder / "projects.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert is_cordis_folder(folder)
    assert len(load_cordis(folder).nodes) == 11  # 5 organisations, 3 projects, 3 themes


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "participations.csv").unlink()
    with pytest.raises(GraphValidationError, match=r"participations\.csv: file is missing"):
        load_cordis(folder)


def test_a_source_id_no_provenance_accepts_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GraphValidationError, match="source_id"):
        load_cordis(_folder(tmp_path), source_id=" ")


def test_is_cordis_folder(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert is_cordis_folder(folder)
    assert not is_cordis_folder(folder / "organisations.csv")
    assert not is_cordis_folder(tmp_path / "nowhere")
    _write(folder, "projects.csv", ["project_id,acronym,title", *PROJECTS[1:]])
    assert not is_cordis_folder(folder)
    _write(folder, "projects.csv", PROJECTS)
    (folder / "participations.csv").unlink()
    assert not is_cordis_folder(folder)


def test_the_named_slice_loads_whole() -> None:
    assert NAMED.is_dir(), f"missing {NAMED}"
    assert is_cordis_folder(NAMED)
    result = read_cordis(NAMED)
    assert result.stats() == {
        "organisations": 3662,
        "projects": 628,
        "themes": 8,
        "participations": 6224,
        "lead_participations": 594,
        "addresses": 628,
        "duplicates_dropped": 0,
        "unnamed_organisations": 0,
    }
    assert result.activity_types == {"HES": 608, "OTH": 317, "PRC": 1881, "PUB": 267, "REC": 589}
    assert result.graph.problems() == []
    # Every relationship quotes its row verbatim, so it can be found in the file.
    for section in ("participations.csv", "projects.csv"):
        lines = set((NAMED / section).read_text(encoding="utf-8").splitlines())
        quotes = [r.provenance for r in result.graph.relationships]
        assert all(p.quote in lines for p in quotes if p.section == section)
    themes = {node.id: node.name for node in result.graph.nodes if isinstance(node, Theme)}
    # The slice writes the bare 'H2020' for most projects and 'H2020/<scheme>' for some.
    assert themes["cordis-theme-h2020"] == "Horizon 2020 (no programme part)"
    assert themes["cordis-theme-h2020-ria"] == "H2020/RIA"
    countries = {
        node.id: node.country for node in result.graph.nodes if isinstance(node, Organisation)
    }
    assert countries["cordis-org-998387051"] == "FI"  # written 'FI;FI' in the slice
