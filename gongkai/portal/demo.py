"""Demo of the public side: the 政府信息公开指南 of 宛城区人民政府办公室 (WCBGS), complete and
published through the services, and the entries of its 政府信息公开制度. The wording follows the
order of Beijing's 2019 guides (office → proactive → on application → supervision and remedies);
the telephone and address are the demo organisation's placeholders."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction

from gongkai.accounts.models import Organisation
from gongkai.portal.models import GuideVersion
from gongkai.portal.services import GuideInput, guide_publish, guide_save, policy_item_add

PUBLISHED_ON = dt.date(2025, 1, 6)

WCBGS_GUIDE = GuideInput(
    address="河南省南阳市宛城区",
    office_hours="工作日上午8:30—12:00，下午14:30—17:30（法定节假日除外）",
    phone="0377-00000000",
    fax="0377-00000001",
    email="zwgk@wancheng.example.gov.cn",
    postcode="473000",
    website="https://wancheng.example.gov.cn/open/WCBGS/",
    channels=("online", "in_person", "mail", "fax"),
    classification=(
        "本机关主动公开的政府信息按主题、机构、体裁分类编排，包括：机构职能、政策文件（含行政规范性"
        "文件及其有效性）、政策解读、规划计划、财政预决算、政务动态、通知公告等。每条信息标注索引号、"
        "发布机构、成文日期、发布日期、文号和有效性。"
    ),
    proactive_channels=(
        "主要通过宛城区人民政府门户网站“政府信息公开”专栏公开，并视情况通过政务新媒体、新闻发布会、"
        "广播电视、报刊等方式公开。区档案馆、区图书馆和区政务服务中心设置政府信息查阅场所，提供查阅服务。"
        "属于主动公开范围的政府信息，自形成或者变更之日起20个工作日内予以公开（条例第二十六条）。"
    ),
    procedure=(
        "（一）提出申请。申请人可以通过互联网在线申请、当面提交、信函邮寄、传真等方式提出书面申请；"
        "书写确有困难的，可以口头提出，由工作人员代为填写。申请内容应包括：申请人的姓名或者名称、"
        "身份证明、联系方式；申请公开的政府信息的名称、文号或者便于查询的其他特征性描述；"
        "申请公开的政府信息的形式要求，包括获取信息的方式、途径。申请无须说明用途。\n"
        "（二）收到申请的时间。当面提交的，以提交之日为收到申请之日；以邮寄方式提交的，以本机关签收之日"
        "为收到申请之日；通过互联网渠道或者传真提交的，以双方确认之日为收到申请之日（条例第三十一条）。\n"
        "（三）补正。申请内容不明确的，自收到申请之日起7个工作日内一次性告知申请人补正；答复期限自收到"
        "补正的申请之日起计算（条例第三十条）。\n"
        "（四）答复。能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；需要"
        "延长答复期限的，经负责人同意并告知申请人，延长的期限最长不超过20个工作日（条例第三十三条）。"
        "征求第三方和其他机关意见所需时间不计算在期限内。"
    ),
    fees=(
        "行政机关依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，"
        "按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费：同一申请人一个"
        "自然月内累计申请10件以下（含）或者一件申请公开的信息不超过30页（或者30条）的，不收费。"
    ),
    remedies=(
        "申请人认为本机关在政府信息公开工作中侵犯其合法权益的，可以向宛城区人民政府政务公开工作主管部门"
        "投诉、举报；也可以自知道该行政行为之日起60日内依法申请行政复议，或者自知道或者应当知道作出"
        "行政行为之日起6个月内依法提起行政诉讼（条例第五十一条）。"
    ),
)

POLICIES = [
    ("宛城区人民政府办公室政府信息公开保密审查制度",
     "拟公开的政府信息，由承办科室依照《中华人民共和国保守国家秘密法》等规定审查，"
     "不能确定可否公开的，报有关主管部门或者保密工作部门确定（条例第十七条）。"),
    ("宛城区人民政府办公室政府信息发布协调制度",
     "发布的政府信息涉及其他机关的，与有关机关协商、确认，保证发布的政府信息准确一致（条例第八条）。"),
    ("宛城区人民政府办公室依申请公开办理制度",
     "申请统一登记、统一编号，按条例规定的期限办理并答复；答复文书写明依据、理由和救济途径。"),
]  # fmt: skip


def load_guide_demo() -> bool:
    """Publish the office's guide; False when it is there already or the office is missing."""
    office = Organisation.objects.filter(code="WCBGS").first()
    admin = User.objects.filter(username="admin").first()
    if office is None or admin is None or GuideVersion.objects.filter(organisation=office).exists():
        return False
    with transaction.atomic():
        guide_save(actor=admin, organisation=office, data=WCBGS_GUIDE)
        guide_publish(actor=admin, organisation=office, today=PUBLISHED_ON)
        for title, text in POLICIES:
            policy_item_add(
                actor=admin, organisation=office, title=title, text=text, today=PUBLISHED_ON
            )
    return True
