"""Demo data: 宛城区人民政府办公室 (WCBGS) under 宛城区人民政府 (WCQ), its users, and applications.

- 2024: the 36 applications behind the office's published 2024 report (shared/corpus/
  wancheng-office-2024.txt): 33 自然人 (20 予以公开, 13 部分公开), 2 商业企业 (予以公开) and 1 其他
  组织 (其他处理·其他, a withdrawal) — all received and concluded within 2024, with corrections,
  consultations and extensions along the way.
- The most recent full year (`recent_year`: last year, 2025 at the earliest): concluded
  applications of every outcome group, so the demo ages: loaded in 2028 it shows 2027.
- Open applications at every stage, dated back from today so that some are due within three
  working days and one is overdue whenever the demo is started.

Everything goes through the services, so the timelines and deadlines are the real ones. Loading is
idempotent: an organisation that already has applications is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Membership, Organisation
from gongkai.accounts.services import system_role_grant
from gongkai.accounts.system_roles import SystemRole, system_role_of
from gongkai.cases import services as s
from gongkai.cases.calendar import calendar_for
from gongkai.cases.models import Application
from gongkai.domain.identity import credit_code_check_char, resident_id_check_digit
from gongkai.domain.lifecycle import Role, needs_reasons
from gongkai.domain.lifecycle import outcome as outcome_of

DEMO_PASSWORD = "gongkai-demo"
# The office's published 2024 report (shared/corpus/wancheng-office-2024.txt) is history and stays
# 2024 whenever the demo is loaded; every other date is relative to the day of loading.
PUBLISHED_YEAR = 2024


def recent_year(today: dt.date) -> int:
    """The demo's year of every outcome: last year, and never the published 2024."""
    return max(PUBLISHED_YEAR + 1, today.year - 1)


DEMO_USERS = [
    ("clerk", "经办人", "WCBGS", [Role.CLERK]),
    ("reviewer", "审核人", "WCBGS", [Role.REVIEWER]),
    ("admin", "管理员", "WCBGS", [Role.ADMIN, Role.CLERK, Role.REVIEWER]),
    ("supervisor", "区政务公开办（监督）", "WCQ", [Role.SUPERVISOR]),
    ("caizheng", "财政局审核人", "WCCZJ", [Role.CLERK, Role.REVIEWER]),
    # Who publish the government's and the township's own reports (条例第四十九条、第五十条).
    ("zhengfu", "区政府审核人", "WCQ", [Role.CLERK, Role.REVIEWER]),
    ("hongniwan", "红泥湾镇审核人", "WCHLZ", [Role.CLERK, Role.REVIEWER]),
]
# The installation's three administrators (三员, GB/T 22239-2019 8.1.5): no organisation, no
# business role, one role each. Nobody in the demo is a superuser.
DEMO_ADMINISTRATORS = [
    ("sysadmin", SystemRole.SYSTEM),
    ("secadmin", SystemRole.SECURITY),
    ("auditor", SystemRole.AUDIT),
]
ORGANISATIONS = [
    # code, name, kind, parent, report due (month, day): 条例第四十九条; townships set locally.
    ("WCQ", "宛城区人民政府", "government", None, (3, 31)),
    ("WCBGS", "宛城区人民政府办公室", "department", "WCQ", (1, 31)),
    ("WCCZJ", "宛城区财政局", "department", "WCQ", (1, 31)),
    ("WCHLZ", "宛城区红泥湾镇人民政府", "township", "WCQ", (2, 20)),
]
# 发文机关代字 of the demo's letters (GB/T 9704-2012 §7.2.4): 宛政办公开〔2026〕12号.
LETTER_CODES = {"WCBGS": "宛政办公开", "WCCZJ": "宛财公开", "WCQ": "宛政公开", "WCHLZ": "红政公开"}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红文斌鹏飞"
REQUESTS = [
    "请公开宛城区{year}年老旧小区改造项目的立项批复文件",
    "请公开宛城区{year}年度城乡居民最低生活保障资金的发放情况",
    "请公开关于白河南岸片区房屋征收补偿方案的文件",
    "请公开宛城区政府常务会议研究某道路建设项目的会议纪要",
    "请公开宛城区{year}年重大行政决策事项目录",
    "请公开本人所在村集体土地征收的批准文件及补偿标准",
    "请公开宛城区{year}年财政预算执行情况报告",
    "请公开宛城区某学校新建项目的规划许可及环评批复",
]


@dataclass
class Demo:
    office: Organisation
    clerk: User
    reviewer: User
    rng: random.Random

    def person(self) -> s.Applicant:
        name = self.rng.choice(SURNAMES) + "".join(
            self.rng.choices(GIVEN, k=self.rng.randint(1, 2))
        )
        return s.Applicant(
            "natural",
            name,
            "resident_id",
            self.resident_id(),
            phone=self.phone(),
            address="河南省南阳市宛城区",
        )

    def company(self, kind: str, name: str) -> s.Applicant:
        return s.Applicant(
            kind,
            name,
            "credit_code",
            self.credit_code(),
            phone=self.phone(),
            address="河南省南阳市宛城区",
        )

    def resident_id(self) -> str:
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=self.rng.randint(0, 365 * 50))
        first17 = f"411302{birth:%Y%m%d}{self.rng.randint(0, 999):03d}"
        return first17 + resident_id_check_digit(first17)

    def credit_code(self) -> str:
        first17 = "91411302" + "".join(self.rng.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=9))
        return first17 + credit_code_check_char(first17)

    def phone(self) -> str:
        return f"13{self.rng.randint(0, 9)}{self.rng.randint(10000000, 99999999)}"

    def register(
        self, applicant: s.Applicant, received: dt.date, channel: str = "online"
    ) -> Application:
        content = self.rng.choice(REQUESTS).format(year=received.year - 1)
        data = s.Registration(
            applicant,
            channel,
            received,
            content,
            form=self.rng.choice(["paper", "electronic"]),
            delivery=self.rng.choice(["email", "mail", "pickup"]),
        )
        return s.application_register(
            actor=self.clerk, organisation=self.office, data=data, today=received
        )

    def step(
        self, service: Callable[..., Application], app: Application, on: dt.date, **kw: object
    ) -> Application:
        actor = (
            self.reviewer
            if service in (s.application_extend, s.application_reply, s.application_return_reply)
            else self.clerk
        )
        return service(actor=actor, application=app, on=on, today=on, **kw)


def load_demo(today: dt.date | None = None) -> bool:
    """Load the demo organisations, users and applications; False when they were already there."""
    today = today or timezone.localdate()
    with transaction.atomic():
        organisations = _organisations()
        users = _users(organisations)
        office = organisations["WCBGS"]
        if Application.objects.filter(organisation=office).exists():
            return False
        demo = Demo(office, users["clerk"], users["reviewer"], random.Random(2024))
        _year_2024(demo)
        _recent_year(demo, recent_year(today))
        _open_cases(demo, today)
    return True


def _organisations() -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for code, name, kind, parent, (month, day) in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "parent": found.get(parent or ""),
                "report_due_month": month,
                "report_due_day": day,
                "address": "河南省南阳市宛城区",
                "phone": "0377-00000000",
                "letter_code": LETTER_CODES.get(code, ""),
            },
        )
        found[code] = org
    return found


def _users(organisations: dict[str, Organisation]) -> dict[str, User]:
    users: dict[str, User] = {}
    for username, title, code, roles in DEMO_USERS:
        user = _demo_user(username, title)
        for role in roles:
            Membership.objects.get_or_create(user=user, organisation=organisations[code], role=role)
        users[username] = user
    for username, system_role in DEMO_ADMINISTRATORS:
        user = _demo_user(username, system_role.label)
        if system_role_of(user) is None:
            system_role_grant(actor=None, user=user, role=system_role)
        users[username] = user
    return users


def _demo_user(username: str, title: str) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": title})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    elif user.is_superuser:  # a demo database from before the administrators were separated
        user.is_superuser = user.is_staff = False
        user.save(update_fields=["is_superuser", "is_staff"])
    return user


# ---------------------------------------------------------------- 2024: the published report


def _year_2024(demo: Demo) -> None:
    """36 applications, every one concluded in 2024 (the report's 结转下年度 is 0)."""
    cal = calendar_for(demo.office)
    plan = [("natural", "r_open")] * 20 + [("natural", "r_partial")] * 13
    plan += [("biz", "r_open")] * 2 + [("other_org", "r_other_other")]
    demo.rng.shuffle(plan)
    # Spread the receipts over working days from mid-January to the end of October.
    first, last = cal.ordinal(dt.date(2024, 1, 15)), cal.ordinal(dt.date(2024, 10, 31))
    days = sorted(demo.rng.sample(range(first, last), len(plan)))
    companies = iter(["南阳市宛城区恒达建筑工程有限公司", "河南白河置业有限公司"])
    for (kind, outcome), ordinal in zip(plan, days, strict=True):
        received = cal.nth_workday(ordinal)
        if kind == "natural":
            applicant = demo.person()
        elif kind == "biz":
            applicant = demo.company("biz", next(companies))
        else:
            applicant = demo.company("other_org", "宛城区仲景街道某小区业主委员会")
        app = demo.register(
            applicant, received, demo.rng.choice(["online", "online", "in_person", "mail"])
        )
        if outcome == "r_other_other":
            _withdrawn(demo, app, cal)
        else:
            _answered(demo, app, cal, outcome)


def _answered(demo: Demo, app: Application, cal: object, outcome: str) -> None:
    """A realistic path to a reply: sometimes a correction round, a consultation, an extension."""
    add = cal.add_workdays  # type: ignore[attr-defined]
    day = app.received_on
    roll = demo.rng.random()
    if roll < 0.15:
        day = add(day, 3)
        app = demo.step(
            s.application_request_correction, app, day, items="请明确所需政府信息的名称或文号"
        )
        day = add(day, 5)
        app = demo.step(s.application_receive_correction, app, day)
    if outcome == "r_partial" and roll > 0.7:
        day = add(day, 4)
        app = demo.step(
            s.application_start_consultation, app, day, party="third_party", consulted="相关企业"
        )
        day = add(day, 8)
        app = demo.step(
            s.application_end_consultation, app, day, opinion="不同意公开涉及商业秘密部分"
        )
        if roll > 0.9:
            app = demo.step(
                s.application_extend, app, add(day, 1), reason="需对涉及第三方信息进行区分处理"
            )
            day = add(day, 1)
    day = add(day, demo.rng.randint(3, 10))
    app = demo.step(
        s.application_propose_reply, app, day, outcome_key=outcome, reasons=_reasons(outcome)
    )
    day = add(day, 1)
    app = demo.step(s.application_reply, app, day)
    day = add(day, demo.rng.randint(1, 3))
    method = {"email": "email", "mail": "mail", "pickup": "in_person", "online": "online"}[
        app.delivery
    ]
    tracking = f"11{demo.rng.randint(10**10, 10**11 - 1)}" if method == "mail" else ""
    app = demo.step(s.application_deliver, app, day, method=method, tracking_number=tracking)
    demo.step(s.application_archive, app, add(day, demo.rng.randint(1, 5)))


def _withdrawn(demo: Demo, app: Application, cal: object) -> None:
    day = cal.add_workdays(app.received_on, 2)  # type: ignore[attr-defined]
    app = demo.step(s.application_withdraw, app, day, note="申请人书面申请撤回")
    demo.step(s.application_archive, app, cal.add_workdays(day, 1))  # type: ignore[attr-defined]


# ---------------------------------------------------------------- last year: every outcome


def _recent_year(demo: Demo, year: int) -> None:
    cal = calendar_for(demo.office)
    outcomes = ["r_open"] * 12 + ["r_partial"] * 6 + ["r_na_notheld"] * 5 + ["r_deny_process"] * 2
    outcomes += ["r_na_create", "r_np_petition", "r_np_repeat", "r_deny_3rd"]
    first, last = cal.ordinal(dt.date(year, 1, 6)), cal.ordinal(dt.date(year, 11, 28))
    days = sorted(demo.rng.sample(range(first, last), len(outcomes) + 2))
    for outcome, ordinal in zip(outcomes, days, strict=False):
        app = demo.register(demo.person(), cal.nth_workday(ordinal))
        _answered(demo, app, cal, outcome)
    # One correction never answered, one fee never paid: closed as （六）1 and （六）2.
    app = demo.register(demo.person(), cal.nth_workday(days[-2]))
    day = cal.add_workdays(app.received_on, 4)
    app = demo.step(
        s.application_request_correction, app, day, items="请说明所需信息的具体名称", period="15日"
    )
    demo.step(s.application_close_no_correction, app, cal.add_workdays(day, 15))
    app = demo.register(demo.person(), cal.nth_workday(days[-1]))
    day = cal.add_workdays(app.received_on, 6)
    app = demo.step(s.application_notify_fee, app, day, amount=300, method="by_count")
    demo.step(s.application_close_no_fee, app, cal.add_workdays(day, 21))


# ---------------------------------------------------------------- open cases, dated from today


def _open_cases(demo: Demo, today: dt.date) -> None:
    cal = calendar_for(demo.office)
    base = cal.ordinal(today)

    def ago(n: int) -> dt.date:
        return cal.nth_workday(base - n)

    def fresh(n: int) -> Application:
        return demo.register(demo.person(), ago(n))

    fresh(1)  # 已登记, just in
    fresh(18)  # due within 3 working days
    app = fresh(25)  # overdue: nobody replied in 20 working days
    app = fresh(6)
    demo.step(
        s.application_request_correction, app, ago(4), items="请补充提供身份证明材料", period="15日"
    )
    app = fresh(12)
    app = demo.step(
        s.application_request_correction, app, ago(10), items="请明确申请公开的文件名称"
    )
    demo.step(s.application_receive_correction, app, ago(5))
    app = fresh(9)
    demo.step(
        s.application_start_consultation,
        app,
        ago(6),
        party="third_party",
        consulted="南阳某置业有限公司",
    )
    app = fresh(11)
    demo.step(s.application_notify_fee, app, ago(3), amount=200, method="by_count")
    app = fresh(14)
    demo.step(
        s.application_propose_reply,
        app,
        ago(1),
        outcome_key="r_partial",
        reasons=_reasons("r_partial"),
    )
    app = fresh(19)
    demo.step(s.application_extend, app, ago(2), reason="申请内容涉及多个部门，需协调")
    app = fresh(10)
    app = demo.step(s.application_propose_reply, app, ago(4), outcome_key="r_open")
    demo.step(s.application_reply, app, ago(3))
    app = fresh(16)
    app = demo.step(
        s.application_propose_reply,
        app,
        ago(8),
        outcome_key="r_na_notheld",
        reasons=_reasons("r_na_notheld"),
    )
    app = demo.step(s.application_reply, app, ago(7))
    demo.step(s.application_deliver, app, ago(6), method="email")


# Specific reasons a clerk would write (条例第三十六条), one per outcome group of table 三.
_DEMO_REASONS = {
    "r_partial": "申请公开的信息中涉及第三方个人信息（姓名、身份证号码、联系电话），该部分不予公开。",
    "r_deny_": "申请公开的信息属于上述规定的情形（{label}），不予公开。",
    "r_na_": "经检索本机关档案及业务系统，未查找到申请所述政府信息。",
    "r_np_": "申请事项不属于政府信息公开申请的处理范围，本机关不作为政府信息公开申请处理。",
}


def _reasons(key: str) -> str:
    """The demo clerk's reasons for an outcome that needs them, "" otherwise."""
    if not needs_reasons(key):
        return ""
    group = "r_partial" if key == "r_partial" else key[: key.index("_", 2) + 1]
    return _DEMO_REASONS[group].format(label=outcome_of(key).label)
