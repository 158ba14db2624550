"""The report's PDF: its Word file laid out by LibreOffice (Debian's libreoffice-writer-nogui, headless).

One layout engine for both formats, so the PDF is the Word file as a bureau would print it:
the same headings, tables, captions and page numbers, with every font embedded. The fonts the
Word file names (宋体, 黑体) are drawn with Debian's Noto CJK in their Simplified Chinese forms
(``reports/fonts.conf``). Each conversion runs in its own LibreOffice profile, bounded in time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from atlas_core.errors import ReportError

FONTS_CONF = Path(__file__).with_name("fonts.conf")
CONVERT_TIMEOUT_S = 180


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


def pdf_bytes(docx: bytes, *, timeout_s: float = CONVERT_TIMEOUT_S) -> bytes:
    """The Word file ``docx`` as PDF bytes (fonts embedded)."""
    binary = soffice()
    with tempfile.TemporaryDirectory(prefix="atlas-report-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(docx)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(folder)}
        command = [
            binary,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",  # its own profile: runs never share one
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            done = subprocess.run(command, env=env, capture_output=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise ReportError(
                f"LibreOffice took over {timeout_s:.0f} s to make the PDF; the Word file is unaffected",
                zh=f"LibreOffice 生成 PDF 超过 {timeout_s:.0f} 秒；Word 文件不受影响",
            ) from None
        target = folder / "report.pdf"
        if done.returncode != 0 or not target.exists():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[-500:]
            raise ReportError(
                f"LibreOffice could not make the PDF (exit {done.returncode}): {said}",
                zh=f"LibreOffice 未能生成 PDF（退出码 {done.returncode}）：{said}",
            )
        return target.read_bytes()
