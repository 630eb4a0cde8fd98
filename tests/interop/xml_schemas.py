"""XML schema validation against the schemas in tests/interop/schemas, offline.

    from tests.interop.xml_schemas import GRAPHML_XSD, schema_errors
    assert schema_errors(GRAPHML_XSD, data) == []

The GraphML schema's web address (graphml.graphdrawing.org/xmlns/1.0/…), which an extension
schema such as app/static/schemas/graphml-gephi.xsd redefines, resolves to the local copy.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

__all__ = ["GEXF_13_XSD", "GRAPHML_XSD", "SCHEMAS", "schema_errors"]

SCHEMAS = Path(__file__).with_name("schemas")
GRAPHML_XSD = SCHEMAS / "graphml" / "graphml.xsd"
GEXF_13_XSD = SCHEMAS / "gexf-1.3" / "gexf.xsd"
_GRAPHML_WEB = "http://graphml.graphdrawing.org/xmlns/1.0/"


class _OfflineGraphML(etree.Resolver):  # type: ignore[misc]
    def resolve(self, url: str, pubid: str | None, context: object) -> object:
        if url.startswith(_GRAPHML_WEB):
            return self.resolve_filename(str(GRAPHML_XSD.with_name(url.rsplit("/", 1)[1])), context)
        return None


def schema_errors(schema: Path, data: bytes) -> list[str]:
    """Every message of validating ``data`` against the schema file; [] when valid."""
    parser = etree.XMLParser()
    parser.resolvers.add(_OfflineGraphML())
    compiled = etree.XMLSchema(etree.parse(str(schema), parser))
    compiled.validate(etree.fromstring(data))
    return [error.message for error in compiled.error_log]
