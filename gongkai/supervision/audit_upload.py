"""What a supervisor uploads for a 审核批次, checked and unpacked before anything is stored.

Report files (.docx .pdf .html .txt .json, images) and .zip packages of them. Refused as a whole,
with a Chinese message and nothing saved: no file, an empty file, a file of another type, a file
past the parsers' size limit, uploads past the batch's limit, a damaged zip or a zip bomb
(`gongkai.domain.zipcheck`), a zip with no report in it. Inside a zip, folders, hidden files
(__MACOSX, .DS_Store) and files of other types are skipped and listed. Names are kept only as
text: nothing is ever written under an uploaded name (docs/decisions.md AU-WEB-2).
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.files.uploadedfile import UploadedFile

from gongkai.accounts.errors import ServiceError
from gongkai.domain.report.parsers.limits import DEFAULT_LIMITS
from gongkai.domain.zipcheck import ZipLimits, zip_problem
from gongkai.supervision.audit_engine import IMAGE_SUFFIXES

REPORT_SUFFIXES = (".docx", ".pdf", ".html", ".htm", ".txt", ".json", *IMAGE_SUFFIXES)
MAX_FILES = 5_000
MB = 1024 * 1024
# Zip flag bit 11: the member's name is UTF-8 (APPNOTE.TXT 4.4.4). Without it, Chinese names
# written by Windows tools are GBK, which Python decodes as cp437.
_UTF8_FLAG = 0x800


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass
class Unpacked:
    files: list[Upload] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def unpack(uploads: list[Upload], *, max_bytes: int) -> Unpacked:
    """The report files of `uploads` (zips opened), or ServiceError saying what is wrong."""
    if not uploads:
        raise ServiceError("请选择要审核的文件（年度报告文件或其 .zip 压缩包）", field="files")
    total = sum(len(upload.data) for upload in uploads)
    if total > max_bytes:
        raise ServiceError(
            f"上传的文件合计 {total / MB:.1f} MB，超过上限 {max_bytes // MB} MB，请分批上传",
            field="files",
        )
    out = Unpacked()
    for upload in uploads:
        _add(out, upload, max_bytes)
    if not out.files:
        raise ServiceError(
            "压缩包中没有可审核的报告文件（.docx、.pdf、.html、.txt、.json 或图片）", field="files"
        )
    if len(out.files) > MAX_FILES:
        raise ServiceError(
            f"一个批次最多 {MAX_FILES} 个文件，本次有 {len(out.files)} 个，请分批上传",
            field="files",
        )
    _unique_names(out.files)
    return out


def _add(out: Unpacked, upload: Upload, max_bytes: int) -> None:
    name = upload.name or "未命名文件"
    if not upload.data:
        raise ServiceError(f"“{name}”是空文件", field="files")
    if name.lower().endswith(".zip"):
        out.files.extend(_members(name, upload.data, max_bytes, out.skipped))
        return
    if not name.lower().endswith(REPORT_SUFFIXES):
        raise ServiceError(
            f"“{name}”不是可审核的文件类型，可上传 {'、'.join(REPORT_SUFFIXES)} 或 .zip 压缩包",
            field="files",
        )
    _check_size(name, len(upload.data))
    out.files.append(Upload(name, upload.data))


def _check_size(name: str, size: int) -> None:
    limit = DEFAULT_LIMITS.max_file_bytes
    if size > limit:
        raise ServiceError(
            f"“{name}”有 {size / MB:.1f} MB，超过单个报告文件的上限 {limit // MB} MB", field="files"
        )


def _members(name: str, data: bytes, max_bytes: int, skipped: list[str]) -> list[Upload]:
    limits = ZipLimits(
        max_members=MAX_FILES * 2,
        max_member_bytes=DEFAULT_LIMITS.max_file_bytes,
        max_total_bytes=max_bytes,
    )
    problem = zip_problem(data, limits)
    if problem:
        raise ServiceError(f"压缩包“{name}”无法使用：{problem}", field="files")
    found: list[Upload] = []
    # zip_problem has inflated every member within the limits: reading them is safe.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            member = _member_name(info)
            if info.is_dir() or _hidden(member):
                continue
            if not member.lower().endswith(REPORT_SUFFIXES):
                skipped.append(member)
                continue
            found.append(Upload(member, archive.read(info)))
    return found


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & _UTF8_FLAG:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gb18030")
    return name.replace("\\", "/").lstrip("/")


def _hidden(member: str) -> bool:
    parts = PurePosixPath(member).parts
    return any(
        (part.startswith(".") and part not in (".", "..")) or part == "__MACOSX" for part in parts
    )


def _unique_names(files: list[Upload]) -> None:
    """Two files of one name (zips of several folders) get （2）, （3）: findings are by name."""
    seen: dict[str, int] = {}
    for index, upload in enumerate(files):
        count = seen.get(upload.name, 0) + 1
        seen[upload.name] = count
        if count > 1:
            files[index] = Upload(f"{upload.name}（{count}）", upload.data)


def read_uploads(files: list[UploadedFile[bytes]], *, max_bytes: int) -> list[Upload]:
    """The form's files as Uploads, refused by their declared sizes before any is read."""
    total = sum(f.size or 0 for f in files)
    if total > max_bytes:
        raise ServiceError(
            f"上传的文件合计 {total / MB:.1f} MB，超过上限 {max_bytes // MB} MB，请分批上传",
            field="files",
        )
    return [Upload(f.name or "", f.read()) for f in files]
