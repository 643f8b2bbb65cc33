"""`gongkai manage load_holidays FILE`: load a year's State Council holiday notice (the TOML format
of gongkai/domain/calendar_data/README.md, with its 文号 in `source`) and recompute the open
applications' provisional deadlines; prints the deadlines that moved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.errors import ServiceError
from gongkai.cases.holidays import holiday_schedule_load
from gongkai.domain.workdays import CalendarDataError, load_schedule


class Command(BaseCommand):
    help = "载入国务院办公厅年度节假日安排通知，并重新计算暂定的答复期限"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="节假日安排文件（TOML）")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            schedule = load_schedule(path)
            changes = holiday_schedule_load(schedule=schedule)
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{path}") from None
        except (CalendarDataError, ServiceError) as exc:
            raise CommandError(str(exc)) from None
        days = len(schedule.holidays) + len(schedule.makeup_workdays)
        self.stdout.write(f"已载入{schedule.year}年节假日安排（{days}天）：{schedule.source}")
        if not changes:
            self.stdout.write("没有答复期限因此改变。")
            return
        self.stdout.write(f"{len(changes)}件申请的答复期限改变：")
        for change in changes:
            mark = "（仍为暂定）" if change.provisional else ""
            self.stdout.write(
                f"  {change.tracking_no} {change.organisation}：{change.before} → {change.after}{mark}"
            )
