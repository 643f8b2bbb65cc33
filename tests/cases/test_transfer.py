"""转办 (条例第三十六条（五）): told and passed on to the agency of the same government that is
responsible; recorded on both sides; refused for another government, oneself or a clerk."""

from __future__ import annotations

import datetime as dt

from gongkai.accounts.models import Organisation
from gongkai.cases import services as s
from gongkai.cases.models import Application
from gongkai.cases.services import ServiceError
from gongkai.disclosure.services import letter_render
from gongkai.test import BaseTestCase
from tests.letters.reading import text_of

D = dt.date
RECEIVED, ON = D(2025, 3, 3), D(2025, 3, 10)


class TransferTests(BaseTestCase):
    def transfer(self, app: Application, to: str = "WCCZJ", actor: str = "reviewer") -> Application:
        return s.application_transfer(
            actor=getattr(self, actor), application=app, on=ON, to_organisation=to, today=ON
        )

    def test_the_office_answers_and_the_agency_receives_it_that_day(self) -> None:
        app = self.transfer(self.register(received_on=RECEIVED))
        self.assertEqual(app.status, "replied")
        self.assertEqual(app.outcome, "r_na_notheld")  # table 三 （四）1 for this office
        self.assertEqual(app.concluded_on, ON)
        [moved] = Application.objects.filter(organisation=self.other)
        self.assertEqual(moved.received_on, ON)
        self.assertEqual(moved.applicant_name, app.applicant_name)
        self.assertEqual(moved.content, app.content)
        self.assertEqual(moved.id_number, app.id_number)
        # 2025-03-10 + 20 working days: 3/11–14 (4), 3/17–21 (9), 3/24–28 (14), 3/31–4/3 (18),
        # 清明 4/4–4/6, 4/7 (19), 4/8 (20).
        self.assertEqual(moved.due_on, D(2025, 4, 8))
        received = moved.events.get(action="register")
        self.assertIn(f"宛城区人民政府办公室转来，原申请编号{app.tracking_no}", received.note)
        step = app.events.get(action="transfer")
        self.assertEqual(step.data["transferred_to"], moved.tracking_no)
        self.assertIn(f"转交宛城区财政局办理（申请编号{moved.tracking_no}）", step.note)

    def test_the_letter_names_the_competent_agency(self) -> None:
        app = self.transfer(self.register(received_on=RECEIVED))
        text = text_of(letter_render(application=app, kind="r_na_notheld"))
        self.assertIn("由宛城区财政局负责公开", text)
        self.assertIn("第三十六条第（五）项", text)

    def test_it_is_refused_and_changes_nothing(self) -> None:
        elsewhere = Organisation.objects.create(code="XQ", name="新区人民政府", kind="government")
        Organisation.objects.create(
            code="XQCZ", name="新区财政局", kind="department", parent=elsewhere
        )
        cases = [
            ("WCBGS", "reviewer", "不能转办给本机关"),
            ("NOPE", "reviewer", "没有这个机关"),
            ("XQCZ", "reviewer", "只能转办给本级人民政府所属的机关"),
            ("WCCZJ", "clerk", "须由"),
        ]
        app = self.register(received_on=RECEIVED)
        for to, actor, message in cases:
            with self.subTest(to=to, actor=actor):
                with self.assertRaises(ServiceError) as raised:
                    self.transfer(app, to, actor)
                self.assertIn(message, raised.exception.message)
        app.refresh_from_db()
        self.assertEqual(app.status, "registered")
        self.assertFalse(Application.objects.exclude(pk=app.pk).exists())
