"""The catalogue entry of the proactive register (公开目录, 条例第十二条): 索引号 rule, uniqueness
and format, 有效性, 解读 links, the body's attachment, withdrawal, the lag of 条例第二十六条, and
the public search selector (publication on the 发布日期, filters, keyset pages)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from django.test import override_settings

from gongkai.audit.models import AuditEntry
from gongkai.cases.services import ServiceError
from gongkai.domain import catalogue as tables
from gongkai.reports import catalogue
from gongkai.reports.catalogue_rules import publication_lags
from gongkai.reports.models import CatalogueSettings, NormativeDocument, ProactiveItem
from gongkai.reports.register_services import (
    NormativeDocumentData,
    ProactiveItemData,
    normative_document_save,
    proactive_item_save,
    proactive_item_withdraw,
)
from gongkai.test import BaseTestCase

TODAY = dt.date(2025, 3, 20)
MEDIA = "/tmp/h_cat/media"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>正文</w:document>")
    return buffer.getvalue()


class CatalogueTestCase(BaseTestCase):
    def save(self, item: ProactiveItem | None = None, **changes: Any) -> ProactiveItem:
        values: dict[str, Any] = {
            "title": "宛城区关于做好春季防汛工作的通知",
            "published_on": dt.date(2025, 3, 10),
            "written_on": dt.date(2025, 3, 3),
            "topic": "09",
            "genre": "tongzhi",
            "doc_number": "宛政办〔2025〕5号",
        }
        return proactive_item_save(
            actor=self.clerk,
            organisation=self.office,
            data=ProactiveItemData(**(values | changes)),
            today=TODAY,
            item=item,
        )

    def refused(self, field: str, **changes: Any) -> ServiceError:
        before = list(ProactiveItem.objects.values())
        with self.assertRaises(ServiceError) as raised:
            self.save(**changes)
        self.assertEqual(raised.exception.field, field, raised.exception.message)
        self.assertEqual(list(ProactiveItem.objects.values()), before)
        return raised.exception


class IndexNumberTests(CatalogueTestCase):
    def test_it_is_generated_from_organisation_class_year_and_sequence(self) -> None:
        first, second = self.save(), self.save(title="第二份通知")
        self.assertEqual(first.index_no, f"{self.office.code}09202500001")
        self.assertEqual(second.index_no, f"{self.office.code}09202500002")
        other_class = self.save(title="教育", topic="10")
        self.assertEqual(other_class.index_no, f"{self.office.code}10202500001")

    def test_the_default_rule_gives_20_characters_for_a_9_character_code(self) -> None:
        rule = tables.IndexRule(org_code="005184632")
        self.assertEqual(len(rule.format("09", 2025, 1)), 20)

    def test_a_given_number_is_kept_when_well_formed(self) -> None:
        item = self.save(index_no=f" {self.office.code.lower()}09202500042 ")
        self.assertEqual(item.index_no, f"{self.office.code}09202500042")
        self.assertEqual(self.save(title="下一份").index_no, f"{self.office.code}09202500043")

    def test_a_malformed_number_is_refused(self) -> None:
        error = self.refused("index_no", index_no="2025-0001")
        self.assertIn("不符合本机构的索引号规则", error.message)
        self.refused("index_no", index_no=f"{self.office.code}99202500001")  # no class 99
        self.refused("index_no", index_no="OTHER09202500001")

    def test_a_number_is_unique_in_the_organisation(self) -> None:
        first = self.save()
        error = self.refused("index_no", title="另一份", index_no=first.index_no)
        self.assertIn("已被", error.message)

    def test_a_number_once_given_stays_on_correction(self) -> None:
        item = self.save()
        corrected = self.save(item=item, title="更正后的标题", topic="10")
        self.assertEqual(corrected.index_no, item.index_no)

    def test_the_rule_is_configurable_per_organisation(self) -> None:
        CatalogueSettings.objects.create(
            organisation=self.office,
            index_org_code="005184632",
            index_pattern="{org}-{year}-{class}-{seq}",
        )
        item = self.save()
        self.assertEqual(item.index_no, "005184632-2025-09-00001")
        self.refused("index_no", title="旧格式", index_no=f"{self.office.code}09202500009")

    def test_a_rule_without_its_fields_is_refused(self) -> None:
        with self.assertRaises(tables.IndexRuleError):
            tables.IndexRule("ABC", "{org}{year}{seq}").check()
        with self.assertRaises(tables.IndexRuleError):
            tables.IndexRule("ABC", "{org}/{class}{year}{seq}").check()  # "/" is not URL-safe


class CatalogueEntryTests(CatalogueTestCase):
    def test_the_publisher_defaults_to_the_organisation(self) -> None:
        self.assertEqual(self.save().publisher, self.office.name)

    def test_classifications_come_from_the_tables(self) -> None:
        self.refused("topic", topic="99")
        self.refused("genre", genre="poem")
        self.refused("validity", validity="gone")
        self.assertTrue(tables.topics().source and tables.genres().source)

    def test_written_after_published_is_refused(self) -> None:
        self.refused("written_on", written_on=dt.date(2025, 3, 11))

    def test_a_repealed_item_needs_its_date(self) -> None:
        self.refused("validity_changed_on", validity="repealed")
        item = self.save(
            validity="repealed",
            validity_changed_on=dt.date(2025, 3, 15),
            replacement="宛政办〔2025〕9号",
        )
        shown = catalogue.shown_validity(item, TODAY)
        self.assertEqual(shown.label, "废止")
        self.assertEqual(catalogue.shown_validity(item, dt.date(2025, 3, 14)).label, "有效")

    def test_an_interpretation_links_to_its_policy(self) -> None:
        policy = self.save()
        interpretation = self.save(
            title="《通知》解读", is_interpretation=True, interpretation_form="text",
            genre="jiedu", interprets_index_no=policy.index_no,
        )  # fmt: skip
        self.assertEqual(interpretation.interprets, policy)
        self.assertEqual(list(policy.interpretations.all()), [interpretation])

    def test_only_an_interpretation_links_and_only_to_a_policy(self) -> None:
        policy = self.save()
        self.refused("interprets_index_no", title="普通通知", interprets_index_no=policy.index_no)
        self.refused(
            "interprets_index_no", title="解读", is_interpretation=True,
            interpretation_form="text", interprets_index_no="NOPE",
        )  # fmt: skip

    @override_settings(MEDIA_ROOT=MEDIA)
    def test_a_docx_attachment_is_stored_and_read_back(self) -> None:
        content = docx_bytes()
        item = self.save(attachment_name="通知.docx", attachment_content=content)
        item.refresh_from_db()
        self.assertEqual(item.attachment_name, "通知.docx")
        with item.attachment.open("rb") as stored:
            self.assertEqual(stored.read(), content)

    def test_an_attachment_that_is_not_pdf_or_docx_is_refused(self) -> None:
        self.refused("attachment", attachment_name="a.exe", attachment_content=b"MZ")
        self.refused("attachment", attachment_name="a.pdf", attachment_content=b"not a pdf")
        self.refused("attachment", attachment_name="a.docx", attachment_content=b"PK\x03\x04junk")


class WithdrawalTests(CatalogueTestCase):
    def test_withdrawal_keeps_who_when_and_why_and_leaves_the_catalogue(self) -> None:
        item = self.save()
        self.assertIsNotNone(catalogue.public_item(self.office, item.index_no, TODAY))
        proactive_item_withdraw(
            actor=self.reviewer, organisation=self.office, item=item, reason="内容有误，待更正"
        )
        item.refresh_from_db()
        self.assertEqual(item.withdrawn_by, self.reviewer)
        self.assertEqual(item.withdrawn_reason, "内容有误，待更正")
        self.assertIsNotNone(item.withdrawn_at)
        self.assertIsNone(catalogue.public_item(self.office, item.index_no, TODAY))
        self.assertTrue(ProactiveItem.objects.filter(pk=item.pk).exists())  # still counted
        entry = AuditEntry.objects.filter(object_id=str(item.pk)).order_by("-id").first()
        self.assertIsNotNone(entry)
        assert entry is not None
        self.assertIn("内容有误", str(entry.detail))

    def test_a_withdrawal_needs_a_reason_and_happens_once(self) -> None:
        item = self.save()
        with self.assertRaises(ServiceError):
            proactive_item_withdraw(
                actor=self.clerk, organisation=self.office, item=item, reason=" "
            )
        proactive_item_withdraw(
            actor=self.clerk, organisation=self.office, item=item, reason="重复"
        )
        with self.assertRaises(ServiceError):
            proactive_item_withdraw(
                actor=self.clerk, organisation=self.office, item=item, reason="再次"
            )

    def test_a_supervisor_may_not_withdraw(self) -> None:
        item = self.save()
        with self.assertRaises(ServiceError):
            proactive_item_withdraw(
                actor=self.supervisor, organisation=self.office, item=item, reason="x"
            )


class LagTests(CatalogueTestCase):
    def test_more_than_20_working_days_is_flagged(self) -> None:
        on_time = self.save(written_on=dt.date(2025, 3, 3), published_on=dt.date(2025, 3, 10))
        late = self.save(
            title="迟发", written_on=dt.date(2025, 1, 2), published_on=dt.date(2025, 3, 10)
        )
        lags = dict(publication_lags(self.office, [on_time, late]))
        self.assertEqual(lags[on_time].workdays, 5)  # type: ignore[union-attr]
        self.assertFalse(lags[on_time].exceeded)  # type: ignore[union-attr]
        self.assertTrue(lags[late].exceeded)  # type: ignore[union-attr]

    def test_the_register_screen_flags_it(self) -> None:
        self.save(title="迟发", written_on=dt.date(2025, 1, 2), published_on=dt.date(2025, 3, 10))
        self.client.force_login(self.clerk)
        page = self.client.get(
            f"/reports/registers/{self.office.code}/proactive/?year=2025"
        ).content.decode()
        self.assertIn("超过20个工作日", page)


class NormativeValidityTests(BaseTestCase):
    def save(self, **changes: Any) -> NormativeDocument:
        values: dict[str, Any] = {
            "kind": NormativeDocument.Kind.NORMATIVE,
            "title": "关于规范某项工作的通知",
            "issued_on": dt.date(2020, 1, 1),
        }
        return normative_document_save(
            actor=self.clerk, organisation=self.office, today=TODAY,
            data=NormativeDocumentData(**(values | changes)),
        )  # fmt: skip

    def test_an_abolition_date_means_repealed_and_valid_means_none(self) -> None:
        self.assertEqual(self.save().validity, "valid")
        self.assertEqual(self.save(abolished_on=dt.date(2024, 1, 1)).validity, "repealed")
        lapsed = self.save(validity="lapsed", abolished_on=dt.date(2024, 1, 1))
        self.assertEqual(lapsed.validity, "lapsed")

    def test_inconsistent_validity_is_refused(self) -> None:
        for changes in (
            {"validity": "repealed"},
            {"validity": "valid", "abolished_on": dt.date(2024, 1, 1)},
            {"validity": "amended"},
            {"validity": "nonsense"},
        ):
            with self.subTest(changes), self.assertRaises(ServiceError):
                self.save(**changes)
        self.assertFalse(NormativeDocument.objects.exists())

    def test_amended_keeps_it_in_force_with_its_date(self) -> None:
        document = self.save(
            validity="amended", amended_on=dt.date(2024, 6, 1), replacement="宛政办〔2024〕9号"
        )
        self.assertIsNone(document.abolished_on)
        self.assertEqual(catalogue.shown_validity(document, TODAY).label, "已修改")


class SearchTests(CatalogueTestCase):
    def test_it_finds_by_title_number_index_and_text(self) -> None:
        wanted = self.save(title="关于开展防汛演练的通知", body="请各单位于汛期前完成Drill演练")
        self.save(title="其他通知", doc_number="宛政办〔2025〕6号", topic="10")
        for text in ("防汛演练", "〔2025〕5号", wanted.index_no.lower(), "drill"):
            page = catalogue.search(self.office, catalogue.CatalogueQuery(text=text), today=TODAY)
            self.assertEqual([i.pk for i in page.items], [wanted.pk], text)

    def test_filters_by_topic_genre_validity_and_year(self) -> None:
        a = self.save()
        b = self.save(title="教育", topic="10", genre="yijian", published_on=dt.date(2024, 5, 1),
                      written_on=dt.date(2024, 4, 28))  # fmt: skip
        c = self.save(title="废止的", validity="repealed", validity_changed_on=dt.date(2025, 3, 12))

        def found(**query: Any) -> list[int]:
            page = catalogue.search(self.office, catalogue.CatalogueQuery(**query), today=TODAY)
            return sorted(i.pk for i in page.items)

        self.assertEqual(found(topic="10"), [b.pk])
        self.assertEqual(found(genre="yijian"), [b.pk])
        self.assertEqual(found(validity="repealed"), [c.pk])
        self.assertEqual(found(validity="valid"), sorted([a.pk, b.pk]))
        self.assertEqual(found(year=2024), [b.pk])

    def test_an_item_goes_public_on_its_publication_day_not_before(self) -> None:
        item = self.save(published_on=dt.date(2025, 3, 25), written_on=dt.date(2025, 3, 20))
        query = catalogue.CatalogueQuery()
        self.assertEqual(catalogue.search(self.office, query, today=TODAY).items, [])
        self.assertIsNone(catalogue.public_item(self.office, item.index_no, dt.date(2025, 3, 24)))
        on_the_day = catalogue.search(self.office, query, today=dt.date(2025, 3, 25))
        self.assertEqual([i.pk for i in on_the_day.items], [item.pk])

    def test_keyset_pages_cover_everything_once(self) -> None:
        made = {self.save(title=f"通知{n}", published_on=dt.date(2025, 3, 3 + n % 5)).pk
                for n in range(7)}  # fmt: skip
        seen: list[int] = []
        cursor = ""
        while True:
            page = catalogue.search(
                self.office, catalogue.CatalogueQuery(), today=TODAY, cursor=cursor, size=3
            )
            seen += [i.pk for i in page.items]
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        self.assertEqual(sorted(seen), sorted(made))
        self.assertEqual(len(seen), len(set(seen)))

    def test_empty_topic_columns_are_reported(self) -> None:
        self.save()
        self.save(title="未来的", topic="10", published_on=dt.date(2025, 3, 25),
                  written_on=dt.date(2025, 3, 20))  # fmt: skip
        columns = {c.code: c.has_items for c in catalogue.topic_columns(self.office, TODAY)}
        self.assertTrue(columns["09"])
        self.assertFalse(columns["10"])  # not public before its 发布日期
        self.assertNotIn("", columns)


class CatalogueSettingsFormTests(BaseTestCase):
    def test_the_admin_form_checks_the_rule(self) -> None:
        from gongkai.reports.admin import CatalogueSettingsForm

        good = {"organisation": self.office.pk, "index_org_code": "005184632",
                "index_pattern": "{org}-{class}-{year}-{seq}"}  # fmt: skip
        self.assertTrue(CatalogueSettingsForm(data=good).is_valid())
        bad = CatalogueSettingsForm(data=good | {"index_pattern": "{org}{year}"})
        self.assertFalse(bad.is_valid())
        self.assertIn("须包含", str(bad.errors))


@override_settings(MEDIA_ROOT=MEDIA)
class RegisterFormTests(BaseTestCase):
    def test_the_register_form_saves_a_catalogue_entry_with_its_attachment(self) -> None:
        self.client.force_login(self.clerk)
        url = f"/reports/registers/{self.office.code}/proactive/new/"
        form = self.client.get(url).content.decode()
        self.assertIn('enctype="multipart/form-data"', form)
        self.assertIn('name="index_no"', form)
        upload = io.BytesIO(b"%PDF-1.4\n%x\n")
        upload.name = "通知.pdf"
        response = self.client.post(url, {
            "title": "关于春季防汛的通知", "published_on": "2025-03-10", "written_on": "2025-03-03",
            "topic": "09", "genre": "tongzhi", "validity": "valid", "attachment": upload,
        })  # fmt: skip
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        item = ProactiveItem.objects.get()
        self.assertEqual(item.index_no, f"{self.office.code}09202500001")
        with item.attachment.open("rb") as stored:
            self.assertEqual(stored.read(), b"%PDF-1.4\n%x\n")
