"""The `gongkai` console script: one sub-command per module in `gongkai.cli`.

Each sub-command module exposes `register(subparsers)` which adds its parser and sets
`func` to a callable taking the parsed namespace and returning the exit status.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# Sub-commands are imported lazily so that `gongkai due` does not pay for the report
# parsers and `gongkai check` does not load the web application.
SUBCOMMANDS: tuple[str, ...] = (
    "check", "render", "due", "web", "report", "audit", "backup", "stats", "score", "notify",
)  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkai",
        description="gongkai 政府信息公开工作平台命令行工具",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="命令")
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"gongkai.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"gongkai.cli.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


# Every file the commands create — the SQLite database and its journals, uploads, published
# reports, backups, rendered output — is readable by the user who runs them only (0600, folders
# 0700; GB/T 22239-2019 8.1.4.8). Inherited by `gongkai serve`'s gunicorn and its workers.
PRIVATE_UMASK = 0o077


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(PRIVATE_UMASK)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
