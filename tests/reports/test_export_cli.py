"""`gongkai report export`: the demo office's 2024 report to each format, checked by `gongkai check`."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.test import TestCase

from gongkai.cases.demo import load_demo
from gongkai.cli.main import main
from gongkai.reports.demo import load_register_demo


class ReportExportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo(today=dt.date(2026, 11, 26))
        load_register_demo()

    def test_each_export_passes_check_without_an_error(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            files = [str(Path(tmp) / f"r.{ext}") for ext in ("docx", "html", "pdf", "json", "txt")]
            for target in files:
                self.assertEqual(
                    main(["report", "export", "--org", "WCBGS", "--year", "2024", "--to", target]),
                    0,
                )
            self.assertEqual(main(["check", *files]), 0)

    def test_an_unknown_organisation_or_format_exits_2(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            self.assertEqual(
                main(
                    ["report", "export", "--org", "NOPE", "--year", "2024", "--to", f"{tmp}/a.docx"]
                ),
                2,
            )
            self.assertEqual(
                main(
                    ["report", "export", "--org", "WCBGS", "--year", "2024", "--to", f"{tmp}/a.odt"]
                ),
                2,
            )
            self.assertFalse(Path(f"{tmp}/a.docx").exists())
