"""`gongkai manage generate_applications`: synthetic applications for benches and load tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.demo.generate import generate_applications


class Command(BaseCommand):
    help = (
        "为某机关生成一年的模拟依申请公开记录（含补正、延期、征求意见、收费、复议诉讼），"
        "批量写入，用于性能测试；可重复运行，追加在已有记录之后"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="机构代码")
        parser.add_argument("--year", type=int, required=True, help="收到申请的年度")
        parser.add_argument("--count", type=int, required=True, help="生成件数")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（相同参数生成相同记录）")
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="以哪一天为今天（默认今天）"
        )
        parser.add_argument(
            "--create-org", metavar="名称", help="机构不存在时以此名称新建（部门，隶属无）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count, year = options["count"], options["year"]
        if count < 1:
            raise CommandError("生成件数应为正整数")
        if not 2008 <= year <= timezone.localdate().year:
            raise CommandError(f"年度应在 2008 年至今年之间：{year}")
        organisation = self._organisation(options["org"], options["create_org"])
        result = generate_applications(
            organisation,
            year=year,
            count=count,
            seed=options["seed"],
            today=options["today"],
            progress=self._progress,
        )
        self.stdout.write(
            f"已为{organisation.name}生成{year}年申请{result.applications}件、办理记录"
            f"{result.events}条、复议诉讼{result.appeals}件，用时{result.seconds:.1f}秒"
            f"（每秒{result.applications / max(result.seconds, 1e-9):.0f}件）"
        )

    def _organisation(self, code: str, create: str | None) -> Organisation:
        found = Organisation.objects.filter(code=code).first()
        if found is not None:
            return found
        if not create:
            raise CommandError(f"没有机构代码为 {code} 的机构（可加 --create-org 名称 新建）")
        return Organisation.objects.create(
            code=code, name=create, kind=Organisation.Kind.DEPARTMENT
        )

    def _progress(self, done: int, total: int, seconds: float) -> None:
        rate = done / max(seconds, 1e-9)
        self.stderr.write(f"  {done}/{total}（{done * 100 // total}%），每秒{rate:.0f}件")
