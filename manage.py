#!/usr/bin/env python
"""Django's command-line utility; `uv run gongkai manage ...` does the same."""

import os
import sys

if __name__ == "__main__":
    os.umask(0o077)  # files it creates are the app user's only, as with `gongkai`
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
