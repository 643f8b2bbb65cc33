"""Periodic statistics (监督保障 月报 / 季报 / 年度累计).

The figures of a small history are counted by hand in the comments; the identities of the issue's
"Done when" (months sum to the year, December's year to date is the annual report, a quarter is
its months, carry_in of a month is carry_out of the one before, a roll-up is the sum of its
organisations) are checked on the demo and on random histories (hypothesis)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.test import TestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from gongkai.accounts.models import Organisation
from gongkai.cases.demo import load_demo
from gongkai.cases.models import Application, Event, WorkdayOverride
from gongkai.domain.lifecycle import Action, Status
from gongkai.domain.periods import Period
from gongkai.domain.report.build import COLUMNS6
from gongkai.domain.report.renderers.json import report_to_dict
from gongkai.domain.report.schema import FormatVersion, layout
from gongkai.reports.build import build_annual_report
from gongkai.reports.demo import load_register_demo
from gongkai.reports.models import Appeal, NormativeDocument, ProactiveItem
from gongkai.supervision.stats import (
    PeriodStatistics,
    median,
    monthly_trend,
    percentile,
    period_statistics,
    rollup_statistics,
    workdays_of,
)
from gongkai.test import BaseTestCase, Personas

D = dt.date
_sequence = itertools.count(1)
FLOW_ROWS = [row.key for row in layout(FormatVersion.V2021).t3_rows if row.key != "carry_in"]
FLOW_ROWS.remove("carry_out")
LEAVES = [row.key for row in layout(FormatVersion.V2021).t3_leaves]


def make_application(
    organisation: Organisation,
    received: dt.date,
    concluded: dt.date | None = None,
    outcome: str = "",
    *,
    channel: str = "online",
    applicant_type: str = "natural",
    due: dt.date | None = None,
    status: str | None = None,
) -> Application:
    n = next(_sequence)
    return Application.objects.create(
        organisation=organisation,
        year=received.year,
        sequence=n,
        tracking_no=f"T{n:08d}",
        status=status or (Status.CLOSED if concluded else Status.PROCESSING),
        applicant_type=applicant_type,
        applicant_name="张三",
        id_type="resident_id",
        id_number="11010519491231002X",
        channel=channel,
        received_on=received,
        content="请公开某文件",
        outcome=outcome,
        concluded_on=concluded,
        due_on=due,
    )


def zeroed(rows: Any) -> dict[str, list[int]]:
    return {key: [v or 0 for v in values] for key, values in rows.items()}


def assert_identities(test: Any, organisation: Organisation, year: int) -> None:
    """The issue's "Done when" identities for one organisation and year."""
    months = [period_statistics(organisation=organisation, period=Period.month(year, m))
              for m in range(1, 13)]  # fmt: skip
    whole = period_statistics(organisation=organisation, period=Period.whole_year(year))
    for row in FLOW_ROWS:
        test.assertEqual(
            [sum(col) for col in zip(*(m.this_period.t3[row] for m in months), strict=True)],
            whole.this_period.t3[row],
            row,
        )
    for key in ("review", "suit_direct", "suit_after_review"):
        test.assertEqual(
            sum(m.this_period.appeals_filed[key] for m in months),
            whole.this_period.appeals_filed[key],
        )
    for before, after in itertools.pairwise(months):
        test.assertEqual(after.this_period.t3["carry_in"], before.this_period.t3["carry_out"])
    test.assertEqual(months[0].this_period.t3["carry_in"], whole.this_period.t3["carry_in"])
    test.assertEqual(months[-1].this_period.t3["carry_out"], whole.this_period.t3["carry_out"])
    annual = report_to_dict(build_annual_report(organisation=organisation, year=year).report)
    test.assertEqual(months[-1].year_to_date.t3, zeroed(annual["tables"]["t3"]))
    test.assertEqual(months[-1].year_to_date.t4, zeroed(annual["tables"]["t4"]))
    for quarter in range(1, 5):
        q = period_statistics(organisation=organisation, period=Period.quarter(year, quarter))
        three = months[3 * quarter - 3 : 3 * quarter]
        for row in FLOW_ROWS:
            test.assertEqual(
                [sum(col) for col in zip(*(m.this_period.t3[row] for m in three), strict=True)],
                q.this_period.t3[row],
            )
        test.assertEqual(q.this_period.t3["carry_in"], three[0].this_period.t3["carry_in"])
        test.assertEqual(q.this_period.t3["carry_out"], three[-1].this_period.t3["carry_out"])
        test.assertEqual(
            sorted(q.this_period.reply_workdays),
            sorted(d for m in three for d in m.this_period.reply_workdays),
        )


class HandCountedTests(BaseTestCase):
    """March 2025 of the office (no holiday from 10 February to 21 April 2025)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        o = cls.office
        # A: 15 working days (11–14, 17–21, 24–28 February, 3 March), on time.
        cls.a = make_application(o, D(2025, 2, 10), D(2025, 3, 3), "r_open", due=D(2025, 3, 10))
        # B: 20 working days, replied on its due day: on time.
        cls.b = make_application(o, D(2025, 3, 3), D(2025, 3, 31), "r_partial", channel="mail",
                                 applicant_type="biz", due=D(2025, 3, 31))  # fmt: skip
        # C: open, due 28 March: overdue at the end of March.
        cls.c = make_application(o, D(2025, 3, 5), channel="in_person", due=D(2025, 3, 28))
        # D: open, due 17 April: not overdue at the end of March; overdue at the end of April.
        cls.d = make_application(o, D(2025, 3, 20), due=D(2025, 4, 17))
        # E: 24 working days (18 February – 21 March), a week late.
        cls.e = make_application(o, D(2025, 2, 17), D(2025, 3, 21), "r_np_repeat",
                                 channel="letter", due=D(2025, 3, 14))  # fmt: skip
        # F: voided, counted nowhere.
        make_application(o, D(2025, 3, 10), status=Status.VOIDED)
        # The finance bureau: 5 working days (13–14, 17–19 March).
        make_application(cls.other, D(2025, 3, 12), D(2025, 3, 19), "r_open",
                         applicant_type="legal", due=D(2025, 4, 10))  # fmt: skip
        for app, action, day in [
            (cls.c, Action.REQUEST_CORRECTION, D(2025, 3, 6)),
            (cls.d, Action.EXTEND, D(2025, 4, 1)),
            (cls.b, Action.START_CONSULTATION, D(2025, 3, 10)),
            (cls.b, Action.START_CONSULTATION, D(2025, 3, 12)),  # a second party: one case
            (cls.a, Action.NOTIFY_FEE, D(2025, 2, 20)),
        ]:
            Event.objects.create(application=app, action=action, date=day)
        Appeal.objects.create(organisation=o, kind="review", case_number="复1", body="区政府",
                              filed_on=D(2025, 3, 15), result="upheld", decided_on=D(2025, 3, 28))  # fmt: skip
        Appeal.objects.create(organisation=o, kind="suit_direct", case_number="诉1", body="法院",
                              filed_on=D(2025, 2, 1))  # fmt: skip
        moment = dt.datetime(2025, 3, 20, 2, tzinfo=dt.UTC)
        # 1 April 02:00 in Beijing is still 31 March in UTC: the local day counts.
        later = dt.datetime(2025, 3, 31, 18, tzinfo=dt.UTC)
        for title, day, interpretation, withdrawn in [
            ("解读", D(2025, 3, 5), True, None),
            ("撤回于三月", D(2025, 3, 6), False, moment),
            ("撤回于四月", D(2025, 3, 7), False, later),
            ("二月", D(2025, 2, 7), False, None),
        ]:
            ProactiveItem.objects.create(organisation=o, title=title, published_on=day,
                                         is_interpretation=interpretation, withdrawn_at=withdrawn)  # fmt: skip
        NormativeDocument.objects.create(organisation=o, kind="normative_documents", title="新",
                                         issued_on=D(2025, 3, 1))  # fmt: skip
        NormativeDocument.objects.create(organisation=o, kind="normative_documents", title="旧",
                                         issued_on=D(2024, 5, 1), abolished_on=D(2025, 3, 31),
                                         validity="repealed")  # fmt: skip

    def march(self) -> dict[str, Any]:
        return period_statistics(organisation=self.office, period=Period.parse("2025-03")).to_json()

    def test_the_keys_of_the_json(self) -> None:
        data = self.march()
        self.assertEqual(
            (data["org"], data["period"], data["start"], data["end"]),
            ("WCBGS", "2025-03", "2025-03-01", "2025-03-31"),
        )
        self.assertEqual(
            list(data["this_period"]["t3"]), [r.key for r in layout(FormatVersion.V2021).t3_rows]
        )
        self.assertTrue(all(len(v) == 7 for v in data["year_to_date"]["t3"].values()))

    def test_flows_and_carries(self) -> None:
        now = self.march()["this_period"]
        self.assertEqual(now["t3"]["new"], [2, 1, 0, 0, 0, 0, 3])  # B (biz), C, D
        self.assertEqual(now["t3"]["carry_in"][6], 2)  # A and E
        self.assertEqual(now["t3"]["r_open"][6], 1)
        self.assertEqual(now["t3"]["r_partial"][1], 1)
        self.assertEqual(now["t3"]["r_np_repeat"][6], 1)
        self.assertEqual(now["t3"]["r_total"][6], 3)
        self.assertEqual(now["t3"]["carry_out"][6], 2)  # C and D
        self.assertEqual((now["open_at_end"], now["overdue_at_end"]), (2, 1))
        self.assertEqual((now["concluded_on_time"], now["concluded_late"]), (2, 1))
        self.assertEqual(now["new_by_applicant"]["biz"], 1)

    def test_channels(self) -> None:
        data = self.march()
        now, ytd = data["this_period"]["new_by_channel"], data["year_to_date"]["new_by_channel"]
        self.assertEqual(
            (now["mail"], now["in_person"], now["online"], now["letter"]), (1, 1, 1, 0)
        )
        self.assertEqual(
            (ytd["online"], ytd["mail"], ytd["in_person"], ytd["letter"]), (2, 1, 1, 1)
        )
        self.assertEqual(sum(ytd.values()), 5)

    def test_working_days_to_reply(self) -> None:
        days = self.march()["this_period"]["reply_workdays"]
        self.assertEqual(
            days, {"count": 3, "median": 20.0, "p90": 24, "histogram": {"15": 1, "20": 1, "24": 1}}
        )

    def test_overdue_at_the_end_of_april(self) -> None:
        april = period_statistics(organisation=self.office, period=Period.parse("2025-04"))
        self.assertEqual(april.this_period.overdue_at_end, 2)  # C and D (due 17 April)

    def test_steps_appeals_items_documents(self) -> None:
        data = self.march()
        now, ytd = data["this_period"], data["year_to_date"]
        self.assertEqual(
            now["steps"], {"correction": 1, "extension": 0, "consultation": 1, "fee": 0}
        )
        self.assertEqual(ytd["steps"]["fee"], 1)
        self.assertEqual(
            now["appeals_filed"], {"review": 1, "suit_direct": 0, "suit_after_review": 0}
        )
        self.assertEqual(ytd["appeals_filed"]["suit_direct"], 1)
        self.assertEqual(now["t4"]["review"], [1, 0, 0, 0, 1])
        self.assertEqual(now["t4"]["suit_direct"], [0, 0, 0, 1, 1])
        # Withdrawn on 20 March: not standing at the end; withdrawn in April: counted in March.
        self.assertEqual(now["proactive"], {"published": 2, "interpretations": 1})
        self.assertEqual(ytd["proactive"]["published"], 3)
        self.assertEqual(now["documents"], {"issued": 1, "abolished": 1})

    def test_rollup_pools_the_cases(self) -> None:
        rollup = rollup_statistics(government=self.district, period=Period.parse("2025-03"))
        data = rollup.to_json()
        self.assertEqual(data["org"], "WCQ")
        self.assertEqual([o["org"] for o in data["organisations"]], ["WCQ", "WCBGS", "WCCZJ"])
        self.assertEqual(data["this_period"]["new"], 4)
        # Pooled [5, 15, 20, 24]: median 17.5 (the mean of the medians would be 12.5).
        days = data["this_period"]["reply_workdays"]
        self.assertEqual((days["count"], days["median"], days["p90"]), (4, 17.5, 24))
        self.assertEqual(days["histogram"], {"5": 1, "15": 1, "20": 1, "24": 1})
        # From the organisations' JSON alone (frozen reports): the same pooled figures.
        pooled = sorted(d for o in data["organisations"] for d in workdays_of(o["this_period"]))
        self.assertEqual((median(pooled), percentile(pooled, 90)), (17.5, 24))
        assert_rollup_is_the_sum(self, rollup)

    def test_each_organisation_counts_in_its_own_calendar(self) -> None:
        # A local holiday of the finance bureau on Friday 14 March: its case takes 4 working
        # days, the office's are unchanged; the district's override reaches both.
        WorkdayOverride.objects.create(date=D(2025, 3, 14), kind="holiday", name="地方节日",
                                       source="测试", organisation=self.other)  # fmt: skip
        rollup = rollup_statistics(government=self.district, period=Period.parse("2025-03"))
        days = {u.organisation.code: sorted(u.this_period.reply_workdays) for u in rollup.breakdown}
        self.assertEqual(days, {"WCQ": [], "WCBGS": [15, 20, 24], "WCCZJ": [4]})
        WorkdayOverride.objects.create(date=D(2025, 3, 13), kind="holiday", name="区节日",
                                       source="测试", organisation=self.district)  # fmt: skip
        rollup = rollup_statistics(government=self.district, period=Period.parse("2025-03"))
        days = {u.organisation.code: sorted(u.this_period.reply_workdays) for u in rollup.breakdown}
        # E (18 Feb – 21 Mar) and B (4–31 Mar) include 13 March; A (to 3 March) does not.
        self.assertEqual(days, {"WCQ": [], "WCBGS": [15, 19, 23], "WCCZJ": [3]})

    def test_trend(self) -> None:
        months = monthly_trend([self.office], 2025, 4)
        self.assertEqual([m.new for m in months], [0, 2, 3, 0])  # A, E in February
        self.assertEqual([m.concluded for m in months], [0, 0, 3, 0])
        self.assertEqual([m.open_at_end for m in months], [0, 2, 2, 2])

    def test_identities(self) -> None:
        assert_identities(self, self.office, 2025)


def assert_rollup_is_the_sum(test: Any, rollup: PeriodStatistics) -> None:
    data = rollup.to_json()
    for part in ("this_period", "year_to_date"):
        for table in ("t3", "t4"):
            for key, values in data[part][table].items():
                test.assertEqual(
                    values,
                    [
                        sum(col)
                        for col in zip(
                            *(o[part][table][key] for o in data["organisations"]), strict=True
                        )
                    ],
                )
        for name in ("new_by_channel", "steps", "appeals_filed", "proactive", "documents"):
            for key, value in data[part][name].items():
                test.assertEqual(value, sum(o[part][name][key] for o in data["organisations"]))
        for name in ("open_at_end", "overdue_at_end", "concluded_on_time"):
            test.assertEqual(data[part][name], sum(o[part][name] for o in data["organisations"]))
        test.assertEqual(
            data[part]["reply_workdays"]["count"],
            sum(o[part]["reply_workdays"]["count"] for o in data["organisations"]),
        )
    # Each organisation's part is its own statistics.
    for unit in rollup.breakdown:
        own = period_statistics(organisation=unit.organisation, period=rollup.period).to_json()
        test.assertEqual(own["this_period"], unit.this_period.to_json())


class PercentileTests(TestCase):
    def test_nearest_rank(self) -> None:
        self.assertIsNone(percentile([], 90))
        self.assertEqual(percentile([7], 90), 7)
        self.assertEqual(percentile(list(range(1, 11)), 90), 9)  # ceil(9.0) = 9th
        self.assertEqual(percentile(list(range(1, 12)), 90), 10)  # ceil(9.9) = 10th
        self.assertEqual(median([1, 2, 3, 10]), 2.5)
        self.assertIsNone(median([]))


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo(today=dt.date(2026, 11, 26))
        load_register_demo()
        cls.office = Organisation.objects.get(code="WCBGS")

    def test_december_year_to_date_is_the_annual_report_and_months_sum_to_the_year(self) -> None:
        december = period_statistics(organisation=self.office, period=Period.parse("2024-12"))
        annual = report_to_dict(build_annual_report(organisation=self.office, year=2024).report)
        self.assertEqual(december.year_to_date.t3, zeroed(annual["tables"]["t3"]))
        self.assertGreater(december.year_to_date.t3["new"][6], 0)
        assert_identities(self, self.office, 2024)

    def test_rollup_of_the_district(self) -> None:
        district = Organisation.objects.get(code="WCQ")
        rollup = rollup_statistics(government=district, period=Period.parse("2024Q4"))
        assert_rollup_is_the_sum(self, rollup)


day = st.dates(min_value=D(2023, 11, 1), max_value=D(2025, 2, 28))


@st.composite
def histories(draw: st.DrawFn) -> list[dict[str, Any]]:
    items = []
    for _ in range(draw(st.integers(0, 12))):
        received = draw(day)
        concluded = draw(
            st.one_of(st.none(), st.dates(min_value=received, max_value=D(2025, 3, 31)))
        )
        items.append(
            {
                "org": draw(st.sampled_from(["WCBGS", "WCCZJ"])),
                "received": received,
                "concluded": concluded,
                "outcome": draw(st.sampled_from(LEAVES)) if concluded else "",
                "applicant_type": draw(st.sampled_from(COLUMNS6)),
                "channel": draw(st.sampled_from(["online", "mail", "in_person"])),
                "due": received + dt.timedelta(days=draw(st.integers(10, 60))),
                "event": draw(st.one_of(st.none(), st.sampled_from(list(Action)[:12]))),
            }
        )
    return items


class RandomHistoryTests(Personas, HypothesisTestCase):
    """Random applications created through the ORM: the identities hold for any history."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_personas()

    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(histories())
    def test_identities_hold_for_random_histories(self, history: list[dict[str, Any]]) -> None:
        orgs = {"WCBGS": self.office, "WCCZJ": self.other}
        for item in history:
            app = make_application(
                orgs[item["org"]], item["received"], item["concluded"], item["outcome"],
                channel=item["channel"], applicant_type=item["applicant_type"], due=item["due"],
            )  # fmt: skip
            if item["event"] is not None:
                Event.objects.create(application=app, action=item["event"], date=item["received"])
        assert_identities(self, self.office, 2024)
        assert_rollup_is_the_sum(
            self, rollup_statistics(government=self.district, period=Period.parse("2024-07"))
        )
