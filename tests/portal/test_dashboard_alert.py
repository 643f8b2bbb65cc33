"""The 工作台 tells the 管理员 when the 指南 is not published, or when contact data changed after
the 指南's date (条例第十二条: kept up to date)."""

from __future__ import annotations

import dataclasses

from django.urls import reverse

from gongkai.accounts.models import Organisation
from gongkai.portal.services import guide_publish, guide_save
from tests.portal.guides import COMPLETE
from tests.web.base import TODAY, WebTestCase


class GuideAlertTests(WebTestCase):
    def dashboard(self) -> str:
        return self.client.get(reverse("cases:dashboard")).content.decode()

    def publish(self) -> None:
        guide_save(actor=self.admin, organisation=self.office, data=COMPLETE)  # type: ignore[attr-defined]
        guide_publish(actor=self.admin, organisation=self.office, today=TODAY)  # type: ignore[attr-defined]

    def test_the_admin_is_told_while_no_guide_is_published(self) -> None:
        self.login("admin")
        self.assertIn("宛城区人民政府办公室</a>：\n      指南尚未发布", self.dashboard())

    def test_no_alert_once_published_and_unchanged_nor_for_a_clerk(self) -> None:
        self.publish()
        self.login("admin")
        self.assertNotIn('id="guide-alerts"', self.dashboard())
        self.login("clerk")
        self.assertNotIn('id="guide-alerts"', self.dashboard())

    def test_a_changed_organisation_phone_raises_the_alert(self) -> None:
        self.publish()
        Organisation.objects.filter(pk=self.office.pk).update(phone="0377-99999999")
        self.login("admin")
        page = self.dashboard()
        self.assertIn('id="guide-alerts"', page)
        self.assertIn("机构联系电话在指南2025-03-20发布后已变化，指南尚未更新", page)

    def test_a_saved_but_unpublished_change_of_the_guide_raises_it_too(self) -> None:
        self.publish()
        changed = dataclasses.replace(COMPLETE, fax="0377-55555555", office_hours="工作日全天")
        guide_save(actor=self.admin, organisation=self.office, data=changed)  # type: ignore[attr-defined]
        self.login("admin")
        self.assertIn("办公时间、传真号码在指南2025-03-20发布后已变化", self.dashboard())
