"""The annual report screens on the demo data: every number clicks through to records that add
up to it, the narrative is edited beside last year's 五, and publishing works from the page."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse

from gongkai.accounts.models import Membership, Organisation
from gongkai.cases.demo import load_demo
from gongkai.domain.report.build import counts
from gongkai.domain.report.schema import layout
from gongkai.reports.checks import current_report
from gongkai.reports.demo import load_register_demo
from gongkai.reports.models import ReportDraft, ReportVersion
from gongkai.test import use_temporary_media
from tests.web.base import freeze_today

TODAY = dt.date(2026, 11, 26)
ROW_LINK = re.compile(r'<td class="mono"><a href="/applications/\d+/">')


class ReportViewTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo(today=TODAY)
        load_register_demo()
        cls.office = Organisation.objects.get(code="WCBGS")
        cls.reviewer = User.objects.get(username="reviewer")
        cls.clerk = User.objects.get(username="clerk")
        cls.outsider = User.objects.create_user("finance-clerk", password="x")
        Membership.objects.create(
            user=cls.outsider, organisation=Organisation.objects.get(code="WCCZJ"), role="clerk"
        )
        cls.report_url = reverse("reports:report", args=["WCBGS", 2024])

    def setUp(self) -> None:
        patcher = freeze_today(TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)
        use_temporary_media(self)

    def test_the_report_page_links_every_number_of_tables_2_3_and_4(self) -> None:
        self.client.force_login(self.reviewer)
        page = self.client.get(self.report_url).content.decode()
        lay = layout(current_report(self.office, 2024).report.format)
        links = set(re.findall(r'href="/reports/WCBGS/2024/cells/([^"]+)/"', page))
        self.assertEqual(len([k for k in links if k.startswith("t3.")]), len(lay.t3_rows) * 7)
        self.assertEqual(len([k for k in links if k.startswith("t4.")]), 15)
        self.assertEqual(len([k for k in links if k.startswith("t2.")]), 10)

    def test_the_applications_behind_a_cell_add_up_to_it(self) -> None:
        self.client.force_login(self.reviewer)
        t3 = counts(current_report(self.office, 2024).report.t3)
        for row, values in t3.items():
            for column, index in (("natural", 0), ("biz", 1), ("total", 6)):
                url = reverse("reports:cell", args=["WCBGS", 2024, f"t3.{row}.{column}"])
                page = self.client.get(url).content.decode()
                self.assertEqual(len(ROW_LINK.findall(page)), values[index], (row, column))

    def test_the_documents_behind_table_2_add_up_to_it(self) -> None:
        self.client.force_login(self.reviewer)
        for key, expected in (("in_force", 27), ("issued", 10), ("abolished", 0)):
            url = reverse("reports:cell", args=["WCBGS", 2024, f"t2.normative_documents.{key}"])
            page = self.client.get(url).content.decode()
            self.assertEqual(page.count("宛政办〔"), expected, key)

    def test_an_unknown_cell_is_404(self) -> None:
        self.client.force_login(self.reviewer)
        for key in ("t3.nope.total", "t3.new.nope", "t9.a.b", "t2.licensing.issued"):
            url = reverse("reports:cell", args=["WCBGS", 2024, key])
            self.assertEqual(self.client.get(url).status_code, 404, key)

    def test_another_department_s_report_is_404_and_the_supervisor_reads_it(self) -> None:
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.report_url).status_code, 404)
        self.client.force_login(User.objects.get(username="supervisor"))
        response = self.client.get(self.report_url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "编写正文")
        self.assertEqual(
            self.client.get(reverse("reports:narrative", args=["WCBGS", 2024])).status_code, 403
        )

    def test_the_narrative_is_saved_and_last_year_s_five_is_shown_beside_five(self) -> None:
        self.client.force_login(self.reviewer)
        self.client.post(reverse("reports:publish", args=["WCBGS", 2024]), {"acknowledged": "on"})
        self.client.force_login(self.clerk)
        url = reverse("reports:narrative", args=["WCBGS", 2025])
        page = self.client.get(url)
        self.assertContains(page, "2024年度报告的第五部分")
        self.assertContains(page, "政策解读形式较为单一")  # the 2024 demo narrative's 五
        response = self.client.post(
            url, {"overview": "2025年，我办……", "problems": "一是……", "other": "无。"}
        )
        self.assertRedirects(response, reverse("reports:report", args=["WCBGS", 2025]))
        draft = ReportDraft.objects.get(organisation=self.office, year=2025)
        self.assertEqual((draft.problems, draft.other), ("一是……", "无。"))

    def test_publishing_from_the_page_and_downloading_the_frozen_files(self) -> None:
        publish = reverse("reports:publish", args=["WCBGS", 2024])
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.post(publish, {"acknowledged": "on"}).status_code, 403)
        self.client.force_login(self.reviewer)
        response = self.client.post(publish, {}, follow=True)
        self.assertContains(response, "请逐条阅读并确认")
        self.assertFalse(ReportVersion.objects.exists())
        response = self.client.post(publish, {"acknowledged": "on"}, follow=True)
        self.assertContains(response, "已发布第1版")
        version = ReportVersion.objects.get()
        for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("json", b"{")):
            url = reverse("reports:version_file", args=["WCBGS", 2024, 1, fmt])
            body = b"".join(self.client.get(url).streaming_content)  # type: ignore[attr-defined]
            self.assertTrue(body.startswith(magic), fmt)
            self.assertEqual(len(body), version.files.get(format=fmt).size)
        self.assertContains(self.client.get(self.report_url), "当前内容与已发布的第1版一致")
        ReportDraft.objects.filter(organisation=self.office, year=2024).update(other="无。")
        self.assertContains(self.client.get(self.report_url), "当前内容与已发布的第1版不同")

    def test_draft_exports(self) -> None:
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("reports:export", args=["WCBGS", 2024, "pdf"]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertEqual(
            self.client.get(reverse("reports:export", args=["WCBGS", 2024, "exe"])).status_code,
            404,
        )

    def test_the_index_shows_deadlines_and_states(self) -> None:
        self.client.force_login(User.objects.get(username="supervisor"))
        page = self.client.get(reverse("reports:index") + "?year=2024")
        self.assertContains(page, "宛城区人民政府办公室")
        self.assertContains(page, "2025-01-31")  # department deadline
        self.assertContains(page, "2025-03-31")  # the government's own report
        self.assertContains(page, "编辑中")

    def test_each_finding_names_its_place_in_words_and_links_where_it_is_fixed(self) -> None:
        # 2025: the enforcement figures are not entered (S-05 on table 二's rows) and section 五
        # is still the draft's placeholder.
        self.client.force_login(self.reviewer)
        page = self.client.get(reverse("reports:report", args=["WCBGS", 2025])).content.decode()
        checks = page[page.index("发布前检查") :]
        checks = checks[: checks.index("</section>")]
        self.assertIn("表二“行政许可”行“本年处理决定数量”列", checks)
        self.assertIn('href="/reports/registers/WCBGS/figures/?year=2025"', checks)
        self.assertNotRegex(checks, r">\s*t2\.[a-z_.]+\s*<")
        self.assertNotRegex(checks, r'class="sub">(s\d|publication|t\d)')


class CellPagesTests(TestCase):
    """A cell of more than one page: 50 rows a page, 下一页 by cursor, every record once."""

    @classmethod
    def setUpTestData(cls) -> None:
        from tests.reports.test_tables import make_application, make_organisation

        cls.org = make_organisation("SQLP")
        cls.reader = User.objects.create_user("sql-reader", password="x")
        Membership.objects.create(user=cls.reader, organisation=cls.org, role="reviewer")
        cls.ids = {
            make_application(
                cls.org,
                {"received": dt.date(2024, 1, 1) + dt.timedelta(days=n % 9), "concluded": None,
                 "outcome": "", "applicant_type": "natural", "status": "processing"},
            ).pk
            for n in range(123)
        }  # fmt: skip

    def setUp(self) -> None:
        patcher = freeze_today(TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_the_pages_walk_every_application_of_the_cell_once(self) -> None:
        self.client.force_login(self.reader)
        url = reverse("reports:cell", args=["SQLP", 2024, "t3.new.natural"])
        seen: list[int] = []
        pages = 0
        while url:
            page = self.client.get(url).content.decode()
            pages += 1
            self.assertIn("这 123 件申请构成表中的数字（与表中数字一致）", page)
            seen += [int(pk) for pk in re.findall(r'<a href="/applications/(\d+)/">', page)]
            following = re.search(r'rel="next" href="(\?after=[^"]+)"', page)
            url = (
                reverse("reports:cell", args=["SQLP", 2024, "t3.new.natural"]) + following[1]
                if following
                else ""
            )
        self.assertEqual(pages, 3)
        self.assertEqual(len(seen), 123)
        self.assertEqual(set(seen), self.ids)

    def test_a_cell_page_does_not_build_the_report(self) -> None:
        self.client.force_login(self.reader)
        url = reverse("reports:cell", args=["SQLP", 2024, "t3.carry_out.total"])
        with self.assertNumQueries(11):  # session, user, access, 2 tables, page, count, menu
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
