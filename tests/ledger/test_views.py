"""The export download and the four import screens, with their access checks."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry
from gongkai.cases.ledger_views import SESSION_KEY
from gongkai.cases.models import Application
from gongkai.cases.services import application_reply
from gongkai.test import PASSWORD, BaseTestCase
from tests.ledger.workbooks import row, xlsx


class ExportViewTests(BaseTestCase):
    url = reverse("ledger:export")

    def rows(self, response: Any) -> list[tuple[Any, ...]]:
        sheet = load_workbook(io.BytesIO(response.content)).active
        return list(sheet.iter_rows(min_row=3, values_only=True))

    def test_it_downloads_the_ledger_with_a_chinese_file_name(self) -> None:
        self.register()
        self.client.login(username="clerk", password=PASSWORD)
        response = self.client.get(self.url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        today = timezone.localdate()  # the view names the file after today
        name = f"依申请公开台账-WCBGS-{today}.xlsx"
        assert f"filename*=UTF-8''{quote(name)}" in response["Content-Disposition"]
        assert f'filename="ledger-WCBGS-{today}.xlsx"' in response["Content-Disposition"]
        assert [r[1] for r in self.rows(response)] == ["WCBGS-2025-0001"]

    def test_it_follows_the_ledger_filters(self) -> None:
        replied = self.register(received_on=dt.date(2025, 3, 3), name="甲")
        application_reply(
            actor=self.reviewer, application=replied, on=dt.date(2025, 3, 10),
            outcome_key="r_open", today=dt.date(2025, 3, 10),
        )  # fmt: skip
        self.register(received_on=dt.date(2025, 4, 1), name="乙")
        self.client.login(username="clerk", password=PASSWORD)
        names = lambda query: [r[2] for r in self.rows(self.client.get(self.url, query))]  # noqa: E731
        assert names({"status": "replied"}) == ["甲"]
        assert names({"outcome": "r_open"}) == ["甲"]
        assert names({"received_from": "2025-03-15"}) == ["乙"]
        assert names({"q": "乙"}) == ["乙"]
        assert names({"received_to": "not-a-date"}) == ["甲", "乙"]  # ignored, as on the screen

    def test_every_export_is_audited_with_its_filters_and_row_count(self) -> None:
        self.register(name="甲")
        self.register(name="乙")
        self.client.login(username="supervisor", password=PASSWORD)
        self.client.get(self.url, {"q": "乙", "status": "registered"})
        entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
        today = timezone.localdate()
        assert (entry.username, entry.organisation, entry.success) == ("supervisor", "WCQ", True)
        assert entry.object_type == "cases.ledger"
        assert entry.detail == {
            "file": f"依申请公开台账-WCQ-{today}.xlsx",
            "filters": {"q": "乙", "status": "registered"},
            "rows": 1,
            "masked": True,
        }

    def test_others_export_only_what_they_may_read(self) -> None:
        self.register()
        self.client.login(username="outsider", password=PASSWORD)
        assert self.rows(self.client.get(self.url)) == []
        self.client.login(username="supervisor", password=PASSWORD)
        assert len(self.rows(self.client.get(self.url))) == 1

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        response = self.client.get(self.url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


class ImportViewTests(BaseTestCase):
    url = reverse("ledger:import")

    def upload(self, data: bytes, name: str = "台账.xlsx", user: str = "reviewer") -> Any:
        self.client.login(username=user, password=PASSWORD)
        return self.client.post(self.url, {"file": SimpleUploadedFile(name, data)})

    def token(self, response: Any) -> str:
        assert response.status_code == 302, response.content.decode()
        return response["Location"].rstrip("/").split("/")[-1]

    def test_acting_users_see_the_upload_form(self) -> None:
        for user in ("clerk", "reviewer", "admin", "outsider"):
            self.client.login(username=user, password=PASSWORD)
            assert self.client.get(self.url).status_code == 200

    def test_supervisors_may_not_import(self) -> None:
        self.client.login(username="supervisor", password=PASSWORD)
        assert self.client.get(self.url).status_code == 403

    def test_a_broken_file_is_refused_on_the_form(self) -> None:
        response = self.upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), name="台账.xls")
        assert response.status_code == 400
        assert "另存为" in response.content.decode()

    def test_upload_review_and_import_the_valid_rows(self) -> None:
        data = xlsx([row(1, name="甲"), row(2, name="乙", channel="飞鸽传书"),
                     row(3, name="丙", replied=dt.date(2025, 3, 20), outcome="予以公开")])  # fmt: skip
        token = self.token(self.upload(data))
        # Kept in the file storage every app server shares (docs/scaling.md).
        stored = f"imports/{token}.xlsx"
        with default_storage.open(stored, "rb") as handle:
            assert handle.read() == data

        review = self.client.get(reverse("ledger:import_review", args=[token]))
        page = review.content.decode()
        assert review.status_code == 200
        assert "可以导入2行，有问题1行" in page
        assert "F列「申请渠道」：不能识别的申请方式“飞鸽传书”" in page
        assert 'value="all" class="btn btn-primary" disabled' in page
        assert '<option value="5" selected>F列「申请渠道」</option>' in page

        run = reverse("ledger:import_run", args=[token])
        mapping = {
            "mapped": "1",
            **{k: str(v) for k, v in review.context["form"].mapping().items()},
        }
        refused = self.client.post(run, {**mapping, "mode": "all"})
        assert refused.status_code == 422
        assert "没有导入任何数据" in refused.content.decode()
        assert not Application.objects.exists()

        done = self.client.post(run, {**mapping, "mode": "valid"})
        assert done.status_code == 302
        assert Application.objects.count() == 2
        assert not default_storage.exists(stored)
        result = self.client.get(done["Location"]).content.decode()
        assert "2件" in result and "第3行" in result and "WCBGS-2025-0002" in result
        # The import is over: its review and run are gone.
        assert self.client.get(reverse("ledger:import_review", args=[token])).status_code == 404
        assert self.client.post(run, {**mapping, "mode": "valid"}).status_code == 404

    def test_a_changed_mapping_is_checked_again(self) -> None:
        token = self.token(self.upload(xlsx([row(1)])))
        url = reverse("ledger:import_review", args=[token])
        page = self.client.get(url, {"mapped": "1", "applicant_name": "1"}).content.decode()
        assert "请指定“申请人类型”在哪一列" in page
        assert "可以导入0行，有问题1行" in page

    def test_a_clerk_is_told_concluded_rows_need_a_reviewer(self) -> None:
        data = xlsx([row(1, replied=dt.date(2025, 3, 20), outcome="予以公开")])
        token = self.token(self.upload(data, user="clerk"))
        page = self.client.get(reverse("ledger:import_review", args=[token])).content.decode()
        assert "导入已办结的申请需要审核人或管理员角色" in page
        response = self.client.post(reverse("ledger:import_run", args=[token]), {"mode": "all"})
        assert response.status_code == 403
        assert not Application.objects.exists()

    def test_another_users_import_is_not_found(self) -> None:
        token = self.token(self.upload(xlsx([row(1)])))
        self.client.login(username="clerk", password=PASSWORD)
        for name in ("ledger:import_review", "ledger:import_done"):
            assert self.client.get(reverse(name, args=[token])).status_code == 404
        assert self.client.post(reverse("ledger:import_run", args=[token])).status_code == 404
        assert (
            self.client.get(reverse("ledger:import_review", args=["..secret_key"])).status_code
            == 404
        )

    def test_an_upload_into_another_organisation_is_refused(self) -> None:
        self.client.login(username="clerk", password=PASSWORD)
        response = self.client.post(
            self.url,
            {"file": SimpleUploadedFile("a.xlsx", xlsx([row(1)])), "organisation": self.other.pk},
        )
        assert response.status_code == 400
        assert SESSION_KEY not in self.client.session
