"""A :class:`~reports.document.Document` as a Word file (DOCX) that opens in Word and WPS.

Built with python-docx (docxtpl was compared: it fills a template's own Jinja tags, and a
bureau's house template has none, so the content would not land in it). Real heading styles
(the navigation pane and a table of contents work), East Asian fonts set on every style (not
only the Latin ones), tables as Word tables with a repeated header row, figures with numbered
captions, the date and the approval note or internal-use note in the footer with the page
number. A bureau's own ``.docx`` may be given as the template: its styles, page set-up, header
and footer are kept, and its body is replaced by the report.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
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


def _set_fonts(style, east_asian: str, latin: str) -> None:
    style.font.name = latin
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)


def _base(template: bytes | None) -> docx.document.Document:
    """An empty document: python-docx's default, or a bureau's template with its body cleared."""
    if template is None:
        return docx.Document()
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


def _footer(document: docx.document.Document, report: Document) -> None:
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.text = f"{t('rp_made', report.lang, date=report.date)} · {report.note} · "
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE")
    for run in paragraph.runs:
        run.font.size = Pt(NOTE_PT)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _caption(document: docx.document.Document, block: Figure | Table, lang: str):
    paragraph = document.add_paragraph(caption_text(block, lang), style="Caption")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _table(document: docx.document.Document, block: Table, lang: str) -> None:
    _caption(document, block, lang).paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    _repeat_header(table.rows[0])
    numeric = block.numeric or (False,) * len(block.header)
    for values in block.rows:
        cells = table.add_row().cells
        for cell, text, right in zip(cells, values, numeric, strict=True):
            cell.text = text
            if right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table.autofit = False
    for column, width in zip(table.columns, column_widths_cm(block), strict=True):
        column.width = Cm(width)  # the table's grid: what LibreOffice lays out by
        for cell in column.cells:
            cell.width = Cm(width)  # each cell's own: what Word lays out by


TEXT_WIDTH_CM = 16.0


def column_widths_cm(block: Table) -> list[float]:
    """Widths in proportion to each column's longest text (a wide character counts twice), so a
    name is not squeezed into a column as narrow as a year's.

    >>> column_widths_cm(Table("", ("名称", "年份"), (("苏州大学独墅湖校区", "2023"),)))
    [12.0, 4.0]
    """

    def length(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)

    longest = [max(length(v) for v in column) for column in zip(block.header, *block.rows, strict=True)]
    weights = [min(max(n, 6), 40) for n in longest]
    return [round(TEXT_WIDTH_CM * w / sum(weights), 3) for w in weights]


def _figure(document: docx.document.Document, block: Figure, lang: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
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
    for block in report.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph(block.text)
            if block.note:
                for run in paragraph.runs:
                    run.font.size = Pt(NOTE_PT)
        elif isinstance(block, Figure):
            _figure(document, block, report.lang)
        elif isinstance(block, Table):
            _table(document, block, report.lang)
    _sources(document, report)
    _footer(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
