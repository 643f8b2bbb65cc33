"""Portal pages are cached per organisation and cleared when the office publishes: a 指南 (the
portal's own service) or an annual report (the reports app's `report_published` signal)."""

from __future__ import annotations

from django.urls import reverse

from gongkai.accounts.models import Organisation
from gongkai.portal.services import guide_publish, guide_save, policy_item_add
from gongkai.reports.models import ReportVersion
from gongkai.reports.signals import report_published
from tests.portal.guides import COMPLETE
from tests.web.base import TODAY, WebTestCase


class PortalCacheTests(WebTestCase):
    def rename(self, code: str, name: str) -> None:
        """A change the portal is not told of: the cached page keeps the old name."""
        Organisation.objects.filter(code=code).update(name=name)

    def page(self, name: str, *args: object) -> str:
        return self.client.get(reverse(name, args=args)).content.decode()

    def test_a_page_is_served_from_the_cache_until_the_guide_is_published(self) -> None:
        self.assertIn("本栏目暂无信息", self.page("portal:guide", "WCBGS"))
        self.assertIn("宛城区人民政府办公室政府信息公开", self.page("portal:home", "WCBGS"))
        self.rename("WCBGS", "改名后的办公室")
        self.assertIn("宛城区人民政府办公室政府信息公开", self.page("portal:home", "WCBGS"))
        guide_save(actor=self.admin, organisation=self.office, data=COMPLETE)  # type: ignore[attr-defined]
        with self.captureOnCommitCallbacks(execute=True):
            guide_publish(actor=self.admin, organisation=self.office, today=TODAY)  # type: ignore[attr-defined]
        self.assertIn("改名后的办公室政府信息公开", self.page("portal:home", "WCBGS"))
        self.assertIn("更新日期：2025年3月20日", self.page("portal:guide", "WCBGS"))

    def test_a_published_report_clears_the_organisation_and_its_government(self) -> None:
        self.page("portal:home", "WCBGS")
        self.page("portal:home", "WCQ")
        self.page("portal:home", "WCCZJ")
        for code in ("WCBGS", "WCQ", "WCCZJ"):
            self.rename(code, f"新{code}")
        version = ReportVersion(organisation=self.office, year=2024, number=1)
        report_published.send(sender=ReportVersion, version=version)
        self.assertIn("新WCBGS政府信息公开", self.page("portal:home", "WCBGS"))
        self.assertIn("新WCQ政府信息公开", self.page("portal:home", "WCQ"))
        self.assertNotIn("新WCCZJ", self.page("portal:home", "WCCZJ"))  # a sibling keeps its pages

    def test_a_new_policy_item_clears_the_cache_and_a_404_is_never_cached(self) -> None:
        self.assertIn("本栏目暂无信息", self.page("portal:policies", "WCBGS"))
        with self.captureOnCommitCallbacks(execute=True):
            policy_item_add(
                actor=self.admin, organisation=self.office, title="政府信息公开保密审查制度",  # type: ignore[attr-defined]
                text="先审查后公开。", today=TODAY,
            )  # fmt: skip
        self.assertIn("政府信息公开保密审查制度", self.page("portal:policies", "WCBGS"))
        self.assertEqual(self.client.get("/open/NEW/").status_code, 404)
        Organisation.objects.create(code="NEW", name="新设机构", kind="department")
        self.assertEqual(self.client.get("/open/NEW/").status_code, 200)

    def test_large_text_pages_are_cached_apart(self) -> None:
        normal = self.page("portal:home", "WCBGS")
        self.client.cookies["portal_text"] = "large"
        large = self.page("portal:home", "WCBGS")
        self.assertNotIn('class="large-text"', normal)
        self.assertIn('<body class="large-text">', large)
