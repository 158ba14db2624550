"""Limits on what a user may upload, enforced here in code as well as by the web server."""

from __future__ import annotations

import zipfile

from atlas_core import settings
from atlas_core.errors import UploadRejectedError
from atlas_core.settings import MAX_UPLOAD_MB_ENV

MAX_ZIP_MEMBERS = 200
MAX_ZIP_TOTAL_MB = 500
MAX_ZIP_RATIO = 100


def check_size(size: int, limit: int | None = None) -> None:
    limit = settings.current().max_upload_bytes if limit is None else limit
    if size > limit:
        raise UploadRejectedError(
            f"the file is {size / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB "
            f"(set {MAX_UPLOAD_MB_ENV} to change it)",
            zh=f"文件大小 {size / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB"
            f"（可通过 {MAX_UPLOAD_MB_ENV} 调整）",
        )


def check_zip(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Refuse archives with too many members, too much uncompressed data, a bomb-like
    compression ratio or encrypted members; return the file members (directories left out)."""
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_ZIP_MEMBERS:
        raise UploadRejectedError(
            f"the archive has {len(members)} files; at most {MAX_ZIP_MEMBERS} are accepted",
            zh=f"压缩包内有 {len(members)} 个文件，最多允许 {MAX_ZIP_MEMBERS} 个",
        )
    total = sum(m.file_size for m in members)
    if total > MAX_ZIP_TOTAL_MB * 1048576:
        raise UploadRejectedError(
            f"the archive unpacks to {total / 1048576:.0f} MB; at most {MAX_ZIP_TOTAL_MB} MB",
            zh=f"压缩包解压后有 {total / 1048576:.0f} MB，超过 {MAX_ZIP_TOTAL_MB} MB 上限",
        )
    for member in members:
        if member.flag_bits & 0x1:
            raise UploadRejectedError(
                f"the archive has an encrypted file ({member.filename!r}); upload it unencrypted",
                zh=f"压缩包内有加密文件（{member.filename!r}）；请上传未加密的压缩包",
            )
        if member.compress_size and member.file_size / member.compress_size > MAX_ZIP_RATIO:
            raise UploadRejectedError(
                f"{member.filename!r} expands {member.file_size / member.compress_size:.0f} times: "
                "refused as a possible zip bomb",
                zh=f"{member.filename!r} 压缩比过高（{member.file_size / member.compress_size:.0f} 倍），"
                "疑似压缩炸弹，已拒绝",
            )
    return members
