"""法定主动公开内容 on the 专栏: the catalogue page (search without JavaScript, filters, columns by
主题 and the 本栏目暂无信息 notice), an item by its 索引号 with its metadata, 有效性 marking, its
attachment and its 解读 both ways, and the normative documents with their validity."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from gongkai.reports.models import NormativeDocument, ProactiveItem
from gongkai.reports.register_services import (
    NormativeDocumentData,
    ProactiveItemData,
    normative_document_save,
    proactive_item_save,
    proactive_item_withdraw,
)
from gongkai.test import BaseTestCase

EMPTY = "本栏目暂无信息"


class CatalogueTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.today = timezone.localdate()

    def item(self, **changes: Any) -> ProactiveItem:
        values: dict[str, Any] = {
            "title": "关于做好春季防汛工作的通知",
            "published_on": self.today - dt.timedelta(days=3),
            "topic": "09",
            "genre": "tongzhi",
            "doc_number": "宛政办〔2025〕5号",
            "body": "各乡镇人民政府：请做好防汛工作。",
        }
        return proactive_item_save(
            actor=self.clerk, organisation=self.office, today=self.today,
            data=ProactiveItemData(**(values | changes)),
        )  # fmt: skip

    def page(self, url: str, status: int = 200) -> str:
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, url)
        return response.content.decode()

    def catalogue_url(self, **params: str) -> str:
        url = reverse("portal:catalogue", args=[self.office.code])
        return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


class CataloguePageTests(CatalogueTestCase):
    def test_an_empty_catalogue_says_so_in_every_column(self) -> None:
        page = self.page(self.catalogue_url())
        self.assertIn("<h1>法定主动公开内容</h1>", page)
        self.assertGreaterEqual(page.count(EMPTY), 22)  # 21 主题 columns and the list

    def test_a_column_with_items_lists_them_and_an_empty_one_says_so(self) -> None:
        item = self.item()
        page = self.page(self.catalogue_url(topic="09"))
        self.assertIn(item.title, page)
        self.assertIn(
            reverse("portal:catalogue_item", args=[self.office.code, item.index_no]), page
        )
        self.assertIn(
            EMPTY, self.page(self.catalogue_url(topic="10")).split('id="results-heading"')[1]
        )

    def test_the_search_form_is_a_plain_get_form_with_labels(self) -> None:
        page = self.page(self.catalogue_url())
        self.assertIn('<form method="get"', page)
        for name in ("q", "topic", "genre", "validity", "year"):
            self.assertIn(f'<label for="{name}">', page)
        self.assertNotIn("<script", page)
        self.assertNotIn('style="', page)

    def test_search_finds_by_number_and_says_so_when_nothing_matches(self) -> None:
        item = self.item()
        self.item(title="另一份文件", doc_number="宛政办〔2025〕6号")
        page = self.page(self.catalogue_url(q="〔2025〕5号"))
        self.assertIn(item.title, page)
        self.assertNotIn("另一份文件", page)
        nothing = self.page(self.catalogue_url(q="不存在的词")).split('id="results-heading"')[1]
        self.assertIn(EMPTY, nothing)

    def test_repealed_items_stay_listed_and_are_marked(self) -> None:
        self.item(
            validity="repealed",
            validity_changed_on=self.today - dt.timedelta(days=1),
            replacement="宛政办〔2025〕9号",
        )
        page = self.page(self.catalogue_url())
        self.assertIn('class="validity validity-repealed">废止</strong>', page)

    def test_future_and_withdrawn_items_are_not_public(self) -> None:
        future = self.item(title="明天发布", published_on=self.today + dt.timedelta(days=1))
        withdrawn = self.item(title="已撤回")
        proactive_item_withdraw(
            actor=self.clerk, organisation=self.office, item=withdrawn, reason="有误"
        )
        page = self.page(self.catalogue_url())
        self.assertNotIn("明天发布", page)
        self.assertNotIn("已撤回", page)
        for hidden in (future, withdrawn):
            url = reverse("portal:catalogue_item", args=[self.office.code, hidden.index_no])
            self.page(url, 404)

    def test_bad_filters_are_ignored_not_errors(self) -> None:
        self.item()
        self.page(self.catalogue_url(topic="zz", year="abcd", validity="x", after="bogus"))


class ItemPageTests(CatalogueTestCase):
    def test_the_item_page_shows_every_element_of_the_metadata(self) -> None:
        item = self.item(written_on=self.today - dt.timedelta(days=5), summary="防汛工作安排")
        page = self.page(reverse("portal:catalogue_item", args=[self.office.code, item.index_no]))
        for text in ("索引号", item.index_no, "发布机构", self.office.name, "成文日期",
                     "发布日期", "文号", "宛政办〔2025〕5号", "主题分类", "城乡建设、环境保护",
                     "体裁", "通知", "有效性", "内容概述", "防汛工作安排", "请做好防汛工作"):  # fmt: skip
            self.assertIn(text, page)

    def test_a_repealed_item_is_marked_prominently(self) -> None:
        item = self.item(
            validity="repealed",
            validity_changed_on=self.today - dt.timedelta(days=1),
            replacement="宛政办〔2025〕9号",
        )
        page = self.page(reverse("portal:catalogue_item", args=[self.office.code, item.index_no]))
        self.assertIn('class="validity-banner validity-repealed"', page)
        self.assertIn("替代文件：宛政办〔2025〕9号", page)

    def test_interpretation_and_policy_link_both_ways(self) -> None:
        policy = self.item()
        interpretation = self.item(
            title="《通知》图解", is_interpretation=True, interpretation_form="image",
            genre="jiedu", interprets_index_no=policy.index_no, doc_number="",
        )  # fmt: skip
        policy_url = reverse("portal:catalogue_item", args=[self.office.code, policy.index_no])
        reading_url = reverse(
            "portal:catalogue_item", args=[self.office.code, interpretation.index_no]
        )
        self.assertIn(reading_url, self.page(policy_url))
        self.assertIn("相关解读", self.page(policy_url))
        self.assertIn(policy_url, self.page(reading_url))

    @override_settings(MEDIA_ROOT="/tmp/h_cat/media")
    def test_the_attachment_downloads(self) -> None:
        content = b"%PDF-1.4\n%test\n"
        item = self.item(attachment_name="防汛通知.pdf", attachment_content=content)
        url = reverse("portal:catalogue_attachment", args=[self.office.code, item.index_no])
        self.assertIn(
            url, self.page(reverse("portal:catalogue_item", args=[self.office.code, item.index_no]))
        )
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(b"".join(response.streaming_content), content)  # type: ignore[attr-defined]

    def test_no_attachment_and_unknown_numbers_are_404(self) -> None:
        item = self.item()
        self.page(
            reverse("portal:catalogue_attachment", args=[self.office.code, item.index_no]), 404
        )
        self.page(reverse("portal:catalogue_item", args=[self.office.code, "NOPE0000"]), 404)
        self.page(reverse("portal:catalogue_item", args=["NOPE", item.index_no]), 404)


class DocumentsPageTests(CatalogueTestCase):
    def test_documents_are_listed_with_their_validity(self) -> None:
        def save(**changes: Any) -> NormativeDocument:
            values: dict[str, Any] = {
                "kind": NormativeDocument.Kind.NORMATIVE,
                "title": "关于甲的通知",
                "issued_on": dt.date(2020, 1, 1),
            }
            return normative_document_save(
                actor=self.clerk, organisation=self.office, today=self.today,
                data=NormativeDocumentData(**(values | changes)),
            )  # fmt: skip

        save()
        save(title="乙办法", doc_number="宛政〔2019〕2号", abolished_on=dt.date(2023, 6, 30))
        page = self.page(reverse("portal:catalogue_documents", args=[self.office.code]))
        self.assertIn("乙办法", page)
        self.assertIn('validity-repealed">废止</strong>', page)
        self.assertIn('validity-valid">有效</strong>', page)

    def test_no_documents_says_so(self) -> None:
        self.assertIn(
            EMPTY, self.page(reverse("portal:catalogue_documents", args=[self.office.code]))
        )


class DemoCatalogueTests(BaseTestCase):
    def test_wancheng_has_its_68_items_with_index_numbers_and_15_linked_interpretations(
        self,
    ) -> None:
        from gongkai.reports.demo import load_register_demo

        self.assertTrue(load_register_demo())
        items = ProactiveItem.objects.filter(organisation=self.office, published_on__year=2024)
        self.assertEqual(items.count(), 68)
        self.assertEqual(items.exclude(index_no="").values("index_no").distinct().count(), 68)
        linked = items.filter(is_interpretation=True, interprets__isnull=False)
        self.assertEqual(linked.count(), 15)
        page = self.client.get(reverse("portal:catalogue", args=[self.office.code]))
        self.assertEqual(page.status_code, 200)
        documents = self.client.get(
            reverse("portal:catalogue_documents", args=[self.office.code])
        ).content.decode()
        self.assertIn("已修改", documents)
        self.assertIn('validity-repealed">废止</strong>', documents)
        policy = linked.first().interprets  # type: ignore[union-attr]
        assert policy is not None
        item_page = self.client.get(
            reverse("portal:catalogue_item", args=[self.office.code, policy.index_no])
        ).content.decode()
        self.assertIn("相关解读", item_page)


class CatalogueCacheTests(CatalogueTestCase):
    """The catalogue pages are cached like the rest of the 专栏 and cleared by any change to the
    registers (the reports app's `register_changed`, sent once the change commits)."""

    def test_a_new_item_clears_the_cached_catalogue(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.item(title="关于做好春季防汛工作的通知")
        self.assertIn("春季防汛", self.page(self.catalogue_url()))
        # A change the portal is not told of stays invisible: the page is the cached one.
        ProactiveItem.objects.update(title="关于做好秋季防汛工作的通知")
        self.assertNotIn("秋季防汛", self.page(self.catalogue_url()))
        with self.captureOnCommitCallbacks(execute=True):
            self.item(title="关于开展安全生产检查的通知", doc_number="宛政办〔2025〕6号")
        page = self.page(self.catalogue_url())
        self.assertIn("安全生产检查", page)
        self.assertIn("秋季防汛", page)
