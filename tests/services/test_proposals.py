"""Proposals from a document, read against a small graph in the embedded store."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF

from app.errors import InvalidRequestError
from app.services.documents import read_document
from app.services.proposals import propose
from app.store import EmbeddedStore
from graph_schema import (
    GraphData,
    HelixRole,
    Network,
    OrgType,
    Project,
    Relationship,
    RelType,
    Theme,
    ThemeKind,
)
from tests.conftest import org, prov

DUTCH = """Dit is een uitgave van de provincie Drenthe

Zorg op afstand

Het UMCG neemt deel aan het project Zorgpad Noord. Ook Stichting Beter Thuis neemt deel
aan Zorgpad Noord. Treant Zorggroep is penvoerder van Zorgpad Noord.

Netwerken

De Groene Zorgalliantie is lid van het Zorgnetwerk Drenthe.
"""

ENGLISH = """Remote care

UMCG takes part in the Zorgpad Noord project together with the Beter Thuis Foundation.
"""


def graph() -> GraphData:
    return GraphData(
        nodes=(
            org(
                "umcg",
                HelixRole.KNOWLEDGE,
                name="Universitair Medisch Centrum Groningen",
                aliases=("UMCG",),
                org_type=OrgType.KNOWLEDGE_INSTITUTION,
            ),
            org(
                "treant",
                HelixRole.CIVIL_SOCIETY,
                name="Treant Zorggroep",
                aliases=("Treant",),
                org_type=OrgType.CARE_PROVIDER,
            ),
            org(
                "provincie-drenthe",
                HelixRole.GOVERNMENT,
                name="Provincie Drenthe",
                org_type=OrgType.GOVERNMENT,
            ),
            Project(id="project-zorgpad-noord", name="Zorgpad Noord"),
            Network(id="network-zorgnetwerk-drenthe", name="Zorgnetwerk Drenthe"),
            Theme(id="theme-digitalisering", name="Digitalisering", kind=ThemeKind.PRIORITY),
        )
    )


@pytest.fixture
def stored(tmp_path: Path) -> GraphData:
    """The graph as the embedded store gives it back."""
    with EmbeddedStore(tmp_path / "store.sqlite3") as store:
        store.upsert(graph())
        return store.snapshot()


def by_name(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in items}


def links(proposal: dict[str, Any]) -> set[tuple[str, str, str, str | None]]:
    names = {i["ref"]: i["name"] for i in (*proposal["organisations"], *proposal["activities"])}
    return {
        (names[link["organisation"]], link["type"], names[link["activity"]], link["role"])
        for link in proposal["links"]
    }


def test_a_dutch_text_gives_known_aliased_and_new_organisations_and_their_links(
    stored: GraphData,
) -> None:
    proposal = propose(DUTCH.encode(), "plan.txt", stored)
    orgs = by_name(proposal["organisations"])
    assert set(orgs) == {
        "Provincie Drenthe",
        "Universitair Medisch Centrum Groningen",
        "Stichting Beter Thuis",
        "Treant Zorggroep",
        "Groene Zorgalliantie",
    }
    umcg = orgs["Universitair Medisch Centrum Groningen"]
    assert (umcg["existing_id"], umcg["matched"]) == ("umcg", "UMCG")  # through its alias
    assert umcg["quote"] == "Het UMCG neemt deel aan het project Zorgpad Noord."
    assert umcg["section"] == "Zorg op afstand"
    new = orgs["Stichting Beter Thuis"]
    assert new["existing_id"] is None
    assert new["proposed_id"] == "stichting-beter-thuis"
    assert (new["helix_role"], new["org_type"]) == ("civil_society", "civil_society_organisation")
    assert new["evidence"] == {"found_by": "name_word", "type_word": "stichting"}
    assert orgs["Groene Zorgalliantie"]["existing_id"] is None
    assert links(proposal) == {
        ("Universitair Medisch Centrum Groningen", "PARTICIPATES_IN", "Zorgpad Noord", "partner"),
        ("Stichting Beter Thuis", "PARTICIPATES_IN", "Zorgpad Noord", "partner"),
        ("Treant Zorggroep", "PARTICIPATES_IN", "Zorgpad Noord", "lead"),
        ("Groene Zorgalliantie", "MEMBER_OF", "Zorgnetwerk Drenthe", "member"),
    }
    assert not any(link["in_graph"] for link in proposal["links"])
    joined = {link["quote"]: link for link in proposal["links"]}
    assert joined["Ook Stichting Beter Thuis neemt deel aan Zorgpad Noord."]["cue"] == "neemt deel"
    assert {link["section"] for link in proposal["links"]} == {"Zorg op afstand", "Netwerken"}


def test_an_english_text_is_read_alike(stored: GraphData) -> None:
    proposal = propose(ENGLISH.encode(), "news.txt", stored)
    orgs = by_name(proposal["organisations"])
    assert set(orgs) == {"Universitair Medisch Centrum Groningen", "Beter Thuis Foundation"}
    assert orgs["Beter Thuis Foundation"]["helix_role"] == "civil_society"
    assert orgs["Beter Thuis Foundation"]["evidence"]["type_word"] == "foundation"
    assert links(proposal) == {
        ("Universitair Medisch Centrum Groningen", "PARTICIPATES_IN", "Zorgpad Noord", "partner"),
        ("Beter Thuis Foundation", "PARTICIPATES_IN", "Zorgpad Noord", "partner"),
    }
    assert {link["section"] for link in proposal["links"]} == {"Remote care"}


def test_an_action_table_links_each_row_to_its_partners_and_proposes_new_rows(
    stored: GraphData,
) -> None:
    text = """Digitalisering

Wat gaan we doen? Met wie? Resultaat

We verkennen een zorgplatform voor ouderen in Drenthe.

UMCG, Treant, Stichting Beter Thuis.

Het platform is getest.
"""
    proposal = propose(text.encode(), "agenda.txt", stored)
    [action] = proposal["activities"]
    assert action["label"] == "Action"
    assert action["existing_id"] is None
    assert action["theme"] == "theme-digitalisering"  # from the heading
    assert action["quote"] == "We verkennen een zorgplatform voor ouderen in Drenthe."
    assert {(a, t) for a, t, _, _ in links(proposal)} == {
        ("Universitair Medisch Centrum Groningen", "PARTNER_IN"),
        ("Treant Zorggroep", "PARTNER_IN"),
        ("Stichting Beter Thuis", "PARTNER_IN"),
    }


def test_a_cue_word_broken_over_two_lines_still_counts(stored: GraphData) -> None:
    text = (
        "Zorgpad\n\nHet project Zorgpad Noord loopt in samenwer-\nking met Stichting Beter Thuis.\n"
    )
    proposal = propose(text.encode(), "plan.txt", stored)
    [link] = proposal["links"]
    assert (link["cue"], link["quote"]) == (
        "in samenwer- king met",
        "Het project Zorgpad Noord loopt in samenwer- king met Stichting Beter Thuis.",
    )


def test_a_news_item_with_a_company_a_new_project_and_a_new_network(stored: GraphData) -> None:
    text = (
        "Nieuws\n\nZorgtech Emmen B.V. en het UMCG starten samen het project ‘SlimThuis’. "
        "Het project wordt gefinancierd door de provincie Drenthe. Zorgtech Emmen levert de "
        "sensoren.\n\nHuisartsenpraktijk De Brink sluit aan bij het Netwerk Zorg Dichtbij.\n"
    )
    proposal = propose(text.encode(), "nieuws.txt", stored)
    orgs = by_name(proposal["organisations"])
    company = orgs["Zorgtech Emmen B.V."]  # once, with its legal form
    assert (company["helix_role"], company["org_type"]) == ("industry", "company")
    assert company["evidence"] == {"found_by": "name_word", "type_word": "b.v."}
    assert orgs["Huisartsenpraktijk De Brink"]["org_type"] == "care_provider"
    assert {(a["label"], a["name"]) for a in proposal["activities"]} == {
        ("Project", "SlimThuis"),
        ("Network", "Netwerk Zorg Dichtbij"),
    }
    assert links(proposal) == {
        ("Zorgtech Emmen B.V.", "PARTICIPATES_IN", "SlimThuis", "partner"),
        ("Universitair Medisch Centrum Groningen", "PARTICIPATES_IN", "SlimThuis", "partner"),
        ("Provincie Drenthe", "SUPPORTS", "SlimThuis", None),
        ("Huisartsenpraktijk De Brink", "MEMBER_OF", "Netwerk Zorg Dichtbij", "member"),
    }


def test_a_network_introduced_as_such_and_its_members(stored: GraphData) -> None:
    text = (
        "Netwerken\n\nZorgcoalitie Zuidoost (ZCZ) is een samenwerkingsverband. Het netwerk "
        "bestaat uit Treant en Stichting Beter Thuis.\n"
    )
    proposal = propose(text.encode(), "nieuws.txt", stored)
    assert [(a["label"], a["name"]) for a in proposal["activities"]] == [
        ("Network", "Zorgcoalitie Zuidoost")
    ]
    assert links(proposal) == {
        ("Treant Zorggroep", "MEMBER_OF", "Zorgcoalitie Zuidoost", "member"),
        ("Stichting Beter Thuis", "MEMBER_OF", "Zorgcoalitie Zuidoost", "member"),
    }


def test_a_link_the_graph_has_is_marked(stored: GraphData) -> None:
    known = stored.model_copy(
        update={
            "relationships": (
                Relationship(
                    type=RelType.PARTICIPATES_IN,
                    source="umcg",
                    target="project-zorgpad-noord",
                    role="partner",
                    provenance=prov(),
                ),
            )
        }
    )
    proposal = propose(DUTCH.encode(), "plan.txt", known)
    marked = {link["organisation_id"]: link["in_graph"] for link in proposal["links"]}
    assert marked["umcg"] is True
    assert marked["treant"] is False


def test_without_the_graph_every_organisation_is_new(stored: GraphData) -> None:
    proposal = propose(DUTCH.encode(), "plan.txt", GraphData())
    names = {o["name"] for o in proposal["organisations"]}
    assert "Stichting Beter Thuis" in names
    assert all(o["existing_id"] is None for o in proposal["organisations"])


def _pdf(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in text.splitlines():
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def docx(paragraphs: list[tuple[str, str | None]], table: list[list[str]] | None = None) -> bytes:
    """A minimal Word document: paragraphs with an optional style (Heading1, …), then a
    table of rows of cells."""
    body = "".join(
        "<w:p>"
        + (f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else "")
        + f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
        for text, style in paragraphs
    )
    if table:
        body += (
            "<w:tbl>"
            + "".join(
                "<w:tr>"
                + "".join(f"<w:tc><w:p><w:r><w:t>{cell}</w:t></w:r></w:p></w:tc>" for cell in row)
                + "</w:tr>"
                for row in table
            )
            + "</w:tbl>"
        )
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}">'
        f"<w:body>{body}</w:body></w:document>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{w}">'
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
        "</w:styles>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
        archive.writestr("word/styles.xml", styles)
    return buffer.getvalue()


def test_a_pdf_is_read_with_its_headings(stored: GraphData) -> None:
    data = _pdf(
        "Zorg op afstand\nHet UMCG neemt deel aan het project Zorgpad Noord.\nNetwerken\n"
        "De Groene Zorgalliantie is lid van het Zorgnetwerk Drenthe."
    )
    document = read_document(data, "plan.pdf")
    assert (document.kind, document.headings) == ("pdf", ("Zorg op afstand", "Netwerken"))
    proposal = propose(data, "plan.pdf", stored)
    names = {i["ref"]: i["name"] for i in (*proposal["organisations"], *proposal["activities"])}
    assert {
        (names[link["organisation"]], names[link["activity"]], link["section"])
        for link in proposal["links"]
    } == {
        ("Groene Zorgalliantie", "Zorgnetwerk Drenthe", "Netwerken"),
        ("Universitair Medisch Centrum Groningen", "Zorgpad Noord", "Zorg op afstand"),
    }


def test_a_word_document_is_read_with_its_headings(stored: GraphData) -> None:
    data = docx(
        [
            ("Samenwerking", "Heading1"),
            ("Stichting Beter Thuis neemt deel aan het project Zorgpad Noord.", None),
        ]
    )
    document = read_document(data, "plan.docx")
    assert (document.kind, document.headings) == ("docx", ("Samenwerking",))
    proposal = propose(data, "plan.docx", stored)
    [link] = proposal["links"]
    assert (link["section"], link["type"], link["role"]) == (
        "Samenwerking",
        "PARTICIPATES_IN",
        "partner",
    )
    assert link["quote"] == "Stichting Beter Thuis neemt deel aan het project Zorgpad Noord."


def test_a_word_table_links_each_row_to_the_partners_in_its_met_wie_cell(
    stored: GraphData,
) -> None:
    data = docx(
        [("Digitalisering", "Heading1")],
        [
            ["Wat gaan we doen?", "Met wie?", "Resultaat"],
            ["We verkennen een zorgplatform voor ouderen.", "UMCG, Treant", "Een pilot."],
        ],
    )
    proposal = propose(data, "agenda.docx", stored)
    [action] = proposal["activities"]
    assert (action["name"], action["theme"], action["section"]) == (
        "We verkennen een zorgplatform voor ouderen.",
        "theme-digitalisering",
        "Digitalisering",
    )
    assert links(proposal) == {
        ("Universitair Medisch Centrum Groningen", "PARTNER_IN", action["name"], None),
        ("Treant Zorggroep", "PARTNER_IN", action["name"], None),
    }
    assert {link["cue"] for link in proposal["links"]} == {"Met wie?"}


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"%PDF-1.7\nthis is no PDF at all", "broken.pdf", "pdf"),
        (b"PK\x03\x04 not a zip", "broken.docx", "docx"),
        (b"\x00\x01\x02binary", "image.bin", "text"),
        (b"   \n\n  ", "empty.txt", "text"),
    ],
)
def test_a_bad_file_is_a_clear_problem(data: bytes, name: str, says: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        read_document(data, name)
    assert f"({says})" in caught.value.worded("nl")
    assert caught.value.status == 422
