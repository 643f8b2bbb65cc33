"""`gongkai backup FILE` and `gongkai restore FILE`: the database and the stored files of an
installation in one file, and back into an empty installation (gongkai/backup.py,
docs/operations.md). Exit 0 = done, 2 = not done (the reason on stderr; nothing written)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from gongkai.cli.commands import help_of


def register(subparsers: Any) -> None:
    backup = subparsers.add_parser("backup", help=help_of("backup"))
    backup.add_argument("file", type=Path, help="备份文件（新文件，如 gongkai-2025-03-20.zip）")
    backup.set_defaults(func=run_backup)
    restore = subparsers.add_parser("restore", help=help_of("restore"))
    restore.add_argument("file", type=Path, help="gongkai backup 生成的备份文件")
    restore.set_defaults(func=run_restore)


def _operator() -> str:
    """Who ran the command, for the audit log: the operating-system account."""
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (containers)
        return "os:?"


def run_backup(args: argparse.Namespace) -> int:
    from gongkai.cli.web import setup_django

    setup_django()
    from gongkai.backup import BackupError, backup_create

    try:
        outcome = backup_create(args.file, username=_operator())
    except BackupError as exc:
        print(f"备份失败：{exc}", file=sys.stderr)
        return 2
    for warning in outcome.warnings:
        print(f"注意：{warning}", file=sys.stderr)
    print(
        f"备份完成：{outcome.path}（{outcome.size} 字节，{outcome.rows} 行数据，"
        f"{outcome.files} 个文件，用时 {outcome.seconds:.1f} 秒）"
    )
    print(f"SHA-256：{outcome.sha256}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from gongkai.cli.web import setup_django

    setup_django()
    from django.conf import settings

    from gongkai.backup import BackupError, restore

    try:
        outcome = restore(args.file, username=_operator())
    except BackupError as exc:
        print(f"恢复失败：{exc}", file=sys.stderr)
        return 2
    print(
        f"恢复完成：{outcome.rows} 行数据，{outcome.files} 个文件"
        f"（用时 {outcome.seconds:.1f} 秒），数据目录 {settings.DATA_DIR}"
    )
    return 0
