"""The report's PDF: its Word file laid out by LibreOffice (Debian's libreoffice-writer-nogui, headless).

One layout engine for both formats, so the PDF is the Word file as a bureau would print it:
the same headings, tables, captions and page numbers, with every font embedded. The fonts the
Word file names (宋体, 黑体) are drawn with Debian's Noto CJK in their Simplified Chinese forms
(``reports/fonts.conf``). pdffonts lists them as ``NotoSerifCJKjp-…``: Debian's Noto CJK is one
.ttc whose language faces share one CFF table, named for the Japanese face; the SC face's own
character map picks the Simplified Chinese glyphs (tests/reports/test_pdf.py compares them).

``soffice --convert-to`` lays the file out but leaves its table of contents as the Word file
has it, so the conversion runs a small Basic macro instead (``ReportExport.xba``, installed into
the run's own LibreOffice profile): open the file hidden, update its indexes, save as PDF. Each
conversion runs in its own profile, bounded in time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from atlas_core.errors import ReportError

FONTS_CONF = Path(__file__).with_name("fonts.conf")
MACRO = Path(__file__).with_name("ReportExport.xba")
CONVERT_TIMEOUT_S = 180
PROFILE_TIMEOUT_S = 60
# The profile's Basic library, listing the project's module next to the one LibreOffice makes.
LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" \
library:readonly="false" library:passwordprotected="false">
 <library:element library:name="Module1"/>
 <library:element library:name="ReportExport"/>
</library:library>
"""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ReportError(
            "LibreOffice is not installed, so no PDF can be made: run `make system-deps` "
            "(Debian's libreoffice-writer-nogui); the Word file can be made without it",
            zh="未安装 LibreOffice，无法生成 PDF：请运行 `make system-deps`（Debian 的 libreoffice-writer-nogui）；"
            "Word 文件不需要它",
        )
    return found


def _failed(done: subprocess.CompletedProcess) -> ReportError:
    said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[-500:]
    return ReportError(
        f"LibreOffice could not make the PDF (exit {done.returncode}): {said}",
        zh=f"LibreOffice 未能生成 PDF（退出码 {done.returncode}）：{said}",
    )


def _run(command: list[str], env: dict[str, str], timeout_s: float) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, env=env, capture_output=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        raise ReportError(
            f"LibreOffice took over {timeout_s:.0f} s to make the PDF; the Word file is unaffected",
            zh=f"LibreOffice 生成 PDF 超过 {timeout_s:.0f} 秒；Word 文件不受影响",
        ) from None


def _profile(binary: str, folder: Path, env: dict[str, str]) -> str:
    """A fresh LibreOffice profile in ``folder`` holding the export macro; its ``-env`` option.

    LibreOffice fills a new profile's Basic library on its first start (overwriting what is
    there), so the profile is made first and the macro added after."""
    option = f"-env:UserInstallation={(folder / 'profile').as_uri()}"  # its own profile: runs never share one
    done = _run([binary, option, "--headless", "--norestore", "--terminate_after_init"], env, PROFILE_TIMEOUT_S)
    library = folder / "profile" / "user" / "basic" / "Standard"
    if done.returncode != 0 or not library.is_dir():
        raise _failed(done)
    shutil.copyfile(MACRO, library / MACRO.name)
    (library / "script.xlb").write_text(LIBRARY, encoding="utf-8")
    return option


def pdf_bytes(docx: bytes, *, timeout_s: float = CONVERT_TIMEOUT_S) -> bytes:
    """The Word file ``docx`` as PDF bytes (fonts embedded, its table of contents updated)."""
    binary = soffice()
    with tempfile.TemporaryDirectory(prefix="atlas-report-") as tmp:
        folder = Path(tmp)
        source, target = folder / "report.docx", folder / "report.pdf"
        source.write_bytes(docx)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(folder)}
        profile = _profile(binary, folder, env)
        macro = f'macro:///Standard.ReportExport.ExportPdf("{source.as_uri()}","{target.as_uri()}")'
        done = _run([binary, profile, "--headless", "--norestore", macro], env, timeout_s)
        if done.returncode != 0 or not target.exists():
            raise _failed(done)
        return target.read_bytes()
