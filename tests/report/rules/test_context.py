"""Guessing the agency's kind and tier from its name."""

from __future__ import annotations

import dataclasses

import pytest

from gongkai.domain.report.rules import AdminTier, AgencyLevel, guess_admin_tier, guess_agency_level
from gongkai.domain.report.rules.context import agency_name, guess_tier_from_text
from tests.report.rules.builders import consistent_2021


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("宛城区人民政府办公室", AgencyLevel.DEPARTMENT),
        ("南阳市宛城区人民政府", AgencyLevel.GOVERNMENT),
        ("宛城区政府", AgencyLevel.GOVERNMENT),
        ("某市人民政府国有资产监督管理委员会", AgencyLevel.DEPARTMENT),
        ("西咸新区太平镇人民政府", AgencyLevel.TOWNSHIP),
        ("雄县某乡人民政府（乡名未出现在摘录中）", AgencyLevel.TOWNSHIP),
        ("某区新华街道办事处", AgencyLevel.TOWNSHIP),
        ("威海市文登区信访局", AgencyLevel.DEPARTMENT),
        ("宛城区住房和城乡建设局", AgencyLevel.DEPARTMENT),
        ("", AgencyLevel.UNKNOWN),
        (None, AgencyLevel.UNKNOWN),
        ("某单位", AgencyLevel.UNKNOWN),
    ],
)
def test_agency_level_from_the_name(name: str | None, level: AgencyLevel) -> None:
    assert guess_agency_level(name) is level


@pytest.mark.parametrize(
    ("name", "tier"),
    [
        ("宛城区人民政府办公室", AdminTier.COUNTY),
        ("南阳市人民政府", AdminTier.CITY),
        ("南阳市宛城区住房和城乡建设局", AdminTier.COUNTY),
        ("宛城区市场监督管理局", AdminTier.COUNTY),
        ("杭州市人民政府办公厅", AdminTier.CITY),
        ("北京市通州区人民政府", AdminTier.COUNTY),
        ("北京市人民政府", AdminTier.PROVINCIAL),
        ("河南省人民政府办公厅", AdminTier.PROVINCIAL),
        ("内蒙古自治区人民政府", AdminTier.PROVINCIAL),
        ("西咸新区太平镇人民政府", AdminTier.TOWNSHIP),
        ("某区新华街道办事处", AdminTier.TOWNSHIP),
        ("国家税务总局宛城区税务局", AdminTier.UNKNOWN),
        (None, AdminTier.UNKNOWN),
    ],
)
def test_admin_tier_from_the_name(name: str | None, tier: AdminTier) -> None:
    assert guess_admin_tier(name) is tier


def test_the_agency_comes_from_the_title_when_the_parser_found_none() -> None:
    report = dataclasses.replace(consistent_2021(), agency=None)
    assert agency_name(report) == "宛城区人民政府办公室"
    assert agency_name(dataclasses.replace(report, title=None)) is None


def test_a_report_calling_itself_wo_zhen_is_a_township() -> None:
    assert guess_tier_from_text("现结合我镇实际") is AdminTier.TOWNSHIP
    assert guess_tier_from_text("本县各部门") is AdminTier.COUNTY
    assert guess_tier_from_text("我市各部门") is AdminTier.UNKNOWN
