"""Zip packages (.docx, .xlsx, .ofd) checked before anything opens them: against zip bombs.

A package is refused when its members declare too much (in all, or against their compressed
size), and then when they actually inflate to more than they may: a bomb can lie in its headers,
so the members are streamed through and only the bytes inflated count. Streaming also checks every
member's CRC, which finds a truncated or damaged package (what `ZipFile.testzip` did, but without
the limits). Nothing is kept in memory beyond one chunk.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MB = 1024 * 1024
_CHUNK = MB


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 2_000
    max_member_bytes: int = 64 * MB
    max_total_bytes: int = 128 * MB
    # Office XML deflates about 5–20:1; images and fonts about 1:1. A member of more than 1 MB
    # inflating more than 100 times its size is a bomb, not a document.
    max_ratio: int = 100


DEFAULT_ZIP_LIMITS = ZipLimits()


def zip_problem(data: bytes, limits: ZipLimits = DEFAULT_ZIP_LIMITS) -> str | None:
    """Why the package may not be opened (in Chinese), or None when it is intact and bounded."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            problem = _declared_problem(members, limits)
            return problem or _inflated_problem(archive, members, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        return "文件已损坏或不完整（压缩包无法读取）"
    except Exception:  # zlib.error and friends from a damaged member
        return "文件已损坏（压缩数据无法解开）"


def _declared_problem(members: list[zipfile.ZipInfo], limits: ZipLimits) -> str | None:
    if len(members) > limits.max_members:
        return f"压缩包内文件过多（{len(members)} 个，上限 {limits.max_members} 个）"
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > limits.max_member_bytes or total > limits.max_total_bytes:
            return _too_big(limits)
        if member.file_size > MB and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            return "压缩比异常，可能是压缩炸弹，拒绝打开"
    return None


def _inflated_problem(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: ZipLimits
) -> str | None:
    total = 0
    for member in members:
        inflated = 0
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                inflated += len(chunk)
                total += len(chunk)
                if inflated > limits.max_member_bytes or total > limits.max_total_bytes:
                    return _too_big(limits)
    return None


def _too_big(limits: ZipLimits) -> str:
    return (
        f"压缩包解开后过大（单个文件上限 {limits.max_member_bytes // MB} MB，"
        f"合计上限 {limits.max_total_bytes // MB} MB），可能是压缩炸弹，拒绝打开"
    )
