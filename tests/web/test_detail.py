from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import include, path, reverse

from gongkai.cases.letters import set_letter_provider
from gongkai.cases.models import Application, Event
from gongkai.cases.selectors import ApplicationPage
from gongkai.cases.services import attachment_add
from gongkai.domain.lifecycle import Action
from gongkai.test import VALID_ID
from gongkai.urls import CASES
from tests.web.base import WebTestCase


def _generate(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    return HttpResponse(b"docx")


# The site with a stand-in letters:generate, for the letter buttons.
urlpatterns = [
    path("", include(CASES)),  # with the 工作台, which the menu links to
    path("accounts/", include("gongkai.accounts.urls")),
    path("reports/", include("gongkai.reports.urls")),  # the main menu links to it
    path("l/", include(([path("<int:pk>/<str:kind>/", _generate, name="generate")], "letters"))),
]


class DetailTests(WebTestCase):
    application: Application

    def setUp(self) -> None:
        super().setUp()
        self.application = self.new()

    def page(self, persona: str) -> ApplicationPage:
        self.login(persona)
        response = self.detail(self.application)
        self.assertEqual(response.status_code, 200)
        page: ApplicationPage = response.context["page"]
        return page

    def test_it_redirects_anonymous_users_to_the_login_page(self) -> None:
        self.assertRedirectsToLogin(self.detail(self.application))

    def test_another_organisation_gets_a_404_in_chinese(self) -> None:
        self.login("outsider")
        response = self.detail(self.application)
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "没有找到您要的页面", status_code=404)
        self.assertNotContains(response, self.application.tracking_no, status_code=404)

    def test_a_missing_application_is_the_same_404(self) -> None:
        self.login("clerk")
        self.assertEqual(self.client.get(reverse("cases:detail", args=[999999])).status_code, 404)

    def test_the_owner_sees_the_data_timeline_and_deadline_trail(self) -> None:
        self.login("clerk")
        response = self.detail(self.application)
        for text in (
            self.application.tracking_no,
            "张三",
            "请公开2024年某项目的批复文件",
            "已登记",  # status label
            "登记（互联网渠道）",  # timeline
            "计时中",  # the clock
            "2025-03-31",  # reply deadline
            "收到申请（互联网渠道，以双方确认之日为收到申请之日，第三十一条）",  # trail
            "周末",
        ):
            with self.subTest(text):
                self.assertContains(response, text)

    def test_the_full_identity_number_is_behind_a_click_for_the_office_only(self) -> None:
        # The page never carries the full number; a POST reveals it (tests/cases/test_reveal.py).
        self.login("clerk")
        response = self.detail(self.application)
        self.assertContains(response, '<span class="mono" id="masked-id">1101**********002X</span>')
        self.assertContains(response, '<input type="hidden" name="field" value="id_number">')
        self.assertNotContains(response, VALID_ID)
        revealed = self.client.post(
            reverse("cases:reveal", args=[self.application.pk]), {"field": "id_number"}
        )
        self.assertContains(revealed, f'<span class="mono" id="full-id">{VALID_ID}</span>')
        self.login("supervisor")
        response = self.detail(self.application)
        self.assertContains(response, "1101**********002X")
        self.assertNotContains(response, VALID_ID)
        self.assertNotContains(response, 'name="field"')

    def test_a_clerk_gets_the_clerk_actions_and_a_reviewer_also_the_reviewer_ones(self) -> None:
        clerk = [panel.action for panel in self.page("clerk").actions]
        self.assertEqual(
            clerk,
            [
                Action.REQUEST_CORRECTION,
                Action.START_CONSULTATION,
                Action.NOTIFY_FEE,
                Action.PROPOSE_REPLY,
                Action.WITHDRAW,
            ],
        )
        reviewer = [panel.action for panel in self.page("reviewer").actions]
        self.assertIn(Action.EXTEND, reviewer)
        self.assertIn(Action.REPLY, reviewer)
        self.login("clerk")
        self.assertContains(self.detail(self.application), "确认发出补正通知")

    def test_the_supervisor_reads_without_buttons(self) -> None:
        page = self.page("supervisor")
        self.assertEqual(page.actions, [])
        self.assertFalse(page.can_act)
        response = self.detail(self.application)
        self.assertContains(response, "您对本申请只有查看权限")
        self.assertNotContains(response, reverse("cases:upload", args=[self.application.pk]))

    def test_each_action_form_asks_only_what_its_service_needs(self) -> None:
        self.step(self.application, "propose_reply", outcome_key="r_partial", reasons="个人信息")
        panels = {panel.action: panel.form for panel in self.page("reviewer").actions}
        self.assertEqual(
            list(panels[Action.REPLY].fields), ["date", "outcome", "legal_basis", "note"]
        )
        self.assertEqual(list(panels[Action.RETURN_REPLY].fields), ["date", "note"])
        # The reviewer's form starts from the clerk's proposal.
        self.assertEqual(panels[Action.REPLY]["outcome"].value(), "r_partial")
        self.assertIn("第三十七条", panels[Action.REPLY]["legal_basis"].value())

    def test_the_outcome_and_conclusion_are_shown_once_replied(self) -> None:
        self.step(self.application, "reply", outcome_key="r_partial")
        self.login("clerk")
        response = self.detail(self.application)
        self.assertContains(response, "部分公开")
        self.assertContains(response, "《中华人民共和国政府信息公开条例》第三十七条")
        self.assertContains(response, "已答复")

    def test_a_letter_on_the_timeline_shows_its_title_not_its_internal_kind(self) -> None:
        Event.objects.create(
            application=self.application,
            action="letter",
            date=self.application.received_on,
            actor=self.clerk,
            note="政府信息公开申请补正告知书",
            data={"kind": "correction", "name": "补正告知书（X）.docx"},
        )
        self.login("reviewer")
        response = self.detail(self.application)
        html = response.content.decode()
        timeline = html[html.index('id="timeline"') :]
        timeline = timeline[: timeline.index("</section>")]
        self.assertIn("政府信息公开申请补正告知书", timeline)
        self.assertNotIn("correction", timeline)
        self.assertNotIn("kind", timeline)

    def test_attachments_are_listed_with_a_download_link(self) -> None:
        attachment = attachment_add(
            actor=self.clerk,
            application=self.application,
            name="申请书.pdf",
            content=b"%PDF-1.4 test",
            kind="application",
        )
        self.login("reviewer")
        response = self.detail(self.application)
        self.assertContains(response, "申请书.pdf")
        # The digest is there for whoever checks a file, not a column of its own (issue 14).
        self.assertContains(response, f'title="SHA-256 {attachment.sha256}"')
        self.assertNotContains(response, "<th>SHA-256</th>")
        self.assertContains(
            response, reverse("cases:download", args=[self.application.pk, attachment.pk])
        )

    def test_no_letter_buttons_while_the_letters_are_not_available(self) -> None:
        self.addCleanup(set_letter_provider, set_letter_provider(None))  # no letters app
        self.assertEqual(self.page("clerk").letters, [])
        self.assertNotContains(self.detail(self.application), 'id="letters"')

    @override_settings(ROOT_URLCONF=__name__)
    def test_letter_buttons_once_the_letters_are_available(self) -> None:
        def fake(application: Application) -> list[tuple[str, str, str]]:
            url = reverse("letters:generate", args=[application.pk, "correction"])
            return [("correction", "补正告知书", url)]

        self.addCleanup(set_letter_provider, set_letter_provider(fake))
        self.login("clerk")
        response = self.detail(self.application)
        self.assertContains(response, "生成补正告知书")
        self.assertContains(response, f'action="/l/{self.application.pk}/correction/"')
