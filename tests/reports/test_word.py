"""The report pack as Word: read back with python-docx, every number checked against the CLI's JSON."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import docx
import numpy as np
import pytest
from matplotlib import pyplot as plt

from atlas_cli import indicators_json
from atlas_core.errors import ReportError
from layers.layout import as_scenario, atlas_with_layout, plan_layout
from reports.content import city_report, corridor_chapter, corridor_chapters
from reports.pdf import pdf_bytes
from reports.word import PDF_FONTS, docx_bytes

DATE = "2026-01-02"
CJK = re.compile(r"[\u3400-\u9fff]")


def tiny_png(*_args, **_kwargs) -> bytes:
    """A stand-in for the map figure (the figure itself is tested in tests/exports)."""
    buffer = io.BytesIO()
    plt.imsave(buffer, np.zeros((8, 12, 3)), format="png")
    return buffer.getvalue()


def _read(data: bytes):
    return docx.Document(io.BytesIO(data))


def _headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def _captions(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Caption"]


def _number(text: str) -> float:
    return float(text.replace(",", "").rstrip("%"))


@pytest.fixture(scope="module")
def chapter_zh(atlas):
    return _read(docx_bytes(corridor_chapter(atlas, "yangtze", lang="zh", date=DATE, render=tiny_png)))


def test_a_chapter_has_its_headings_in_order_with_real_heading_styles(chapter_zh, atlas):
    headings = _headings(chapter_zh)
    assert headings[0] == ("Title", "沿江科技产业创新带")
    assert [text for style, text in headings if style == "Heading 2"] == [
        "规划要求",
        "成员单元与角色",
        "主要指标",
        "规划所列设施",
        "资料来源",
    ]


def test_figures_and_tables_are_numbered_in_reading_order(chapter_zh):
    captions = _captions(chapter_zh)
    assert [c.split()[0] for c in captions] == ["图1", "表1", "表2", "表3"]
    assert len(chapter_zh.inline_shapes) == 1 and len(chapter_zh.tables) == 3


def test_every_indicator_in_the_chapter_equals_the_clis_json(chapter_zh, atlas):
    expected = next(c for c in indicators_json(atlas)["corridors"] if c["id"] == "yangtze")
    table = chapter_zh.tables[1]
    names = {f"{k}": v for k, v in expected.items() if isinstance(v, dict)}
    checked = 0
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        key = next(k for k in names if cells[0] == _ind_label(k))
        value = names[key]
        if value["value"] is None:
            assert cells[1] == "—"
            continue
        assert _number(cells[1]) == pytest.approx(value["value"], abs=0.005)
        assert _number(cells[2]) == pytest.approx(value["share_of_city"] * 100, abs=0.05)
        assert _number(cells[3]) == pytest.approx(value["per_km2_land"], abs=0.0005)
        assert re.fullmatch(r"(\[\d+\] ?)+", cells[5])  # every value names its sources
        checked += 1
    assert checked >= 2  # population and GDP at least


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_sum_that_includes_a_derived_value_is_marked_and_explained_under_the_table(atlas, lang):
    """The ring holds 姑苏区, whose 2023 GDP is derived: its GDP sum is marked †, equal to the CLI's,
    with a note under the table naming the unit and the method (issue 26)."""
    from presentation.i18n import t

    document = _read(docx_bytes(corridor_chapter(atlas, "ring", lang=lang, date=DATE, render=tiny_png)))
    expected = next(c for c in indicators_json(atlas)["corridors"] if c["id"] == "ring")
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in document.tables[1].rows[1:]}
    gdp = rows[t("ind_gdp_100m_yuan", lang)]
    assert gdp[1].endswith(" †") and _number(gdp[1][:-2]) == pytest.approx(
        expected["gdp_100m_yuan"]["value"], abs=0.005
    )
    assert not rows[t("ind_resident_population_10k", lang)][1].endswith("†")  # published for all its members
    gusu = atlas.units.set_index("adcode").loc["320508", f"name_{lang}"]
    notes = [p.text for p in document.paragraphs if p.text.startswith("† ")]
    assert len(notes) == 1 and gusu in notes[0] and "2023" in notes[0]
    yangtze = _read(docx_bytes(corridor_chapter(atlas, "yangtze", lang=lang, date=DATE, render=tiny_png)))
    assert not any(p.text.startswith("† ") for p in yangtze.paragraphs)  # no derived member, no note


def _ind_label(key: str) -> str:
    from presentation.i18n import t

    return t(f"ind_{key}", "zh")


def test_the_members_table_lists_the_corridors_members_with_their_roles(chapter_zh, atlas):
    members = atlas.members.loc[atlas.members["corridor_id"] == "yangtze"]
    rows = [[c.text for c in row.cells] for row in chapter_zh.tables[0].rows[1:]]
    assert [r[1] for r in rows] == list(members["role_zh"])
    assert len(rows) == len(members)


def test_a_chinese_chapter_has_no_english_headings_captions_or_table_headers(chapter_zh):
    labels = [text for _style, text in _headings(chapter_zh)] + _captions(chapter_zh)
    labels += [cell.text for table in chapter_zh.tables for cell in table.rows[0].cells]
    english = [label for label in labels if re.search(r"[A-Za-z]{3,}", label)]
    assert english == []


def test_an_english_chapter_has_no_chinese_outside_names_of_sources(atlas):
    document = _read(docx_bytes(corridor_chapter(atlas, "ring", lang="en", date=DATE, render=tiny_png)))
    labels = [text for _style, text in _headings(document)] + _captions(document)
    labels += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert [label for label in labels if CJK.search(label)] == []


def test_east_asian_fonts_are_set_on_the_styles_not_only_latin_ones(chapter_zh):
    fonts = chapter_zh.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"
    heading = chapter_zh.styles["Heading 1"].element.rPr.rFonts
    assert heading.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"


def test_the_footer_carries_the_date_the_internal_use_note_and_the_page_number(chapter_zh):
    footer = chapter_zh.sections[0].footer
    assert DATE in footer.paragraphs[0].text and "内部使用" in footer.paragraphs[0].text
    assert 'w:instr="PAGE"' in footer._element.xml


def test_a_scenario_is_labelled_on_the_cover_and_in_every_caption(atlas):
    scenario = atlas_with_layout(atlas, as_scenario(plan_layout(), "试验情景"))
    document = _read(docx_bytes(corridor_chapter(scenario, "ring", lang="zh", date=DATE, render=tiny_png)))
    subtitle = [p.text for p in document.paragraphs if p.style.name == "Subtitle"]
    assert subtitle == ["情景：试验情景（非规划原文）"]
    assert all("情景：试验情景（非规划原文）" in caption for caption in _captions(document))


def test_the_whole_city_report_has_an_overview_six_chapters_in_plan_order_and_an_appendix(atlas):
    document = _read(docx_bytes(city_report(atlas, lang="en", date=DATE, render=tiny_png, render_sheet=tiny_png)))
    chapters = [text for style, text in _headings(document) if style == "Heading 1"]
    assert chapters == ["Overview", *atlas.corridors["name_en"], "Appendix: sources and methods"]
    numbers = [int(c.split()[1]) for c in _captions(document) if c.startswith("Table")]
    assert numbers == list(range(1, len(numbers) + 1))  # numbered once through the whole report
    appendix = [p.text for p in document.paragraphs][[p.text for p in document.paragraphs].index(chapters[-1]) :]
    assert any(p.startswith("Derived (†)") for p in appendix)  # the method of 姑苏区's GDP (issue 26)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_the_whole_city_report_opens_with_a_table_of_contents_field_already_filled_in(atlas):
    document = _read(docx_bytes(city_report(atlas, lang="zh", date=DATE, render=tiny_png, render_sheet=tiny_png)))
    body = document.element.body
    instructions = [i.text for i in body.iter(f"{W}instrText")]
    assert instructions[0].strip().startswith('TOC \\o "1-1"')  # Word, WPS and LibreOffice can update it
    entries = [p for p in document.paragraphs if p.style.name == "toc 1"]
    chapters = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [e.text.rstrip("\t") for e in entries] == [c.text for c in chapters]  # readable before any update
    marks = {c.text: c._p.find(f"{W}bookmarkStart").get(f"{W}name") for c in chapters}
    for entry in entries:  # each entry links to its chapter's heading and asks for its page
        anchor = entry._p.find(f"{W}hyperlink").get(f"{W}anchor")
        assert anchor == marks[entry.text.rstrip("\t")] and f"PAGEREF {anchor}" in entry._p.xml
    assert all(c.paragraph_format.page_break_before for c in chapters)  # each chapter on a new page
    assert document.settings.element.find(f"{W}updateFields").get(f"{W}val") == "true"
    assert [p.text for p in document.paragraphs[:2]] == ["苏州数字经济创新集群空间布局报告", "目录"]


def test_a_single_chapter_has_no_table_of_contents(chapter_zh):
    assert not [i for i in chapter_zh.element.body.iter(f"{W}instrText") if "TOC" in i.text]
    assert chapter_zh.settings.element.find(f"{W}updateFields") is None


def test_the_page_is_a4_and_tables_and_figures_fit_between_the_margins(chapter_zh):
    section = chapter_zh.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    text_cm = (section.page_width - section.left_margin - section.right_margin) / 360000
    for table in chapter_zh.tables:
        grid = [int(c.get(f"{W}w")) / 567 for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
        assert sum(grid) == pytest.approx(text_cm, abs=0.05)
        assert all(row._tr.trPr.find(f"{W}cantSplit") is not None for row in table.rows)  # no row breaks
    assert all(shape.width.cm <= text_cm + 0.01 for shape in chapter_zh.inline_shapes)


def test_short_values_never_wrap_only_the_longest_column_narrows():
    from reports.document import Table
    from reports.word import CELL_PADDING_CM, LATIN_CM, WIDE_CM, column_widths_cm

    table = Table("", ("名称", "年份", "占全市"), (("很长的设施名称" * 8, "2023", "30.6%"),))
    name, year, share = column_widths_cm(table, 16.0)
    # a year and "占全市" on one line
    assert year >= CELL_PADDING_CM + LATIN_CM * 4 - 1e-3 and share >= CELL_PADDING_CM + WIDE_CM * 3 - 1e-3
    assert name + year + share == pytest.approx(16.0)


def test_several_corridors_make_one_document_and_an_unknown_one_is_refused(atlas):
    document = corridor_chapters(atlas, ["ring", "huning"], lang="en", date=DATE, render=tiny_png)
    assert document.title.count(";") == 1
    with pytest.raises(ReportError, match="unknown corridor 'nowhere'"):
        corridor_chapter(atlas, "nowhere", lang="en", date=DATE, render=tiny_png)


def test_a_bureaus_template_keeps_its_styles_and_header(atlas, tmp_path):
    bureau = docx.Document()
    bureau.sections[0].header.paragraphs[0].text = "某某市规划局"
    bureau.add_paragraph("template body, replaced by the report")
    buffer = io.BytesIO()
    bureau.save(buffer)
    chapter = corridor_chapter(atlas, "ring", lang="zh", date=DATE, render=tiny_png)
    document = _read(docx_bytes(chapter, template=buffer.getvalue()))
    assert document.sections[0].header.paragraphs[0].text == "某某市规划局"
    assert "template body" not in "\n".join(p.text for p in document.paragraphs)
    with pytest.raises(ReportError, match="not a Word document"):
        docx_bytes(chapter, template=b"not a docx")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice comes with make system-deps")
def test_the_pdf_embeds_every_font_and_renders_without_warnings(atlas, tmp_path):
    chapter = corridor_chapter(atlas, "yangtze", lang="zh", date=DATE, dpi=150)
    path = tmp_path / "chapter.pdf"
    path.write_bytes(pdf_bytes(docx_bytes(chapter, fonts=PDF_FONTS)))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(row[-5] == "yes" for row in rows), fonts  # the emb column
    rendered = subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], capture_output=True, text=True
    )
    assert rendered.returncode == 0 and rendered.stderr == ""
    assert len(list(tmp_path.glob("page-*.png"))) >= 2


@pytest.mark.slow
def test_the_cli_writes_a_chapter_in_the_chosen_language(tmp_path, capsys):
    from atlas_cli import main

    target = tmp_path / "ring.docx"
    assert main(["--lang", "en", "report", "--corridor", "ring", "-o", str(target)]) == 0
    assert _headings(_read(target.read_bytes()))[0] == ("Title", "Middle Ring Science and Innovation Corridor")
    assert json.dumps(str(target)).strip('"') in capsys.readouterr().out


@pytest.mark.parametrize("corridor", ["ring", "yangtze", "taihu", "hongqiao"])
def test_the_english_land_paragraph_names_the_spine_with_one_article(atlas, corridor):
    """It read "follows the the Yangtze's bank" where the feature's name brings its own article."""
    from reports.content import _land, _summary

    row = next(r for r in _summary(atlas).itertuples(index=False) if r.id == corridor)
    text = _land(row, atlas.corridors.set_index("id").loc[corridor], "en").text
    assert "the the" not in text.lower()
    assert ("follows Lake Taihu's" in text) if corridor == "taihu" else ("follows the " in text)


def test_an_english_unit_name_fits_its_column_as_the_pdf_font_draws_it(atlas):
    """'Zhangjiagang' wrapped to 'Zhangjiagan / g' in the English members table: a column that is
    not narrowed holds its longest word in the PDF's own font (Noto Serif CJK SC, 10.5 pt)."""
    from PIL import ImageFont

    from reports.content import _members_table
    from reports.word import BODY_PT, CELL_MARGINS_CM, column_widths_cm

    path, index = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{index}", "Noto Serif CJK SC"], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    dpi = 600
    font = ImageFont.truetype(path, size=round(BODY_PT * dpi / 72), index=int(index))
    for corridor in atlas.corridors["id"]:
        table = _members_table(atlas, corridor, "en")
        widths = column_widths_cm(table, 16.0)
        for column, width in zip(zip(table.header, *table.rows, strict=True), widths, strict=True):
            widest_word_cm = max(font.getlength(word) for cell in column for word in cell.split()) / dpi * 2.54
            assert width - 2 * CELL_MARGINS_CM >= widest_word_cm, (corridor, column[0])


def test_what_the_plan_asks_is_said_once_under_its_heading(atlas):
    chapter = corridor_chapter(atlas, "yangtze", lang="en", date=DATE, render=tiny_png)
    document = _read(docx_bytes(chapter))
    texts = [p.text for p in document.paragraphs]
    heading = texts.index("What the plan asks")
    assert texts[heading + 1].startswith("Riverside cities") and "What the plan asks" not in texts[heading + 1]
