"""Demo of the 考核 scorecard (issue 12 §4), on top of the other demos: the records last year's
scorecard of 宛城区 would deduct for (`gongkai.cases.demo.recent_year`: 2025 at the earliest),
entered as an office would —

- 宛城区财政局 lost a 行政复议 that year (the 区政府 ordered it to reply again);
- the office published a notice 40 working days after it was written, without its 索引号;
- the district added its own indicator, 检查发现问题, and its supervisor recorded one for the
  township (a 专栏 column not updated for half a year).

With the applications' and reports' demos this gives the 2024 and last year's scorecards deductions of
several kinds, each with its evidence. The 2024 report figures are untouched (no record of 2024 is
added). Idempotent: nothing is added when the district's own indicator is there.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.cases.demo import recent_year
from gongkai.reports.models import Appeal, ProactiveItem
from gongkai.supervision.models import CustomIndicator
from gongkai.supervision.scorecard_services import custom_indicator_add, manual_deduction_record

INSPECTION = "inspection"


def load_score_demo(today: dt.date | None = None) -> bool:
    year = recent_year(today or timezone.localdate())
    codes = ("WCQ", "WCBGS", "WCCZJ", "WCHLZ")
    found = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    supervisor = User.objects.filter(username="supervisor").first()
    if len(found) < len(codes) or supervisor is None:
        return False
    district = found["WCQ"]
    if CustomIndicator.objects.filter(government=district, key=INSPECTION).exists():
        return False
    with transaction.atomic():
        Appeal.objects.create(
            organisation=found["WCCZJ"], kind=Appeal.Kind.REVIEW, case_number=f"宛政复决〔{year}〕17号",
            body="宛城区人民政府", filed_on=dt.date(year, 3, 5),
            result=Appeal.Result.CORRECTED, decided_on=dt.date(year, 6, 10),
        )  # fmt: skip
        ProactiveItem.objects.create(
            organisation=found["WCBGS"], title=f"关于做好{year}年防汛工作的通知",
            column="通知公告", written_on=dt.date(year, 3, 3), published_on=dt.date(year, 4, 29),
            publisher="宛城区人民政府办公室", summary=f"部署{year}年防汛准备工作。",
        )  # fmt: skip
        custom_indicator_add(
            by=supervisor, government=district, key=INSPECTION, label="检查发现问题",
            points=2, cap=10, source="宛城区政务公开办季度检查（区政府办公室通知）",
        )  # fmt: skip
        manual_deduction_record(
            by=supervisor, government=district, organisation=found["WCHLZ"], year=year,
            key=INSPECTION, note="第三季度检查：政务公开专栏“政策解读”栏目超过6个月未更新",
            evidence_url="/open/WCHLZ/",
        )  # fmt: skip
    return True
