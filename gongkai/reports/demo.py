"""Register demo data of 宛城区人民政府办公室 behind its 2024 report (shared/corpus/
wancheng-office-2024.txt): 68 items published proactively with 15 interpretations, 27 normative
documents in force on 2024-12-31 of which 10 issued in 2024 and none abolished, no 行政许可/处罚/
强制 decisions and no fees, no 行政复议 or 行政诉讼; the narrative of 2024 written, and last year's
report in progress (section 一 edited, 五 still to write; `gongkai.cases.demo.recent_year`).

Once last year's deadlines have passed on the day of loading, `publish_recent_reports` publishes
last year's reports of the district as its organisations would have (the office and the finance
bureau on time, the government on time, the township six days late) and starts this year's
report of the office, so that the demo never greets anyone with a report overdue for months.

The 68 items are also the office's 公开目录 on its 专栏: each with its 索引号 (the default rule),
主题, 体裁, 成文日期 and body, each interpretation linked to the policy it explains; two of the
documents are marked 已修改 and three older ones 废止 or 失效 before 2024 (so the 2024 figures stay
10 issued, 0 abolished, 27 in force)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.cases.demo import recent_year
from gongkai.domain.catalogue import IndexRule
from gongkai.pdf import chromium
from gongkai.reports.models import (
    EnforcementFigures,
    NormativeDocument,
    ProactiveItem,
    ReportDraft,
    ReportVersion,
)
from gongkai.reports.services import report_publish

FORMS = ["text", "image", "video"]


def load_register_demo(today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    office = Organisation.objects.filter(code="WCBGS").first()
    if office is None or NormativeDocument.objects.filter(organisation=office).exists():
        return False
    with transaction.atomic():
        _catalogue_items(office)
        _normative_documents(office)
        EnforcementFigures.objects.create(
            organisation=office, year=2024, licensing=0, penalty=0, coercion=0, fees=0
        )
        ReportDraft.objects.create(organisation=office, year=2024, **NARRATIVE_2024)
        year = recent_year(today)
        ReportDraft.objects.create(organisation=office, year=year, **in_progress_narrative(year))
    return True


TOPICS = ["01", "03", "09", "10", "12", "16"]  # 综合政务, 财政, 城乡建设, 科技教育, 卫生, 民政


def _catalogue_items(office: Organisation) -> None:
    rule = IndexRule(org_code=office.code)
    sequence: dict[tuple[str, int], int] = {}
    items: list[ProactiveItem] = []
    for n in range(68):
        day = dt.date(2024, 1, 8) + dt.timedelta(days=n * 5)
        interpretation = n % 4 == 0 and n < 60  # 15 of them
        topic = TOPICS[n % len(TOPICS)]
        written = day - dt.timedelta(days=7 if n % 17 else 40)  # a few published late
        key = (topic, written.year)
        sequence[key] = sequence.get(key, 0) + 1
        number = "" if interpretation else f"宛政办〔2024〕{n + 1}号"
        title = (
            f"宛城区人民政府办公室关于{day:%m月%d日}工作安排的通知"
            if not interpretation
            else f"《宛城区{day:%Y年%m月}政策文件》解读"
        )
        items.append(
            ProactiveItem.objects.create(
                organisation=office,
                title=title,
                column="政策解读" if interpretation else "通知公告",
                article_item="（一）",
                published_on=day,
                is_interpretation=interpretation,
                interpretation_form=FORMS[n % 3] if interpretation else "",
                index_no=rule.format(topic, written.year, sequence[key]),
                publisher=office.name,
                written_on=written,
                doc_number=number,
                topic=topic,
                genre="jiedu" if interpretation else "tongzhi",
                summary=f"{title}的主要内容。",
                body=f"{title}\n\n各乡镇人民政府、街道办事处，区政府各部门：\n现将有关事项通知如下。",
                search_text=f"{title}\n{number}".lower(),
            )
        )
    for n, item in enumerate(items):
        if item.is_interpretation:  # explains the policy published right after it was written
            item.interprets = items[n + 1]
            item.save(update_fields=["interprets"])
    for item in items:
        item.search_text = f"{item.search_text}\n{item.index_no}".lower()
        item.save(update_fields=["search_text"])


def _normative_documents(office: Organisation) -> None:
    for n in range(27):
        issued = dt.date(2024, 2 + n, 10) if n < 10 else dt.date(2016 + n % 8, 3 + n % 9, 15)
        amended = n in (12, 15)
        NormativeDocument.objects.create(
            organisation=office,
            kind=NormativeDocument.Kind.NORMATIVE,
            title=f"宛城区人民政府办公室关于规范某项工作的通知（{n + 1}）",
            doc_number=f"宛政办〔{issued.year}〕{n + 1}号",
            issued_on=issued,
            validity="amended" if amended else "valid",
            amended_on=dt.date(2024, 6, 1) if amended else None,
            replacement=f"宛政办〔2024〕{n + 40}号" if amended else "",
        )
    for n, (validity, issued, ended) in enumerate(
        [
            ("repealed", dt.date(2015, 4, 1), dt.date(2021, 6, 30)),
            ("lapsed", dt.date(2018, 5, 20), dt.date(2023, 5, 20)),
            ("repealed", dt.date(2019, 9, 9), dt.date(2022, 12, 1)),
        ]
    ):
        NormativeDocument.objects.create(
            organisation=office,
            kind=NormativeDocument.Kind.NORMATIVE,
            title=f"宛城区人民政府办公室关于已清理事项的通知（{n + 1}）",
            doc_number=f"宛政办〔{issued.year}〕{n + 80}号",
            issued_on=issued,
            abolished_on=ended,
            validity=validity,
            replacement="宛政办〔2024〕3号" if validity == "repealed" else "",
        )


def publish_demo_reports() -> bool:
    """宛城区财政局 published its 2024 report on time, so the district's roll-up shows every
    state: published (财政局), being written (办公室, until `publish_office_report_demo`, which
    only `gongkai demo` calls), not started (政府, 红泥湾镇).

    Separate from `load_register_demo` so that tests start from an office with nothing
    published; `gongkai demo` calls both. False when there is nothing to do or no Chromium."""
    bureau = Organisation.objects.filter(code="WCCZJ").first()
    reviewer = User.objects.filter(username="caizheng").first()
    if bureau is None or reviewer is None:
        return False
    if chromium() is None or ReportDraft.objects.filter(organisation=bureau, year=2024).exists():
        return False  # without Chromium there is no PDF, so nothing to publish
    with transaction.atomic():
        EnforcementFigures.objects.create(
            organisation=bureau, year=2024, licensing=0, penalty=3, coercion=0,
            fees=Decimal("12.5"),
        )  # fmt: skip
        ReportDraft.objects.create(organisation=bureau, year=2024, **FINANCE_2024)
        report_publish(actor=reviewer, organisation=bureau, year=2024, acknowledged=True,
                       today=dt.date(2025, 1, 20))  # fmt: skip
    return True


# 宛城区人民政府办公室 published its 2024 report on 2025-01-24, a week before the departments'
# deadline (条例第四十九条: 1月31日).
OFFICE_PUBLISHED_ON = dt.date(2025, 1, 24)


def publish_office_report_demo() -> bool:
    """The office's 2024 report as its 专栏 shows it (issue 11: the demo's 专栏 is complete).

    Only `gongkai demo` calls it: the tests of the report pages start from the report ready to
    publish. False when it is published already, the office is missing, or there is no Chromium."""
    office = Organisation.objects.filter(code="WCBGS").first()
    reviewer = User.objects.filter(username="reviewer").first()
    if office is None or reviewer is None or chromium() is None:
        return False
    if ReportVersion.objects.filter(organisation=office, year=2024).exists():
        return False
    report_publish(
        actor=reviewer, organisation=office, year=2024, acknowledged=True,
        today=OFFICE_PUBLISHED_ON,
    )  # fmt: skip
    return True


# Numbers are the ones the records give (tables 二–四); the rest is the office's own account.
NARRATIVE_2024 = {
    "overview": """2024年，宛城区人民政府办公室认真贯彻《中华人民共和国政府信息公开条例》，完善政务公开工作机制，以公开促落实、助监督、强监管。
（一）主动公开
2024年度，主动公开政府信息68条，发布政策解读15篇，制发行政规范性文件10件，现行有效行政规范性文件27件。
（二）依申请公开
2024年，共收到政府信息公开申请36件；办结36件，结转下年度继续办理0件。未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。
（三）政府信息管理
对政府信息实施动态管理，及时公开和更新领导分工、机构设置、政策法规等信息，对现行有效的行政规范性文件逐件标注有效性。
（四）政府信息公开平台建设
以区政府门户网站为第一平台，动态调整信息专栏，规范政务新媒体管理，确保平台安全平稳运行。
（五）监督保障
每月向分管领导报告政府信息公开工作，将政务公开纳入年度绩效考核，对不及时公开的情况督促整改。""",
    "problems": """（一）存在的主要问题
政策解读形式较为单一，图解、视频等解读比例不高；依申请公开答复文书的规范性有待提升。
（二）改进措施
一是丰富政策解读形式，重要政策同步发布图解或视频解读；二是统一答复文书模板，加强法制审核；三是加强业务培训，提升工作人员依法办理申请的能力。""",
    "other": "2024年度，未收取政府信息公开信息处理费。本年度无其他需要报告的事项。",
}
FINANCE_2024 = {
    "overview": """2024年，宛城区财政局坚持以公开为常态、不公开为例外，重点做好预算决算和财政资金信息公开。
（一）主动公开
2024年度，在区政府门户网站财政专栏公开预算决算、政府采购等信息。
（二）依申请公开
2024年，未收到政府信息公开申请。未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。
（三）政府信息管理
建立信息发布审核制度，公开前逐条进行保密审查。
（四）政府信息公开平台建设
维护区政府门户网站财政专栏，及时更新预算决算公开专栏。
（五）监督保障
将政务公开纳入局年度工作考核，每季度自查一次。""",
    "problems": """（一）存在的主要问题
部门预算公开的说明不够通俗易懂。
（二）改进措施
一是在预算公开时同步发布图解；二是加强对各预算单位公开工作的指导。""",
    "other": "2024年度，未收取政府信息公开信息处理费。本年度无其他需要报告的事项。",
}


def in_progress_narrative(year: int) -> dict[str, str]:
    """A report being written: section 一 begun, the rest still to come."""
    return {
        "overview": f"""{year}年，宛城区人民政府办公室持续推进政务公开标准化规范化建设。
（一）主动公开
（待填写：全年主动公开信息和政策解读情况）
（二）依申请公开
（待填写：年底后由系统数据生成）""",
        "problems": "",
        "other": "",
    }


# ---------------------------------------------------------------- last year's reports, published


@dataclass(frozen=True)
class DemoPublication:
    """Who publishes an organisation's report of last year, and on which day of this year."""

    code: str
    publisher: str
    month: int
    day: int
    figures: dict[str, int]


RECENT_PUBLICATIONS = (
    # Deadlines (条例第四十九条; the township's by local rule): 1-31, 1-31, 3-31, 2-20.
    DemoPublication("WCCZJ", "caizheng", 1, 20, {"penalty": 2}),
    DemoPublication("WCBGS", "reviewer", 1, 24, {}),
    DemoPublication(
        "WCHLZ", "hongniwan", 2, 26, {"penalty": 1}
    ),  # six days late: the designed case
    DemoPublication("WCQ", "zhengfu", 3, 24, {}),
)


def publish_recent_reports(today: dt.date | None = None) -> int:
    """Publish last year's reports whose demo publication day has come; then start this year's
    report of the office. The number published now; 0 without Chromium (no PDF)."""
    today = today or timezone.localdate()
    year = recent_year(today)
    if chromium() is None:
        return 0
    published = 0
    for plan in RECENT_PUBLICATIONS:
        on = dt.date(year + 1, plan.month, plan.day)
        organisation = Organisation.objects.filter(code=plan.code).first()
        publisher = User.objects.filter(username=plan.publisher).first()
        if on > today or organisation is None or publisher is None:
            continue
        if ReportVersion.objects.filter(organisation=organisation, year=year).exists():
            continue
        with transaction.atomic():
            _complete_narrative(organisation, year, plan)
            report_publish(
                actor=publisher, organisation=organisation, year=year, acknowledged=True, today=on
            )
        published += 1
    office = Organisation.objects.filter(code="WCBGS").first()
    if office and ReportVersion.objects.filter(organisation=office, year=year).exists():
        ReportDraft.objects.get_or_create(
            organisation=office, year=year + 1, defaults=in_progress_narrative(year + 1)
        )
    return published


def _complete_narrative(organisation: Organisation, year: int, plan: DemoPublication) -> None:
    figures = {"licensing": 0, "penalty": 0, "coercion": 0, "fees": 0, **plan.figures}
    EnforcementFigures.objects.get_or_create(organisation=organisation, year=year, defaults=figures)
    ReportDraft.objects.update_or_create(
        organisation=organisation, year=year, defaults=recent_narrative(organisation, year)
    )


def recent_narrative(organisation: Organisation, year: int) -> dict[str, str]:
    """A complete account without figures: the tables, built from the records, carry them."""
    name = organisation.name
    government = organisation.kind == "government"
    rectified = (
        "上年报告所列“政策解读形式较为单一”“答复文书规范性有待提升”两项问题均已整改：重要政策均同步"
        "发布图解解读，答复文书统一使用新模板。\n"
        if government
        else ""
    )
    return {
        "overview": f"""{year}年，{name}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，推进政务公开标准化规范化。
（一）主动公开
围绕重点领域及时发布政策文件和工作动态，重要政策同步发布解读。
（二）依申请公开
严格按照法定程序和期限办理政府信息公开申请，办理情况见本报告第三部分。
（三）政府信息管理
对现行有效的行政规范性文件逐件标注有效性，动态更新公开目录。
（四）政府信息公开平台建设
以区政府门户网站为第一平台，规范政务新媒体管理，确保平台安全平稳运行。
（五）监督保障
将政务公开纳入年度绩效考核，按月统计申请办理情况，对不及时公开的情况督促整改。""",
        "problems": f"""（一）存在的主要问题
{rectified}基层政务公开专栏更新频率不一，部分栏目内容更新不够及时。
（二）改进措施
一是建立栏目更新台账，按月检查；二是加强业务培训，提升工作人员依法公开的能力。""",
        "other": f"{year}年度，未收取政府信息公开信息处理费。本年度无其他需要报告的事项。",
    }
