"""Shared personas for the web and API tests: the demo office WCBGS under the district WCQ.

clerk (经办人), reviewer (审核人), admin (管理员) of WCBGS; supervisor (监督) of WCQ, reading its
whole subtree; outsider, a clerk of another department. `make_administrators` adds the
installation's three administrators: sysadmin (系统管理员), secadmin (安全管理员), auditor (审计管理员).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import unittest
from typing import Any

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings

from gongkai.accounts.models import Membership, Organisation
from gongkai.accounts.services import system_role_grant
from gongkai.accounts.system_roles import SystemRole
from gongkai.cases.models import Application
from gongkai.cases.services import Applicant, Registration, application_register
from gongkai.domain.lifecycle import Role

PASSWORD = "gongkai-test-pw"
# 11010519491231002X is the GB 11643 standard's own example number.
VALID_ID = "11010519491231002X"


class Personas:
    district: Organisation
    office: Organisation
    other: Organisation

    @classmethod
    def make_personas(cls) -> None:
        User = get_user_model()
        cls.district = Organisation.objects.create(
            code="WCQ", name="宛城区人民政府", kind="government", report_due_month=3
        )
        cls.office = Organisation.objects.create(
            code="WCBGS",
            name="宛城区人民政府办公室",
            kind="department",
            parent=cls.district,
            address="南阳市宛城区××路1号",
            phone="0377-00000000",
        )
        cls.other = Organisation.objects.create(
            code="WCCZJ", name="宛城区财政局", kind="department", parent=cls.district
        )
        for name, org, role in [
            ("clerk", cls.office, Role.CLERK),
            ("reviewer", cls.office, Role.REVIEWER),
            ("admin", cls.office, Role.ADMIN),
            ("supervisor", cls.district, Role.SUPERVISOR),
            ("outsider", cls.other, Role.CLERK),
        ]:
            user = User.objects.create_user(name, password=PASSWORD)
            Membership.objects.create(user=user, organisation=org, role=role)
            setattr(cls, name, user)

    @classmethod
    def make_administrators(cls) -> None:
        User = get_user_model()
        for name, role in [
            ("sysadmin", SystemRole.SYSTEM),
            ("secadmin", SystemRole.SECURITY),
            ("auditor", SystemRole.AUDIT),
        ]:
            user = User.objects.create_user(name, password=PASSWORD)
            system_role_grant(actor=None, user=user, role=role)
            setattr(cls, name, user)

    @classmethod
    def register(
        cls,
        *,
        received_on: dt.date = dt.date(2025, 3, 3),
        today: dt.date | None = None,
        applicant_type: str = "natural",
        name: str = "张三",
    ) -> Application:
        return application_register(
            actor=cls.clerk,  # type: ignore[attr-defined]
            organisation=cls.office,
            data=Registration(
                applicant=Applicant(
                    applicant_type, name, "resident_id", VALID_ID, phone="13800000000"
                ),
                channel="online",
                received_on=received_on,
                content="请公开2024年某项目的批复文件",
            ),
            today=today or received_on,
        )


class WithAdministrators:
    """Adds the installation's three administrators (sysadmin, secadmin, auditor) to the
    personas of a test case: put it before the base class."""

    sysadmin: Any
    secadmin: Any
    auditor: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()  # type: ignore[misc]
        cls.make_administrators()  # type: ignore[attr-defined]


class BaseTestCase(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_personas()


def use_temporary_media(test: unittest.TestCase) -> None:
    """Uploaded and published files of `test` go to a folder removed after it (tests write only
    to temporary folders)."""
    media = tempfile.mkdtemp(prefix="gongkai-media-")
    test.addCleanup(shutil.rmtree, media, ignore_errors=True)
    settings = override_settings(MEDIA_ROOT=media)
    settings.enable()
    test.addCleanup(settings.disable)
