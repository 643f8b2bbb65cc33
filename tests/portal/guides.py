"""A complete 指南 for the tests of the public side."""

from __future__ import annotations

from gongkai.portal.services import GuideInput

COMPLETE = GuideInput(
    address="南阳市宛城区××路1号",
    office_hours="工作日上午8:30—12:00，下午14:30—17:30",
    phone="0377-00000000",
    fax="0377-00000001",
    email="gongkai@example.gov.cn",
    postcode="473000",
    website="https://www.example.gov.cn",
    channels=("online", "in_person", "mail", "fax"),
    classification="按主题、机构、体裁分类编排。",
    proactive_channels="政府网站政府信息公开专栏、档案馆、图书馆。",
    procedure="收到申请之日起20个工作日内答复；需要延长的，延长不超过20个工作日。",
    fees="一般不收费；超出一定数量或频次的，依照国办函〔2020〕109号收取信息处理费。",
    remedies="可以在知道之日起60日内申请行政复议，或者6个月内提起行政诉讼。",
)
