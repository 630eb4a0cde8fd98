"""Text out of a document: PDF, Word (.docx) or plain text, as paragraphs under headings.

A document is read into :class:`Paragraph` s, each with the heading it sits under (the
section a quote is found in). Word documents say which paragraphs are headings (their
styles); PDF and plain text are read as lines, and a line is taken for a heading when it
is short, stands on its own and reads like a title (see :func:`is_heading`).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from app.errors import InvalidRequestError, Message

__all__ = ["Paragraph", "TextDocument", "is_heading", "read_document", "sniff_kind"]

log = logging.getLogger(__name__)
# a damaged upload is answered with a problem; its every oddity need not reach the log
logging.getLogger("pypdf").setLevel(logging.ERROR)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPACE = re.compile(r"\s+")
_TOP_HEADING = re.compile(
    r"^(bijlage|hoofdstuk|deel|annex|appendix|chapter|part)\b|^\d{1,2}[.)]?\s+\S", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of text with its heading; ``text`` keeps the words verbatim (line breaks as
    spaces, a hyphen at a line's end as ``- ``)."""

    text: str
    section: str


@dataclass(frozen=True, slots=True)
class TextDocument:
    kind: str  # "pdf", "docx" or "text"
    paragraphs: tuple[Paragraph, ...]
    headings: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


def _unreadable(kind: str, reason: str) -> InvalidRequestError:
    """The problem for a file that cannot be read; ``reason`` names a catalogue entry
    ``error.proposal.reason.<reason>`` (the parser's own words go to the log only)."""
    return InvalidRequestError.of(
        "error.proposal.unreadable", kind=kind, reason=Message(f"error.proposal.reason.{reason}")
    )


def sniff_kind(data: bytes, filename: str | None = None) -> str:
    """'pdf', 'docx' or 'text', from the bytes first and the file name second."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    name = (filename or "").lower()
    if name.endswith(".pdf"):
        return "pdf"
    if name.endswith(".docx"):
        return "docx"
    return "text"


def read_document(data: bytes, filename: str | None = None) -> TextDocument:
    """The document's paragraphs under their headings; a file that cannot be read, or holds
    no text, is a clear problem (422) naming why."""
    kind = sniff_kind(data, filename)
    if kind == "pdf":
        blocks = _text_blocks(_pdf_text(data))
    elif kind == "docx":
        blocks = _docx_blocks(data)
    else:
        blocks = _text_blocks(_decode(data))
    paragraphs, headings = _sections(blocks)
    if not any(p.text.strip() for p in paragraphs):
        raise InvalidRequestError.of("error.proposal.no_text", kind=kind)
    return TextDocument(kind, tuple(paragraphs), tuple(headings))


# --------------------------------------------------------------------------- decoding


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise _unreadable("text", "binary")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _unreadable("text", "encoding")  # pragma: no cover


def _pdf_text(data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise _unreadable("pdf", "encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InvalidRequestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        log.info("unreadable PDF: %s", error)
        raise _unreadable("pdf", "damaged") from error
    except Exception as error:
        # a damaged file trips the parser anywhere (NotImplementedError for an unknown
        # filter, IndexError, RecursionError …): still the sender's file, not a fault here
        log.info("unreadable PDF: %r", error)
        raise _unreadable("pdf", "damaged") from error
    return "\n\n".join(pages)


def _docx_blocks(data: bytes) -> list[tuple[str, int | None]]:
    """(text, heading level or None) per paragraph and per table cell, in reading order."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            body_xml = archive.read("word/document.xml")
            styles_xml = (
                archive.read("word/styles.xml") if "word/styles.xml" in archive.namelist() else b""
            )
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise _unreadable("docx", "not_docx") from error
    if b"<!DOCTYPE" in body_xml or b"<!DOCTYPE" in styles_xml:
        # entity declarations have no place in a Word document (and could expand without end)
        raise _unreadable("docx", "doctype")
    try:
        root = ElementTree.fromstring(body_xml)  # noqa: S314 - no DOCTYPE reaches here
        styles = _heading_styles(styles_xml)
    except ElementTree.ParseError as error:
        raise _unreadable("docx", "damaged") from error
    body = root.find(f"{_W}body")
    return [] if body is None else list(_walk(body, styles))


def _walk(element: ElementTree.Element, styles: dict[str, int]) -> Iterator[tuple[str, int | None]]:
    """Paragraphs and table cells in reading order, also inside content controls."""
    for child in element:
        if child.tag == f"{_W}p":
            yield _runs(child), _level(child, styles)
        elif child.tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                for cell in row.iter(f"{_W}tc"):
                    yield "\n".join(_runs(p) for p in cell.iter(f"{_W}p")), None
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins"):
            yield from _walk(child, styles)


def _runs(paragraph: ElementTree.Element) -> str:
    parts: list[str] = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _heading_styles(styles_xml: bytes) -> dict[str, int]:
    """Style id -> heading level, from the style names (Heading 1, Kop 2, Title)."""
    levels: dict[str, int] = {}
    if not styles_xml:
        return levels
    for style in ElementTree.fromstring(styles_xml).iter(f"{_W}style"):  # noqa: S314 - as above
        style_id = style.get(f"{_W}styleId") or ""
        name_node = style.find(f"{_W}name")
        name = (name_node.get(f"{_W}val") if name_node is not None else None) or style_id
        level = _style_level(name) or _style_level(style_id)
        if level:
            levels[style_id] = level
    return levels


def _style_level(name: str) -> int | None:
    lowered = name.lower().replace(" ", "")
    if lowered in ("title", "titel"):
        return 1
    match = re.fullmatch(r"(heading|kop)(\d)", lowered)
    return int(match.group(2)) if match else None


def _level(paragraph: ElementTree.Element, styles: dict[str, int]) -> int | None:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    if style is None:
        return None
    style_id = style.get(f"{_W}val") or ""
    return styles.get(style_id) or _style_level(style_id)


# --------------------------------------------------------------------------- plain text


_TRAILING_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "of",
        "van",
        "op",
        "voor",
        "met",
        "aan",
        "in",
        "uit",
        "te",
        "om",
        "door",
        "bij",
        "als",
        "dat",
        "die",
        "is",
        "zijn",
        "we",
        "wij",
        "ons",
        "our",
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "for",
        "with",
        "in",
        "on",
        "by",
        "at",
        "as",
        "that",
        "is",
        "are",
    ]
)


def is_heading(line: str, before_blank: bool, after_blank: bool, next_line: str = "") -> bool:
    """A line that reads as a title: short, no sentence punctuation inside or at its end,
    starting with a capital or a number, standing apart from running text (a blank line
    after it, or a next line starting a sentence) and not ending in a word that leads on.

    >>> is_heading("Bijlage 2 Projectvoorbeelden", True, True)
    True
    >>> is_heading("Twincer", True, False, "De Twincer is een ingenieuze inhalator")
    True
    >>> is_heading("HHR ecosysteem, TZA, PGO, NOM, IT-Hub.", True, True)
    False
    >>> is_heading("Onder gezondheidseconomie verstaan we de", True, False, "samen hangende")
    False
    """
    text = line.strip()
    words = text.split()
    following = next_line.strip()
    refusals = (
        not text or len(text) > 80 or len(words) > 9 or not (before_blank or after_blank),
        text[-1:] in tuple(".,;:-–(/") or any(mark in text for mark in ",•:;"),
        "?" in text[:-1] or ". " in text,  # a table's header row, or running sentences
        not (text[:1].isupper() or text[:1].isdigit()),
        sum(1 for word in words if any(ch.isdigit() for ch in word)) > 1,  # figures, years
        len(words) == 1 and text.isupper(),  # a label of a chart, an abbreviation
        bool(words) and words[-1].lower() in _TRAILING_WORDS,
        not after_blank and (len(words) > 6 or not following[:1].isupper()),
        sum(1 for ch in text if ch.isalpha()) < 3,
    )
    return not any(refusals)


def _text_blocks(text: str) -> list[tuple[str, int | None]]:
    """Blank-line-separated paragraphs; a heading line becomes a block of its own."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[tuple[str, int | None]] = []
    current: list[str] = []

    def flush() -> None:
        if not current:
            return
        text = "\n".join(current)
        previous = blocks[-1][0].rstrip() if blocks and blocks[-1][1] is None else ""
        # a page or column break inside a sentence: "… als werkgever" / "tijdig op te …"
        if previous and (
            previous.endswith("-")
            or (previous[-1] not in '.!?:;”’")' and text.lstrip()[:1].islower())
        ):
            blocks[-1] = (previous + "\n" + text, None)
        else:
            blocks.append((text, None))
        current.clear()

    for index, line in enumerate(lines):
        blank_before = index == 0 or not lines[index - 1].strip()
        blank_after = index + 1 >= len(lines) or not lines[index + 1].strip()
        if not line.strip():
            flush()
            continue
        previous = lines[index - 1].rstrip() if index > 0 else ""
        continues = previous.endswith(("-", ",")) and not blank_before
        following = lines[index + 1] if index + 1 < len(lines) else ""
        # PDF text often has no blank lines: a line after a finished sentence stands apart too
        apart = blank_before or previous.endswith((".", "!", "?", ":"))
        if not continues and is_heading(line, apart, blank_after, following):
            flush()
            level = 1 if _TOP_HEADING.match(line.strip()) or line.strip().endswith("?") else 2
            blocks.append((line, level))
            continue
        current.append(line)
    flush()
    return blocks


def _join_lines(text: str) -> str:
    """Lines of one paragraph as running text: breaks become spaces, runs of spaces one."""
    return _SPACE.sub(" ", text).strip()


def _sections(blocks: list[tuple[str, int | None]]) -> tuple[list[Paragraph], list[str]]:
    top = ""
    sub = ""
    paragraphs: list[Paragraph] = []
    headings: list[str] = []
    for raw, level in blocks:
        text = _join_lines(raw)
        if not text:
            continue
        if level is not None:
            headings.append(text)
            if level <= 1:
                top, sub = text, ""
            else:
                sub = text
            continue
        section = f"{top} – {sub}" if top and sub else (sub or top)
        paragraphs.append(Paragraph(text, section))
    return paragraphs, headings
