"""The required elements of a 指南 (条例第十二条) and the remedies' time limits."""

from __future__ import annotations

import dataclasses
from typing import Any
from unittest import TestCase

from gongkai.portal.guide_elements import missing_elements
from tests.portal.guides import COMPLETE


def values(**changes: Any) -> dict[str, Any]:
    data = {"name": "宛城区人民政府办公室", **dataclasses.asdict(COMPLETE)}
    data["channels"] = list(data["channels"])
    return data | changes


class MissingElementsTests(TestCase):
    def test_a_complete_guide_lacks_nothing(self) -> None:
        self.assertEqual(missing_elements(values()), [])

    def test_it_names_each_blank_required_element_in_order(self) -> None:
        missing = missing_elements(values(office_hours=" ", fax="", channels=[]))
        self.assertEqual(missing, ["办公时间", "传真号码", "申请渠道"])

    def test_the_postcode_is_required_only_when_post_is_accepted(self) -> None:
        self.assertEqual(missing_elements(values(postcode="")), ["邮政编码（接受信函申请时必填）"])
        self.assertEqual(missing_elements(values(postcode="", channels=["online"])), [])

    def test_the_remedies_must_state_both_time_limits(self) -> None:
        missing = missing_elements(values(remedies="可以申请行政复议或者提起行政诉讼。"))
        self.assertEqual(missing, ["行政复议的期限（60日）", "行政诉讼的期限（6个月）"])
        written = values(remedies="六十日内申请行政复议，六个月内提起行政诉讼。")
        self.assertEqual(missing_elements(written), [])
