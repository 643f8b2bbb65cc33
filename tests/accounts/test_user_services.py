"""The accounts services: an organisation's 管理员 manages his own organisation's users and no
one else's, the system and security administrators theirs, and every change is one audit entry
(or the entries listed) with the organisation and the role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Membership
from gongkai.accounts.services import (
    membership_grant,
    membership_revoke,
    user_activate,
    user_create,
    user_deactivate,
)
from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry
from gongkai.domain.lifecycle import Role
from gongkai.test import PASSWORD, BaseTestCase, WithAdministrators

GOOD_PASSWORD = "Wancheng-2025-mima"


class AccountServiceTestCase(WithAdministrators, BaseTestCase):
    def setUp(self) -> None:
        self.remark()

    def remark(self) -> None:
        """Entries from now on are the ones `entries` and `assertRefused` look at."""
        self.mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def entries(self) -> list[tuple[str, str, str, str, dict[str, Any]]]:
        """(action, user, object, organisation, detail) recorded since the test began."""
        return [
            (e.action, e.username, e.object_repr, e.organisation, e.detail)
            for e in AuditEntry.objects.filter(id__gt=self.mark).order_by("id")
        ]

    def assertRefused(self, call: Any, kind: str = "forbidden", text: str = "") -> None:
        memberships = list(Membership.objects.order_by("pk").values_list("pk", "role"))
        users = list(User.objects.order_by("pk").values_list("pk", "is_active", "is_staff"))
        with self.assertRaises(ServiceError) as caught:
            call()
        self.assertEqual(caught.exception.kind, kind, caught.exception.message)
        self.assertIn(text, caught.exception.message)
        self.assertEqual(
            list(Membership.objects.order_by("pk").values_list("pk", "role")), memberships
        )
        self.assertEqual(
            list(User.objects.order_by("pk").values_list("pk", "is_active", "is_staff")), users
        )
        self.assertEqual(self.entries(), [])

    def create(self, actor: User, **kwargs: Any) -> User:
        values = {
            "username": "wangwu", "name": "王五", "password": GOOD_PASSWORD,
            "organisation": self.office, "roles": [Role.CLERK], **kwargs,
        }  # fmt: skip
        return user_create(actor=actor, **values)


class UserCreateTests(AccountServiceTestCase):
    def test_the_organisation_admin_creates_a_user_with_roles_in_his_organisation(self) -> None:
        user = self.create(self.admin, roles=[Role.REVIEWER, Role.CLERK])
        self.assertTrue(user.check_password(GOOD_PASSWORD))
        self.assertEqual(user.first_name, "王五")
        self.assertEqual(
            set(Membership.objects.filter(user=user).values_list("organisation__code", "role")),
            {("WCBGS", "clerk"), ("WCBGS", "reviewer")},
        )
        self.assertEqual(
            self.entries(),
            [
                (AuditAction.USER_CREATE, "admin", "wangwu", "WCBGS",
                 {"organisation": "WCBGS", "roles": ["clerk", "reviewer"]}),
                (AuditAction.ROLE_GRANT, "admin", "wangwu", "WCBGS",
                 {"organisation": "WCBGS", "role": "clerk"}),
                (AuditAction.ROLE_GRANT, "admin", "wangwu", "WCBGS",
                 {"organisation": "WCBGS", "role": "reviewer"}),
            ],
        )  # fmt: skip

    def test_the_initial_password_is_checked_by_the_validators(self) -> None:
        with self.assertRaises(ServiceError) as caught:
            self.create(self.admin, password="short")
        self.assertEqual(caught.exception.field, "password")
        self.assertFalse(User.objects.filter(username="wangwu").exists())
        self.assertEqual(self.entries(), [])

    def test_a_taken_name_in_any_case_is_refused(self) -> None:
        self.assertRefused(
            lambda: self.create(self.admin, username="Clerk"), "conflict", "已被使用"
        )
        self.assertRefused(lambda: self.create(self.admin, username="a b"), "invalid")

    def test_only_an_admin_of_the_organisation_creates_there(self) -> None:
        for actor in (self.clerk, self.reviewer, self.supervisor, self.outsider, self.secadmin):
            with self.subTest(actor.username):
                self.assertRefused(lambda actor=actor: self.create(actor))
        self.assertRefused(lambda: self.create(self.admin, organisation=self.other))

    def test_he_grants_neither_supervision_nor_nothing(self) -> None:
        self.assertRefused(lambda: self.create(self.admin, roles=[Role.SUPERVISOR]), text="监督")
        self.assertRefused(lambda: self.create(self.admin, roles=[]), "invalid")

    def test_the_system_administrator_creates_accounts_without_roles(self) -> None:
        user = user_create(
            actor=self.sysadmin, username="zhaoliu", name="赵六", password=GOOD_PASSWORD
        )
        self.assertFalse(user.memberships.exists())
        self.assertEqual(self.entries(), [(AuditAction.USER_CREATE, "sysadmin", "zhaoliu", "", {})])
        self.remark()
        for actor in (self.secadmin, self.auditor, self.admin):
            with self.subTest(actor.username):
                self.assertRefused(
                    lambda actor=actor: user_create(
                        actor=actor, username="x1", name="某", password=GOOD_PASSWORD
                    )
                )


class MembershipTests(AccountServiceTestCase):
    def grant(self, actor: User, user: User, role: Role, organisation: Any = None) -> Any:
        return membership_grant(
            actor=actor, organisation=organisation or self.office, user=user, role=role
        )

    def revoke(self, actor: User, user: User, role: Role, organisation: Any = None) -> None:
        membership_revoke(
            actor=actor, organisation=organisation or self.office, user=user, role=role
        )

    def test_the_admin_grants_and_revokes_acting_roles_of_his_members(self) -> None:
        self.grant(self.admin, self.clerk, Role.REVIEWER)
        self.revoke(self.admin, self.clerk, Role.REVIEWER)
        self.assertEqual(
            set(Membership.objects.filter(user=self.clerk).values_list("role", flat=True)),
            {"clerk"},
        )
        detail = {"organisation": "WCBGS", "role": "reviewer"}
        self.assertEqual(
            self.entries(),
            [
                (AuditAction.ROLE_GRANT, "admin", "clerk", "WCBGS", detail),
                (AuditAction.ROLE_REVOKE, "admin", "clerk", "WCBGS", detail),
            ],
        )

    def test_he_does_not_grant_supervision(self) -> None:
        self.assertRefused(lambda: self.grant(self.admin, self.clerk, Role.SUPERVISOR), text="监督")

    def test_he_does_not_touch_another_organisations_users_or_roles(self) -> None:
        self.assertRefused(lambda: self.grant(self.admin, self.outsider, Role.CLERK))
        self.assertRefused(lambda: self.grant(self.admin, self.outsider, Role.CLERK, self.other))
        self.assertRefused(lambda: self.revoke(self.admin, self.outsider, Role.CLERK, self.other))
        self.assertRefused(
            lambda: self.revoke(self.admin, self.supervisor, Role.SUPERVISOR, self.district)
        )

    def test_office_users_who_are_not_admins_change_no_roles(self) -> None:
        for actor in (self.clerk, self.reviewer, self.supervisor, self.auditor, self.sysadmin):
            with self.subTest(actor.username):
                self.assertRefused(lambda actor=actor: self.grant(actor, self.clerk, Role.REVIEWER))

    def test_the_last_admin_stays_and_nobody_drops_his_own_admin_role(self) -> None:
        self.assertRefused(lambda: self.revoke(self.admin, self.admin, Role.ADMIN), text="自己")
        self.grant(self.admin, self.reviewer, Role.ADMIN)
        self.revoke(self.reviewer, self.admin, Role.ADMIN)
        self.remark()
        self.assertRefused(
            lambda: self.revoke(self.secadmin, self.reviewer, Role.ADMIN),
            "conflict",
            "至少须保留一名管理员",
        )

    def test_a_role_held_already_or_not_held_is_a_conflict(self) -> None:
        self.assertRefused(lambda: self.grant(self.admin, self.clerk, Role.CLERK), "conflict")
        self.assertRefused(lambda: self.revoke(self.admin, self.clerk, Role.REVIEWER), "conflict")

    def test_the_security_administrator_grants_any_role_anywhere(self) -> None:
        newcomer = User.objects.create_user("newcomer", password=PASSWORD)
        self.grant(self.secadmin, newcomer, Role.SUPERVISOR, self.district)
        self.revoke(self.secadmin, self.outsider, Role.CLERK, self.other)
        self.assertEqual(
            [(action, user, org) for action, user, _, org, _ in self.entries()],
            [
                (AuditAction.ROLE_GRANT, "secadmin", "WCQ"),
                (AuditAction.ROLE_REVOKE, "secadmin", "WCCZJ"),
            ],
        )


class DeactivateTests(AccountServiceTestCase):
    def test_the_admin_stops_a_user_of_his_organisation_only(self) -> None:
        user_deactivate(actor=self.admin, user=self.clerk, organisation=self.office)
        self.clerk.refresh_from_db()
        self.assertFalse(self.clerk.is_active)
        self.assertTrue(Membership.objects.filter(user=self.clerk).exists())  # history stays
        self.assertEqual(
            self.entries(),
            [(AuditAction.USER_DISABLE, "admin", "clerk", "WCBGS",
              {"organisation": "WCBGS", "roles": ["clerk"]})],
        )  # fmt: skip
        self.assertFalse(self.client.login(username="clerk", password=PASSWORD))

    def test_a_user_with_roles_elsewhere_is_not_his_to_stop(self) -> None:
        membership_grant(
            actor=self.secadmin, organisation=self.other, user=self.reviewer, role=Role.CLERK
        )
        self.remark()
        self.assertRefused(
            lambda: user_deactivate(actor=self.admin, user=self.reviewer, organisation=self.office),
            text="其他机构",
        )
        self.assertRefused(
            lambda: user_deactivate(actor=self.admin, user=self.outsider, organisation=self.office)
        )
        self.assertRefused(
            lambda: user_deactivate(actor=self.admin, user=self.admin, organisation=self.office),
            text="自己",
        )
        self.assertRefused(
            lambda: user_deactivate(actor=self.clerk, user=self.reviewer, organisation=self.office)
        )

    def test_the_system_administrator_stops_and_restarts_any_account_but_an_administrators(
        self,
    ) -> None:
        user_deactivate(actor=self.sysadmin, user=self.outsider)
        user_activate(actor=self.sysadmin, user=self.outsider)
        self.assertEqual(
            [(action, user, obj, detail) for action, user, obj, _, detail in self.entries()],
            [
                (AuditAction.USER_DISABLE, "sysadmin", "outsider", {}),
                (AuditAction.USER_CHANGE, "sysadmin", "outsider", {"is_active": True}),
            ],
        )
        self.remark()
        self.assertRefused(
            lambda: user_deactivate(actor=self.sysadmin, user=self.auditor), text="审计管理员"
        )
        for actor in (self.secadmin, self.auditor):
            with self.subTest(actor.username):
                self.assertRefused(
                    lambda actor=actor: user_deactivate(actor=actor, user=self.clerk)
                )
