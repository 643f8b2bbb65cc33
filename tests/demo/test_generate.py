"""The data generator (issue 15 §8): records the services could have produced, reproducible, and
a report built from them that adds up."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.core.management import CommandError, call_command
from django.test import TestCase

from gongkai.accounts.models import Organisation
from gongkai.cases.calendar import calendar_for
from gongkai.cases.models import Application, Event
from gongkai.cases.services import deadlines_of
from gongkai.demo.generate import generate_applications
from gongkai.demo.synthetic import REGISTER, Generator
from gongkai.domain.identity import IdType, validate_id
from gongkai.domain.lifecycle import CLOSURE_OUTCOMES, OPEN_STATUSES, Action, Status, needs_reasons
from gongkai.domain.report.findings import Severity
from gongkai.domain.report.rules import check_report
from gongkai.reports.build import build_annual_report
from gongkai.reports.models import Appeal

TODAY = dt.date(2025, 11, 20)  # late in the year: some cases still open, some overdue


class SyntheticTimelinesTest(TestCase):
    def test_same_seed_same_applications_other_seed_others(self) -> None:
        calendar = calendar_for(None)
        first = list(Generator(calendar, seed=7, today=TODAY).applications(2025, 300))
        again = list(Generator(calendar, seed=7, today=TODAY).applications(2025, 300))
        other = list(Generator(calendar, seed=8, today=TODAY).applications(2025, 300))
        self.assertEqual(first, again)
        self.assertNotEqual([a.content for a in first], [a.content for a in other])

    def test_every_timeline_follows_the_transition_table_to_its_status(self) -> None:
        items = list(Generator(calendar_for(None), seed=3, today=TODAY).applications(2025, 2000))
        kinds = Counter(step.action for item in items for step in item.steps)
        for action in (Action.REQUEST_CORRECTION, Action.EXTEND, Action.START_CONSULTATION,
                       Action.NOTIFY_FEE, Action.CLOSE_NO_CORRECTION, Action.WITHDRAW):  # fmt: skip
            self.assertGreater(kinds[action], 0, action)
        statuses = Counter(item.status for item in items)
        self.assertGreater(sum(statuses[s] for s in OPEN_STATUSES), 0)
        self.assertGreater(statuses[Status.ARCHIVED], 1000)
        for item in items:
            self.assertEqual(item.steps[0].action, REGISTER)
            dates = [step.date for step in item.steps]
            self.assertEqual(dates, sorted(dates))
            self.assertLessEqual(dates[-1], TODAY)
            self.assertEqual(item.status in OPEN_STATUSES, item.concluded_on is None)
            self.assertIsNone(validate_id(IdType(item.id_type), item.id_number))
            last = [s for s in item.steps if s.action in (Action.REPLY, *CLOSURE_OUTCOMES)]
            if last:
                self.assertEqual(item.outcome, last[0].data["outcome"])
                if last[0].action in CLOSURE_OUTCOMES:
                    self.assertEqual(item.outcome, CLOSURE_OUTCOMES[Action(last[0].action)])


class GenerateApplicationsTest(TestCase):
    def setUp(self) -> None:
        self.org = Organisation.objects.create(code="GEN", name="生成测试局", kind="department")

    def test_written_records_equal_the_services_reading_of_them(self) -> None:
        result = generate_applications(self.org, year=2025, count=600, seed=2, today=TODAY)
        self.assertEqual(result.applications, Application.objects.count())
        self.assertEqual(result.events, Event.objects.count())
        numbers = list(Application.objects.order_by("sequence").values_list("sequence", flat=True))
        self.assertEqual(numbers, list(range(1, 601)))
        self.assertEqual(Application.objects.values("tracking_no").distinct().count(), 600)
        # The deadlines stored are those the services compute afresh from the stored timeline.
        for application in Application.objects.prefetch_related("events")[:200]:
            fresh = deadlines_of(application, TODAY)
            self.assertEqual(application.due_on, fresh.extended_reply_due or fresh.reply_due)
            self.assertEqual(application.correction_notice_due, fresh.correction_notice_due)

    def test_a_second_run_appends_under_the_next_numbers(self) -> None:
        generate_applications(self.org, year=2025, count=50, seed=1, today=TODAY)
        generate_applications(self.org, year=2025, count=30, seed=2, today=TODAY)
        last = Application.objects.order_by("-sequence").first()
        assert last is not None
        self.assertEqual((last.sequence, Application.objects.count()), (80, 80))

    def test_the_annual_report_built_from_them_adds_up(self) -> None:
        generate_applications(self.org, year=2024, count=400, seed=5, today=TODAY)
        generate_applications(self.org, year=2025, count=1500, seed=5, today=TODAY)
        self.assertTrue(Appeal.objects.filter(organisation=self.org).exists())
        built = build_annual_report(organisation=self.org, year=2025)
        t3 = built.report.t3
        self.assertGreater(t3["carry_in"][6].value or 0, 0)
        self.assertGreater(t3["carry_out"][6].value or 0, 0)
        self.assertEqual((t3["new"][6].value or 0), 1500)
        errors = [
            f for f in check_report(built.report)
            if f.severity is Severity.ERROR and f.rule.startswith(("T3", "T4"))
        ]  # fmt: skip
        self.assertEqual(errors, [])

    def test_bad_arguments_are_refused_in_chinese_and_write_nothing(self) -> None:
        with self.assertRaisesMessage(CommandError, "没有机构代码为 NOPE 的机构"):
            call_command("generate_applications", org="NOPE", year=2025, count=5)
        with self.assertRaisesMessage(CommandError, "生成件数应为正整数"):
            call_command("generate_applications", org="GEN", year=2025, count=0)
        self.assertEqual(Application.objects.count(), 0)


class RegisterRulesTest(TestCase):
    """What the services and the registers refuse, the generator does not write."""

    def setUp(self) -> None:
        self.org = Organisation.objects.create(code="GEN", name="生成测试局", kind="department")

    def test_case_numbers_stay_unique_over_runs(self) -> None:
        # appeal_save refuses a 案号 already in the register (one case is one row of 表四).
        for seed in (1, 2):
            generate_applications(self.org, year=2024, count=1500, seed=seed, today=TODAY)
        numbers = list(Appeal.objects.values_list("case_number", flat=True))
        self.assertGreater(len(numbers), 20)
        self.assertEqual(len(numbers), len(set(numbers)))

    def test_every_refusal_states_its_reasons(self) -> None:
        # application_propose_reply refuses 部分公开, 不予公开, 无法提供, 不予处理 without reasons.
        generate_applications(self.org, year=2025, count=800, seed=4, today=TODAY)
        steps = Event.objects.filter(action__in=[Action.PROPOSE_REPLY, Action.REPLY])
        reasoned = [e for e in steps if needs_reasons(e.data["outcome"])]
        self.assertGreater(len(reasoned), 50)
        self.assertEqual([e.pk for e in reasoned if not e.data.get("reasons", "").strip()], [])
