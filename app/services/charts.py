"""Charts for the report as plain SVG strings: a heatmap and a horizontal bar chart.

No script, no stylesheet: every colour and font is an attribute, so the same string is
shown inline in the HTML report, embedded in the PDF (fpdf2 draws SVG) and saved as a
file. Colours are the explorer's: Okabe–Ito, colour-blind safe; the heatmap's diverging
scale is blue where cooperation is below what is expected and orange above it, as on
the explorer's gaps tab. Texts come in already written in the reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from graph_schema.enums import HELIX_COLOURS, HelixRole

__all__ = [
    "FONT",
    "LEGEND_STEPS",
    "ROLE_COLOURS",
    "HeatCell",
    "bar_chart_svg",
    "heatmap_svg",
    "ratio_colour",
]

FONT = "DejaVu Sans Condensed, Arial Narrow, Arial, sans-serif"
INK = "#1F2933"
MUTED = "#52606D"
GRID = "#CBD2D9"
ROLE_COLOURS: dict[str, str] = {str(role): colour for role, colour in HELIX_COLOURS.items()}
"""The helix roles' colours by code (graph_schema's, as on the page)."""
_BLUE = (0, 114, 178)
_ORANGE = (230, 159, 0)


def ratio_colour(ratio: float | None) -> tuple[str, str]:
    """(fill, text colour) for observed ÷ expected: white at 1, blue below, orange above.

    The scale is logarithmic and saturates at a quarter and at four times what is
    expected, as in the explorer.

    >>> ratio_colour(1.0)
    ('#FFFFFF', '#1F2933')
    >>> ratio_colour(0.25)[1]
    '#FFFFFF'
    """
    if ratio is None:
        return "#F3F4F6", INK
    v = max(-1.0, min(1.0, math.log2(max(ratio, 0.125)) / 2))
    base = _BLUE if v < 0 else _ORANGE
    k = abs(v) * 0.85
    rgb = [round(255 + (x - 255) * k) for x in base]
    return "#{:02X}{:02X}{:02X}".format(*rgb), "#FFFFFF" if v < -0.55 else INK


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = 11,
    anchor: str = "start",
    fill: str = INK,
    bold: bool = False,
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size:g}" '
        f'text-anchor="{anchor}" fill="{fill}"{weight}>{escape(text)}</text>'
    )


def _width(text: str, size: float) -> float:
    """Rough width of a text in the condensed font (good enough for layout)."""
    return len(text) * size * 0.5


def _wrap(text: str, size: float, width: float, lines: int = 3) -> list[str]:
    """Words of ``text`` on at most ``lines`` lines of ``width``; the last one cut with …."""
    out: list[str] = []
    for word in text.split():
        if out and _width(out[-1] + " " + word, size) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1 :])]
    limit = max(int(width / (size * 0.5)), 4)
    return [line if len(line) <= limit else line[: limit - 1] + "…" for line in out]


def _svg(width: float, height: float, title: str, body: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img">'
        f"<title>{escape(title)}</title>"
        f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#FFFFFF"/>'
        + "".join(body)
        + "</svg>"
    )


@dataclass(frozen=True, slots=True)
class HeatCell:
    """One cell: observed against expected; ``note`` replaces the numbers (diagonal)."""

    observed: float
    expected: float
    note: str | None = None

    @property
    def ratio(self) -> float | None:
        return self.observed / self.expected if self.expected > 0 else None


@dataclass(frozen=True, slots=True)
class _HeatLayout:
    """Where the parts of a heatmap go (pixels)."""

    size: float
    """The side of a cell: wide enough for the longest word of a column label."""
    top: float
    header: float
    left: float
    label_width: float

    @property
    def grid_top(self) -> float:
        return self.top + self.header

    def cell_origin(self, i: int, j: int) -> tuple[float, float]:
        return self.left + j * self.size, self.grid_top + i * self.size


_LABEL_FONT = 11.0
_COLUMN_FONT = 10.0


def _heat_layout(labels: Sequence[str]) -> tuple[_HeatLayout, list[list[str]], list[list[str]]]:
    """The layout, and the row and column labels broken into lines (never a word cut)."""
    longest_word = max(
        (_width(w, _COLUMN_FONT) for label in labels for w in label.split()), default=0
    )
    size = max(68.0, longest_word + 10)
    label_width = min(max((_width(label, _LABEL_FONT) for label in labels), default=60) + 24, 190)
    rows = [_wrap(label, _LABEL_FONT, label_width - 24, 2) for label in labels]
    columns = [_wrap(label, _COLUMN_FONT, size - 6, 3) for label in labels]
    header = 16 + 13 * max((len(lines) for lines in columns), default=1)
    layout = _HeatLayout(
        size=size, top=34.0, header=header, left=12.0 + label_width, label_width=label_width
    )
    return layout, rows, columns


def _heat_labels(
    layout: _HeatLayout,
    rows: Sequence[Sequence[str]],
    columns: Sequence[Sequence[str]],
    markers: Sequence[str] | None,
) -> list[str]:
    """Column labels above the grid, row labels left of it (with a coloured dot)."""
    size, out = layout.size, []
    for j, lines in enumerate(columns):
        x = layout.left + j * size + size / 2
        for k, line in enumerate(lines):
            y = layout.grid_top - 6 - 13 * (len(lines) - 1 - k)
            out.append(_text(x, y, line, size=_COLUMN_FONT, anchor="middle"))
    for i, lines in enumerate(rows):
        middle = layout.grid_top + i * size + size / 2
        y0 = middle - 7 * (len(lines) - 1) + 4
        for k, line in enumerate(lines):
            out.append(_text(layout.left - 8, y0 + 14 * k, line, anchor="end"))
        if markers:
            out.append(f'<circle cx="17.0" cy="{middle:.1f}" r="5" fill="{markers[i]}"/>')
    return out


def _heat_cell(
    layout: _HeatLayout,
    x: float,
    y: float,
    c: HeatCell,
    weak: bool,
    number: Callable[[float, int], str],
) -> list[str]:
    """One cell: its colour, the ratio, observed / expected, an outline when weak; or
    its note on a grey ground."""
    size = layout.size
    middle = x + size / 2
    fill, ink = ("#E4E7EB", MUTED) if c.note is not None else ratio_colour(c.ratio)
    out = [
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{size:.1f}" height="{size:.1f}" '
        f'fill="{fill}" stroke="#FFFFFF" stroke-width="2"/>'
    ]
    if c.note is not None:
        out.append(_text(middle, y + size / 2 + 4, c.note, size=10, anchor="middle", fill=ink))
        return out
    ratio = "–" if c.ratio is None else number(c.ratio, 2)
    counts = f"{number(c.observed, 0)} / {number(c.expected, 1)}"
    out.append(
        _text(middle, y + size / 2 + 1, ratio, size=14, anchor="middle", fill=ink, bold=True)
    )
    out.append(_text(middle, y + size / 2 + 17, counts, size=9.5, anchor="middle", fill=ink))
    if weak:
        out.append(
            f'<rect x="{x + 3:.1f}" y="{y + 3:.1f}" width="{size - 6:.1f}" '
            f'height="{size - 6:.1f}" fill="none" stroke="{INK}" stroke-width="2.5"/>'
        )
    return out


LEGEND_STEPS = (0.25, 0.5, 0.71, 1.0, 1.41, 2.0, 4.0)
"""The legend's seven steps, from a quarter to four times the expectation."""


def _heat_legend(
    top: float,
    number: Callable[[float, int], str],
    texts: tuple[str, str, str],
    notes: Sequence[str],
) -> list[str]:
    """The legend: its title, the colour steps with their ratio, the words at both ends
    (``texts``: title, below, above) and the notes on how to read a cell."""
    title, below, above = texts
    box, x0 = 44.0, 12.0
    out = [_text(x0, top, title, size=11, bold=True)]
    for k, step in enumerate(LEGEND_STEPS):
        fill, ink = ratio_colour(step)
        x = x0 + k * box
        out.append(
            f'<rect x="{x:.1f}" y="{top + 8:.1f}" width="{box:.1f}" height="18" '
            f'fill="{fill}" stroke="{GRID}" stroke-width="0.5"/>'
        )
        out.append(_text(x + box / 2, top + 21, number(step, 2), size=9, anchor="middle", fill=ink))
    end = x0 + len(LEGEND_STEPS) * box
    out.append(_text(x0, top + 40, "← " + below, size=10, fill=MUTED))
    out.append(_text(end, top + 40, above + " →", size=10, anchor="end", fill=MUTED))
    out.extend(
        _text(x0, top + 58 + 15 * k, note, size=10, fill=MUTED) for k, note in enumerate(notes)
    )
    return out


def heatmap_svg(
    *,
    title: str,
    labels: Sequence[str],
    cell: Callable[[int, int], HeatCell],
    weak: Callable[[HeatCell], bool],
    number: Callable[[float, int], str],
    legend_title: str,
    below: str,
    above: str,
    notes: Sequence[str] = (),
    markers: Sequence[str] | None = None,
) -> str:
    """A square heatmap of observed ÷ expected with its title and a legend.

    Parameters
    ----------
    title
        The chart's title, drawn above it.
    labels
        Row and column labels (the matrix is square); written whole, on several lines
        when long (the cells widen for a long word).
    cell
        ``cell(i, j)``: the cell of row ``i`` and column ``j``.
    weak
        Which cells to outline as weak.
    number
        Formats a number with a given number of decimals in the reader's language.
    legend_title, below, above
        Texts of the legend: its title, and the words at the blue and orange ends.
    notes
        Lines under the legend that say how to read a cell.
    markers
        Optional colour of a dot before each label (the helix roles' colours).

    >>> svg = heatmap_svg(
    ...     title="Thema × thema", labels=["Digitalisering", "Food & lifestyle"],
    ...     cell=lambda i, j: HeatCell(1, 4), weak=lambda c: True,
    ...     number=lambda v, d: f"{v:.{d}f}".replace(".", ","),
    ...     legend_title="Legenda", below="minder", above="meer")
    >>> "Digitalisering<" in svg and "Food &amp; lifestyle<" in svg and "0,25<" in svg
    True
    """
    layout, rows, columns = _heat_layout(labels)
    n = len(labels)
    grid = n * layout.size
    legend_top = layout.grid_top + grid + 26
    width = max(layout.left + grid + 16, 520)
    height = legend_top + 58 + 15 * len(notes)
    out = [_text(12, 20, title, size=13, bold=True)]
    out.extend(_heat_labels(layout, rows, columns, markers))
    for i in range(n):
        for j in range(n):
            c = cell(i, j)
            x, y = layout.cell_origin(i, j)
            out.extend(_heat_cell(layout, x, y, c, c.note is None and weak(c), number))
    out.extend(_heat_legend(legend_top, number, (legend_title, below, above), notes))
    return _svg(width, height, title, out)


def bar_chart_svg(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    value_text: Callable[[float], str],
    axis: str,
    colours: Sequence[str] | None = None,
    legend: Sequence[tuple[str, str]] = (),
) -> str:
    """Horizontal bars, one per label, in the order given, each with its value.

    ``axis`` says what the bars measure (drawn under them); ``colours`` per bar (default
    the government blue); ``legend`` (colour, text) pairs drawn under the axis text.
    """
    font = 11.0
    label_width = min(max((_width(label, font) for label in labels), default=60) + 16, 230)
    bar = 20.0
    gap = 8.0
    top = 34.0
    left = 12.0 + label_width
    span = 330.0
    width = left + span + 70
    height = top + len(labels) * (bar + gap) + 30 + 16 * math.ceil(len(legend) / 2)
    largest = max((v for v in values), default=0.0) or 1.0
    out = [_text(12, 20, title, size=13, bold=True)]
    out.append(
        f'<line x1="{left:.1f}" y1="{top - 4:.1f}" x2="{left:.1f}" '
        f'y2="{top + len(labels) * (bar + gap):.1f}" stroke="{GRID}" stroke-width="1"/>'
    )
    for k, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + k * (bar + gap)
        length = span * max(value, 0.0) / largest
        colour = colours[k] if colours else HELIX_COLOURS[HelixRole.GOVERNMENT]
        shown = _wrap(label, font, label_width - 16, 1)[0]
        out.append(_text(left - 8, y + bar / 2 + 4, shown, anchor="end"))
        out.append(
            f'<rect x="{left:.1f}" y="{y:.1f}" width="{max(length, 1):.1f}" height="{bar:.1f}" '
            f'fill="{colour}"/>'
        )
        out.append(_text(left + length + 6, y + bar / 2 + 4, value_text(value), size=10))
    bottom = top + len(labels) * (bar + gap) + 14
    out.append(_text(left, bottom, axis, size=10, fill=MUTED))
    for k, (colour, text) in enumerate(legend):
        x = left + (k % 2) * 170
        y = bottom + 16 + 16 * (k // 2)
        out.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>')
        out.append(_text(x + 14, y, text, size=10))
    return _svg(width, height, title, out)
