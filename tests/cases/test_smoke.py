import datetime as dt

from gongkai.cases.services import application_request_correction
from gongkai.test import BaseTestCase


class SmokeTests(BaseTestCase):
    def test_register_and_reply(self) -> None:
        app = self.register(received_on=dt.date(2025, 1, 20))
        self.assertEqual(app.tracking_no, "WCBGS-2025-0001")
        self.assertEqual(app.due_on, dt.date(2025, 2, 21))
        app = application_request_correction(
            actor=self.clerk,
            application=app,
            on=dt.date(2025, 1, 22),
            items="请明确文件名称",
            today=dt.date(2025, 1, 22),
        )
        self.assertEqual(app.status, "correction")
        self.assertIsNone(app.due_on)
