"""The 指南's settings and its publication: only the 管理员, required elements checked, dated
versions kept."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.test import TestCase

from gongkai.accounts.errors import ServiceError
from gongkai.portal.models import GuideSettings, GuideVersion
from gongkai.portal.services import GuideInput, guide_publish, guide_save
from gongkai.test import Personas
from tests.portal.guides import COMPLETE

DAY = dt.date(2025, 3, 20)


class GuideServiceTests(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_personas()

    def save(self, data: GuideInput = COMPLETE) -> GuideSettings:
        return guide_save(actor=self.admin, organisation=self.office, data=data)  # type: ignore[attr-defined]

    def publish(self, today: dt.date = DAY) -> GuideVersion:
        return guide_publish(actor=self.admin, organisation=self.office, today=today)  # type: ignore[attr-defined]

    def test_only_the_organisations_admin_saves_or_publishes(self) -> None:
        for persona in ("clerk", "reviewer", "supervisor", "outsider"):
            with self.subTest(persona), self.assertRaises(ServiceError) as caught:
                guide_save(actor=getattr(self, persona), organisation=self.office, data=COMPLETE)
            self.assertEqual(caught.exception.kind, "forbidden")
        self.save()
        with self.assertRaises(ServiceError):
            guide_publish(actor=self.clerk, organisation=self.office, today=DAY)  # type: ignore[attr-defined]
        self.assertFalse(GuideVersion.objects.exists())

    def test_publishing_names_what_is_missing_and_changes_nothing(self) -> None:
        self.save(dataclasses.replace(COMPLETE, fax="", office_hours=""))
        with self.assertRaises(ServiceError) as caught:
            self.publish()
        self.assertEqual(
            caught.exception.message, "指南缺少以下必备内容，不能发布：办公时间、传真号码"
        )
        self.assertFalse(GuideVersion.objects.exists())

    def test_publishing_makes_a_dated_version_and_keeps_the_earlier_ones(self) -> None:
        self.save()
        first = self.publish()
        self.save(dataclasses.replace(COMPLETE, phone="0377-11111111"))
        second = self.publish(DAY + dt.timedelta(days=30))
        self.assertEqual((first.number, first.published_on), (1, DAY))
        self.assertEqual((second.number, second.published_on), (2, dt.date(2025, 4, 19)))
        first.refresh_from_db()
        self.assertEqual(first.value("phone"), "0377-00000000")
        self.assertEqual(second.value("phone"), "0377-11111111")
        self.assertEqual(second.value("name"), "宛城区人民政府办公室")
        self.assertEqual(second.value("organisation_contact")["address"], "南阳市宛城区××路1号")

    def test_publishing_the_same_content_again_is_refused(self) -> None:
        self.save()
        self.publish()
        with self.assertRaises(ServiceError) as caught:
            self.publish()
        self.assertIn("内容与第1版相同", caught.exception.message)

    def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(self) -> None:
        cases = [
            (dataclasses.replace(COMPLETE, email="not-an-email"), "电子邮箱格式不正确"),
            (dataclasses.replace(COMPLETE, postcode="4730"), "邮政编码应为6位数字"),
            (
                dataclasses.replace(COMPLETE, website="www.x.cn"),
                "网址须以 http:// 或 https:// 开头",
            ),
            (dataclasses.replace(COMPLETE, channels=("pigeon",)), "不认识的申请渠道：pigeon"),
        ]
        for data, message in cases:
            with self.subTest(message), self.assertRaises(ServiceError) as caught:
                self.save(data)
            self.assertEqual(caught.exception.message, message)
        self.assertFalse(GuideSettings.objects.exists())
