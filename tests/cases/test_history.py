"""Repeat requests (issue 14 part 4): the registration screen warns of the same applicant's
similar request with a link to it and registers only once the clerk confirms; the application page
lists the applicant's history with the similar ones marked."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from gongkai.cases.models import Application
from gongkai.domain.duplicates import comparable, is_repeat, request_similarity
from gongkai.test import VALID_ID
from tests.web.base import TODAY, WebTestCase

REQUEST = "请公开2024年某项目的批复文件"  # gongkai.test.Personas.register's content


def test_the_same_request_with_other_punctuation_is_the_same_text() -> None:
    assert comparable("请公开 2024年某项目的批复文件。") == comparable(REQUEST)
    assert request_similarity("请公开2024年某项目的批复文件。", REQUEST) == 1.0


def test_a_request_for_other_information_is_not_a_repeat() -> None:
    # Bigrams counted by hand: 15 and 15 distinct, only 请公 and 公开 shared: 2 / 28.
    assert request_similarity("请公开宛城区财政预算执行情况报告", REQUEST) == 2 / 28
    assert not is_repeat("请公开宛城区财政预算执行情况报告", REQUEST)
    assert request_similarity("", "") == 0.0


class RegistrationRepeatTests(WebTestCase):
    def post(self, **extra: str) -> object:
        data = {
            "organisation": str(self.office.pk),
            "applicant_type": "natural",
            "applicant_name": "张三",
            "id_type": "resident_id",
            "id_number": VALID_ID.lower(),  # normalised by the service: the same person
            "phone": "13800000000",
            "channel": "online",
            "received_on": TODAY.isoformat(),
            "content": "请公开2024年某项目的批复文件。",
            "form": "electronic",
            "delivery": "email",
            **extra,
        }
        return self.client.post(reverse("cases:register"), data)

    def test_a_repeat_is_shown_with_a_link_and_nothing_is_registered(self) -> None:
        earlier = self.new(received_on=TODAY - dt.timedelta(days=30))
        self.login("clerk")
        response = self.post()
        self.assertEqual(response.status_code, 200)  # type: ignore[attr-defined]
        self.assertContains(response, "同一申请人近期已提出内容相似的申请")  # type: ignore[arg-type]
        self.assertContains(response, reverse("cases:detail", args=[earlier.pk]))  # type: ignore[arg-type]
        self.assertEqual(Application.objects.count(), 1)

    def test_once_confirmed_it_is_registered(self) -> None:
        self.new(received_on=TODAY - dt.timedelta(days=30))
        self.login("clerk")
        response = self.post(confirm_repeat="on")
        self.assertEqual(response.status_code, 302)  # type: ignore[attr-defined]
        self.assertEqual(Application.objects.count(), 2)

    def test_another_applicant_or_an_old_request_is_no_warning(self) -> None:
        self.new(received_on=TODAY - dt.timedelta(days=400))  # beyond the year looked back
        self.login("clerk")
        self.assertEqual(self.post().status_code, 302)  # type: ignore[attr-defined]


class ApplicantHistoryTests(WebTestCase):
    def test_the_page_lists_the_applicants_other_requests_and_marks_the_similar(self) -> None:
        first = self.new(received_on=TODAY - dt.timedelta(days=40))
        second = self.new(received_on=TODAY - dt.timedelta(days=10))
        other = self.new(received_on=TODAY - dt.timedelta(days=5), name="李四")
        Application.objects.filter(pk=other.pk).update(id_number="110105194912310029")
        self.login("reviewer")
        page = self.client.get(reverse("cases:detail", args=[second.pk])).content.decode()
        history = page[page.index('id="history"') :]
        history = history[: history.index("</section>")]
        self.assertIn(first.tracking_no, history)
        self.assertIn("内容相似", history)
        self.assertNotIn(second.tracking_no, history)
        self.assertNotIn(other.tracking_no, history)
