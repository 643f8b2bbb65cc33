"""The `gongkai` console script: one sub-command per entry of `gongkai.cli.commands.COMMANDS`.

Only the module of the command being run is imported (its `register(subparsers)` adds its
parsers); every other command gets a bare parser with its one-line help, enough for
`gongkai --help` and for argparse's "invalid choice" message. So `gongkai due` does not pay for
the report parsers, `gongkai check` does not load the web application, and `gongkai --help`
imports no sub-command at all (docs/performance.md, "CLI start-up").
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from gongkai.cli.commands import COMMANDS


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of `gongkai`: complete for the commands of `command`'s module; every other
    command is its name and its help only (nothing of it is imported)."""
    parser = argparse.ArgumentParser(
        prog="gongkai",
        description="gongkai 政府信息公开工作平台命令行工具",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="命令")
    registered: set[str] = set()
    for entry in COMMANDS:
        if entry.module in registered:
            continue
        if any(c.name == command and c.module == entry.module for c in COMMANDS):
            # The module adds all of its commands, in the table's order.
            importlib.import_module(f"gongkai.cli.{entry.module}").register(subparsers)
            registered.add(entry.module)
        else:
            subparsers.add_parser(entry.name, help=entry.help)
    return parser


def command_of(argv: Sequence[str]) -> str | None:
    """The sub-command named on the command line: the first argument that is not an option (the
    top-level parser has no option taking a value)."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


# Every file the commands create — the SQLite database and its journals, uploads, published
# reports, backups, rendered output — is readable by the user who runs them only (0600, folders
# 0700; GB/T 22239-2019 8.1.4.8). Inherited by `gongkai serve`'s gunicorn and its workers.
PRIVATE_UMASK = 0o077


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(PRIVATE_UMASK)
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(command_of(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
