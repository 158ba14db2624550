"""The report pack as PDF (LibreOffice headless): its table of contents and its Chinese glyphs.

Read back with poppler (pdftotext, pdftoppm) as a reader would see the pages.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import docx
import numpy as np
import pytest
from docx.shared import Pt
from PIL import Image, ImageDraw, ImageFont
from test_word import DATE, tiny_png

from reports.content import city_report
from reports.document import Heading
from reports.pdf import pdf_bytes
from reports.word import PDF_FONTS, _styled, docx_bytes

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice comes with make system-deps"),
]

ENTRY = re.compile(r"^\s*(\S.*?)\s*\.{4,}\s*(\d+)\s*$")  # a contents line: text, dot leader, page


def _pages(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")


@pytest.fixture(scope="module")
def city_pages(atlas, tmp_path_factory):
    report = city_report(atlas, lang="zh", date=DATE, render=tiny_png, render_sheet=tiny_png)
    pdf = pdf_bytes(docx_bytes(report, fonts=PDF_FONTS))
    return report, _pages(pdf, tmp_path_factory.mktemp("city"))


def test_the_contents_page_lists_every_chapter_with_the_page_it_starts_on(city_pages):
    report, pages = city_pages
    chapters = [b.text for b in report.blocks if isinstance(b, Heading) and b.level == 1]
    contents = next(n for n, page in enumerate(pages) if "目录" in page)
    entries = dict(m.groups() for line in pages[contents].splitlines() if (m := ENTRY.match(line)))
    assert list(entries) == chapters, entries
    for chapter, number in entries.items():
        page = pages[int(number) - 1]
        first_line = next(line.strip() for line in page.splitlines() if line.strip())
        assert first_line == chapter, (chapter, number, page[:200])  # each chapter opens its page
    assert len({int(n) for n in entries.values()}) == len(chapters) and min(map(int, entries.values())) > contents + 1


def test_no_page_is_empty_but_for_its_footer(city_pages):
    _report, pages = city_pages
    for number, page in enumerate(pages[:-1], start=1):  # the text after the last form feed is empty
        lines = [line for line in page.splitlines() if line.strip()]
        assert len(lines) > 1, f"page {number} has only {lines}"


# Characters whose Simplified Chinese and Japanese forms differ (the Noto CJK faces draw both).
DIFFERING = "直骨角过写"
NOTO = "/usr/share/fonts/opentype/noto/Noto{family}CJK-{weight}.ttc"
FACE = {"SC": 2, "JP": 0}  # the faces' numbers in Debian's fonts-noto-cjk collections (fc-list ':' file index)


def _ink(image: Image.Image) -> np.ndarray:
    """The inked part of a line of text, cropped and scaled to one size, as booleans."""
    dark = np.asarray(image.convert("L")) < 128
    ys, xs = np.nonzero(dark)
    cropped = Image.fromarray(dark[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1])
    return np.asarray(cropped.resize((500, 100)))


def _reference(family: str, weight: str, face: str) -> np.ndarray:
    font = ImageFont.truetype(NOTO.format(family=family, weight=weight), 100, index=FACE[face])
    image = Image.new("L", (700, 160), 255)
    ImageDraw.Draw(image).text((10, 10), DIFFERING, font=font, fill=0)
    return _ink(image)


def test_the_pdf_draws_simplified_chinese_glyph_forms_in_body_and_headings(tmp_path):
    """pdffonts names the fonts NotoSerifCJKjp-…, the CFF name the collection's faces share; what
    matters is the glyphs drawn, compared here with the SC and JP faces drawn by FreeType."""
    document = docx.Document()
    _styled(document, PDF_FONTS)
    document.add_paragraph().add_run(DIFFERING).font.size = Pt(72)
    for run in document.add_heading(DIFFERING, level=1).runs:
        run.font.size = Pt(72)
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "glyphs.pdf"
    path.write_bytes(pdf_bytes(buffer.getvalue()))
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(path), str(tmp_path / "glyphs")], check=True)
    page = Image.open(tmp_path / "glyphs.png").convert("L")
    inked_rows = np.nonzero((np.asarray(page) < 128).any(axis=1))[0]
    gap = int(np.argmax(np.diff(inked_rows) > 5))  # between the body line and the heading
    lines = {
        ("Serif", "Regular"): page.crop((0, inked_rows[0], page.width, inked_rows[gap] + 1)),
        ("Sans", "Bold"): page.crop((0, inked_rows[gap + 1], page.width, inked_rows[-1] + 1)),
    }
    for (family, weight), line in lines.items():
        drawn = _ink(line)
        differs = {face: float((drawn != _reference(family, weight, face)).mean()) for face in FACE}
        assert differs["SC"] < differs["JP"] / 2, (family, weight, differs)
