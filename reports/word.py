"""A :class:`~reports.document.Document` as a Word file (DOCX) that opens in Word and WPS.

Built with python-docx (docxtpl was compared: it fills a template's own Jinja tags, and a
bureau's house template has none, so the content would not land in it). Real heading styles
(the navigation pane and a table of contents work), East Asian fonts set on every style (not
only the Latin ones), tables as Word tables with a repeated header row, figures with numbered
captions, the date and the approval note or internal-use note in the footer with the page
number. A bureau's own ``.docx`` may be given as the template: its styles, page set-up, header
and footer are kept, and its body is replaced by the report; without one the page is A4.

A document of several chapters opens with a table of contents: a real TOC field (Word and WPS
update it; the file asks Word to on opening), its entries already written out so that it reads
right before any update, each chapter on a new page. The PDF's has page numbers: LibreOffice
updates it before export (:mod:`reports.pdf`).
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from atlas_core.errors import ReportError
from presentation.i18n import t
from reports.document import Document, Figure, Heading, Paragraph, Table, caption_text

# Fonts as Chinese government documents set them; Word and WPS have them, LibreOffice maps them
# to the installed CJK fonts (Debian's Noto CJK) when it makes the PDF.
SERIF, SANS = ("宋体", "Times New Roman"), ("黑体", "Arial")
FONTS = {"Normal": SERIF, "Title": SANS, "Subtitle": SANS, "Heading 1": SANS, "Heading 2": SANS, "Caption": SANS}
# For the PDF the fonts installed here are named outright (Debian's Noto CJK, Simplified Chinese
# faces): a substitute for 宋体 would be picked by the layout engine, in Japanese glyph forms.
PDF_FONTS = {
    name: ("Noto Serif CJK SC", "Noto Serif CJK SC") if pair == SERIF else ("Noto Sans CJK SC", "Noto Sans CJK SC")
    for name, pair in FONTS.items()
}
BODY_PT = 10.5  # 五号
NOTE_PT = 9.0
A4_CM = (21.0, 29.7)
MARGIN_CM = 2.5  # every side: a 16 cm text width, the figures' width
AFTER_TABLE_PT = 6.0  # the paragraph after a table starts a little below it
KEEP_TABLE_ROWS = 15  # a table this short is kept on one page; a longer one breaks between rows
CONTENTS_LEVELS = 1  # the table of contents lists the chapters


def _set_fonts(style, east_asian: str, latin: str) -> None:
    style.font.name = latin
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)


def _base(template: bytes | None) -> docx.document.Document:
    """An empty document: python-docx's default, or a bureau's template with its body cleared."""
    if template is None:
        document = docx.Document()
        section = document.sections[0]
        section.page_width, section.page_height = Cm(A4_CM[0]), Cm(A4_CM[1])
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
        section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
        return document
    try:
        document = docx.Document(io.BytesIO(template))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReportError(
            f"the template is not a Word document (.docx): {exc}",
            zh=f"模板不是 Word 文档（.docx）：{exc}",
        ) from None
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):  # keep the page set-up, header and footer
            body.remove(child)
    return document


def _styled(document: docx.document.Document, fonts: dict[str, tuple[str, str]]) -> None:
    for name, (east_asian, latin) in fonts.items():
        try:
            style = document.styles[name]
        except KeyError:  # a template without this style: python-docx adds the built-in one on use
            continue
        _set_fonts(style, east_asian, latin)
    document.styles["Normal"].font.size = Pt(BODY_PT)
    language = OxmlElement("w:lang")  # East Asian text is Simplified Chinese (the PDF's glyph forms follow it)
    language.set(qn("w:val"), "en-GB")
    language.set(qn("w:eastAsia"), "zh-CN")
    document.styles["Normal"].element.get_or_add_rPr().append(language)


def text_width_cm(document: docx.document.Document) -> float:
    """The width between the margins of the document's (first) section, in cm."""
    section = document.sections[0]
    if section.page_width is None:  # a template that leaves it to Word's default
        return TEXT_WIDTH_CM
    return round((section.page_width - (section.left_margin or 0) - (section.right_margin or 0)) / 360000, 3)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE) that Word and LibreOffice compute when they lay the page out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _field_char(parent, kind: str) -> None:
    """One of a complex field's marks (begin, separate, end) in a run of its own under ``parent``."""
    run = OxmlElement("w:r")
    mark = OxmlElement("w:fldChar")
    mark.set(qn("w:fldCharType"), kind)
    run.append(mark)
    parent.append(run)


def _run_with(parent, tag: str, text: str = "") -> None:
    run = OxmlElement("w:r")
    child = OxmlElement(tag)
    if text:
        child.set(qn("xml:space"), "preserve")
        child.text = text
    run.append(child)
    parent.append(run)


def _bookmark_name(number: int) -> str:
    return f"_Toc{number:08d}"  # as Word names the headings its table of contents links to


def _bookmark(paragraph, number: int) -> None:
    name = _bookmark_name(number)
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _contents_style(document: docx.document.Document, level: int):
    """Word's built-in 'toc N' paragraph style (LibreOffice's 'Contents N'), added when missing."""
    name = f"toc {level}"
    try:
        return document.styles[name]
    except KeyError:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.paragraph_format.left_indent = Cm(0.74 * (level - 1))
    style.paragraph_format.tab_stops.add_tab_stop(
        Cm(text_width_cm(document)), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )
    return style


def _contents(document: docx.document.Document, entries: list[tuple[str, int, str]], lang: str) -> None:
    """A TOC field over the chapters' headings, its result written out: each entry a link to its
    heading with a PAGEREF field for the page (left for Word, WPS or LibreOffice to compute).
    ``entries``: (text, level, bookmark) in reading order."""
    document.add_paragraph(t("rp_contents", lang), style="TOC Heading")
    paragraphs = [document.add_paragraph(style=_contents_style(document, level)) for _, level, _ in entries]
    first = paragraphs[0]._p
    _field_char(first, "begin")
    _run_with(first, "w:instrText", f' TOC \\o "1-{CONTENTS_LEVELS}" \\h \\z \\u ')
    _field_char(first, "separate")
    for paragraph, (text, _level, bookmark) in zip(paragraphs, entries, strict=True):
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), bookmark)
        link.set(qn("w:history"), "1")
        _run_with(link, "w:t", text)
        _run_with(link, "w:tab")
        _field_char(link, "begin")
        _run_with(link, "w:instrText", f" PAGEREF {bookmark} \\h ")
        _field_char(link, "separate")
        _field_char(link, "end")
        paragraph._p.append(link)
    _field_char(paragraphs[-1]._p, "end")  # the first chapter starts a new page (page break before)


# w:settings children that come after w:updateFields (the schema fixes their order; Word checks it)
AFTER_UPDATE_FIELDS = {
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
}


def _update_fields_on_open(document: docx.document.Document) -> None:
    """Ask Word to update the fields (the table of contents' page numbers) when it opens the file."""
    settings = document.settings.element
    flag = OxmlElement("w:updateFields")
    flag.set(qn("w:val"), "true")
    later = next((c for c in settings if c.tag.rsplit("}", 1)[-1] in AFTER_UPDATE_FIELDS), None)
    if later is None:
        settings.append(flag)
    else:
        later.addprevious(flag)


def _footer(document: docx.document.Document, report: Document) -> None:
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.text = f"{t('rp_made', report.lang, date=report.date)} · {report.note} · "
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE")
    for run in paragraph.runs:
        run.font.size = Pt(NOTE_PT)


def _row_flag(row, tag: str) -> None:
    """A row property that is on or off: w:tblHeader (repeat on each page), w:cantSplit."""
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _caption(document: docx.document.Document, block: Figure | Table, lang: str):
    paragraph = document.add_paragraph(caption_text(block, lang), style="Caption")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _table(document: docx.document.Document, block: Table, lang: str) -> None:
    """The caption above and the table; no row breaks across pages, a short table not at all."""
    _caption(document, block, lang).paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    _row_flag(table.rows[0], "w:tblHeader")
    numeric = block.numeric or (False,) * len(block.header)
    for values in block.rows:
        cells = table.add_row().cells
        for cell, text, right in zip(cells, values, numeric, strict=True):
            cell.text = text
            if right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for number, row in enumerate(table.rows):
        _row_flag(row, "w:cantSplit")
        if len(table.rows) <= KEEP_TABLE_ROWS and number < len(table.rows) - 1:
            for cell in row.cells:  # Word's way, which LibreOffice follows, to keep a table on one page
                cell.paragraphs[0].paragraph_format.keep_with_next = True
    table.autofit = False
    for column, width in zip(table.columns, column_widths_cm(block, text_width_cm(document)), strict=True):
        column.width = Cm(width)  # the table's grid: what LibreOffice lays out by
        for cell in column.cells:
            cell.width = Cm(width)  # each cell's own: what Word lays out by


TEXT_WIDTH_CM = 16.0
LATIN_CM = 0.21  # a wide Latin letter or digit at 五号 (10.5 pt) in Noto Serif: "Zhangjiagang" is 2.45 cm
WIDE_CM = 0.375  # a Chinese character at 五号 (10.5 pt / 72 * 2.54)
CELL_PADDING_CM = 0.5  # a cell's left and right margins, and a little air
CELL_MARGINS_CM = 0.19  # Word's default left and right margin inside a cell (108 twips), which LibreOffice keeps


def column_widths_cm(block: Table, width_cm: float = TEXT_WIDTH_CM) -> list[float]:
    """Column widths filling ``width_cm``: each column as wide as its longest text when they all
    fit, the extra shared in proportion; when they do not, only the widest columns are narrowed
    (to one common width), so a short value such as a year, a share or a unit's name never wraps
    while a long name does; and no column is narrower than its longest word.

    >>> column_widths_cm(Table("", ("名称", "年份"), (("苏州大学独墅湖校区", "2023"),)), 16.0)
    [11.889, 4.111]
    >>> column_widths_cm(Table("", ("名称", "年份"), (("很长的名称" * 10, "2023"),)), 16.0)
    [14.66, 1.34]
    """
    columns = list(zip(block.header, *block.rows, strict=True))
    natural = [CELL_PADDING_CM + max(_text_cm(v) for v in column) for column in columns]
    if sum(natural) <= width_cm:
        return [round(width_cm * n / sum(natural), 3) for n in natural]
    cap = width_cm / len(natural)  # the common width of the narrowed columns: all but those narrower
    for narrow in range(len(natural)):
        kept = sorted(natural)[:narrow]
        cap = (width_cm - sum(kept)) / (len(natural) - narrow)
        if narrow == len(natural) - 1 or sorted(natural)[narrow] >= cap:
            break
    word = [CELL_PADDING_CM + max(_text_cm(w) for v in column for w in _unbreakable(v)) for column in columns]
    return [round(max(min(n, cap), w), 3) for n, w in zip(natural, word, strict=True)]


def _unbreakable(text: str) -> list[str]:
    """The runs of ``text`` a line cannot break inside: Latin words and numbers (a line may break
    between any two Chinese characters)."""
    return re.findall(r"[^\s\u2e80-\uffff]+|[\u2e80-\uffff]", text) or [""]


def _text_cm(text: str) -> float:
    """How wide ``text`` runs on one line at 五号 (see LATIN_CM, WIDE_CM)."""
    return sum(WIDE_CM if ord(ch) > 0x2E7F else LATIN_CM for ch in text)


def _figure(document: docx.document.Document, block: Figure, lang: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    width_cm = min(block.width_cm, text_width_cm(document))
    paragraph.add_run().add_picture(io.BytesIO(block.png), width=Cm(width_cm))
    _caption(document, block, lang)


def _sources(document: docx.document.Document, report: Document) -> None:
    if not report.sources:
        return
    document.add_heading(t("rp_sources", report.lang), level=2)
    for number, source in enumerate(report.sources, start=1):
        parts = [source.title, source.url, source.date]
        text = f"[{number}] " + "  ".join(p for p in parts if p)
        if source.read_at:
            text += f"  ({t('rp_read_at', report.lang)} {source.read_at})"
        document.add_paragraph(text).runs[0].font.size = Pt(NOTE_PT)


def _contents_entries(report: Document) -> list[tuple[str, int, str]]:
    """The headings the table of contents lists: (text, level, bookmark), none without contents."""
    if not report.contents:
        return []
    headings = [b for b in report.blocks if isinstance(b, Heading) and b.level <= CONTENTS_LEVELS]
    return [(h.text, h.level, _bookmark_name(n)) for n, h in enumerate(headings, start=1)]


def _body(document: docx.document.Document, report: Document) -> None:
    """The report's blocks in order; with contents, each chapter on a new page, marked for its entry."""
    listed = 0
    after_table = False
    for block in report.blocks:
        paragraph = None
        if isinstance(block, Heading):
            paragraph = document.add_heading(block.text, level=block.level)
            if report.contents and block.level <= CONTENTS_LEVELS:
                paragraph.paragraph_format.page_break_before = block.level == 1
                listed += 1
                _bookmark(paragraph, listed)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph(block.text)
            if block.note:
                for run in paragraph.runs:
                    run.font.size = Pt(NOTE_PT)
        elif isinstance(block, Figure):
            _figure(document, block, report.lang)
        elif isinstance(block, Table):
            _table(document, block, report.lang)
        if paragraph is not None and after_table:
            paragraph.paragraph_format.space_before = Pt(AFTER_TABLE_PT)
        after_table = isinstance(block, Table)


def docx_bytes(report: Document, *, template: bytes | None = None, fonts: dict[str, tuple[str, str]] = FONTS) -> bytes:
    """The report as DOCX bytes (in ``template``'s styles and page set-up when one is given);
    ``fonts``: style -> (East Asian, Latin) font (:data:`FONTS` for Word, :data:`PDF_FONTS` for the PDF)."""
    document = _base(template)
    _styled(document, fonts)
    document.core_properties.title = report.title
    document.core_properties.language = "zh-CN" if report.lang == "zh" else "en-GB"
    document.add_paragraph(report.title, style="Title")
    if report.subtitle:
        document.add_paragraph(report.subtitle, style="Subtitle")
    entries = _contents_entries(report)
    if entries:
        _contents(document, entries, report.lang)
        _update_fields_on_open(document)
    _body(document, report)
    _sources(document, report)
    _footer(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
