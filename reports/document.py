"""A report as a plain document model: headings, paragraphs, figures, tables and a source list.

The content (:mod:`reports.content`) is built once as this model; each writer (Word, PDF through
Word) renders it. Captions are numbered here, once, so every format says 图1 / Figure 1 alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: a chapter (a corridor, the overview, the appendix); 2: a section


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: bool = False  # a caveat or a remark: set smaller, under what it qualifies


@dataclass(frozen=True)
class Figure:
    png: bytes
    caption: str  # without its number: numbered by :func:`numbered`
    width_cm: float = 16.0
    number: int = 0


@dataclass(frozen=True)
class Table:
    caption: str  # without its number
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    number: int = 0
    numeric: tuple[bool, ...] = ()  # per column: right-aligned numbers


@dataclass(frozen=True)
class Source:
    """A publisher's document a number or fact comes from, cited as [n] where it is used."""

    title: str
    url: str = ""
    date: str = ""
    read_at: str = ""  # a copy the text was read in, never the source itself


Block = Heading | Paragraph | Figure | Table


@dataclass(frozen=True)
class Document:
    title: str
    lang: str
    date: str
    note: str  # the map approval number or the internal-use note, as on the figures
    subtitle: str = ""  # a scenario's label ("情景：…（非规划原文）"), never blank for a scenario
    blocks: tuple[Block, ...] = ()
    sources: tuple[Source, ...] = field(default_factory=tuple)
    contents: bool = False  # a table of contents after the title, each chapter on a new page (several chapters)


CAPTION_PREFIX = {"zh": ("图", "表"), "en": ("Figure ", "Table ")}


def caption_text(block: Figure | Table, lang: str) -> str:
    """'图1 …' / 'Figure 1 …': the caption as printed, with its number.

    >>> caption_text(Table("Members", (), (), number=2), "en")
    'Table 2  Members'
    """
    figure_word, table_word = CAPTION_PREFIX[lang]
    word = figure_word if isinstance(block, Figure) else table_word
    return f"{word}{block.number}  {block.caption}"


def numbered(document: Document) -> Document:
    """The document with its figures and tables numbered in reading order (1, 2, … each)."""
    figures = tables = 0
    blocks: list[Block] = []
    for block in document.blocks:
        if isinstance(block, Figure):
            figures += 1
            block = replace(block, number=figures)
        elif isinstance(block, Table):
            tables += 1
            block = replace(block, number=tables)
        blocks.append(block)
    return replace(document, blocks=tuple(blocks))
