"""Register demo data of 宛城区人民政府办公室 behind its 2024 report (shared/corpus/
wancheng-office-2024.txt): 68 items published proactively with 15 interpretations, 27 normative
documents in force on 2024-12-31 of which 10 issued in 2024 and none abolished, no 行政许可/处罚/
强制 decisions and no fees, no 行政复议 or 行政诉讼."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gongkai.accounts.models import Organisation
from gongkai.reports.models import EnforcementFigures, NormativeDocument, ProactiveItem

FORMS = ["text", "image", "video"]


def load_register_demo() -> bool:
    office = Organisation.objects.filter(code="WCBGS").first()
    if office is None or NormativeDocument.objects.filter(organisation=office).exists():
        return False
    with transaction.atomic():
        for n in range(68):
            day = dt.date(2024, 1, 8) + dt.timedelta(days=n * 5)
            interpretation = n % 4 == 0 and n < 60  # 15 of them
            ProactiveItem.objects.create(
                organisation=office,
                title=f"宛城区人民政府办公室关于{day:%m月%d日}工作安排的通知"
                if not interpretation
                else f"《宛城区{day:%Y年%m月}政策文件》解读",
                column="政策解读" if interpretation else "通知公告",
                article_item="（一）",
                published_on=day,
                is_interpretation=interpretation,
                interpretation_form=FORMS[n % 3] if interpretation else "",
            )
        for n in range(27):
            issued = dt.date(2024, 2 + n, 10) if n < 10 else dt.date(2016 + n % 8, 3 + n % 9, 15)
            NormativeDocument.objects.create(
                organisation=office,
                kind=NormativeDocument.Kind.NORMATIVE,
                title=f"宛城区人民政府办公室关于规范某项工作的通知（{n + 1}）",
                doc_number=f"宛政办〔{issued.year}〕{n + 1}号",
                issued_on=issued,
            )
        EnforcementFigures.objects.create(
            organisation=office, year=2024, licensing=0, penalty=0, coercion=0, fees=0
        )
    return True
