"""The three administrator roles: groups with exactly the permissions of the table, kept in line
after every migrate, held one per person whatever the path, granted only by the security
administrator (or the command line) and recorded."""

from __future__ import annotations

import os
from io import StringIO
from unittest import mock

from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Membership
from gongkai.accounts.services import system_role_grant, system_role_revoke
from gongkai.accounts.system_roles import (
    ROLE_PERMISSIONS,
    SystemRole,
    sync_system_roles,
    system_role_of,
)
from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry
from gongkai.domain.lifecycle import Role
from gongkai.test import PASSWORD, BaseTestCase, WithAdministrators


def permissions_of(group: Group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def installed(names: tuple[str, ...]) -> set[str]:
    """The table's names (django-axes is installed, so its lockout permissions are there too)."""
    return set(names)


class GroupTests(BaseTestCase):
    def test_each_role_is_a_group_with_exactly_the_permissions_of_the_table(self) -> None:
        for role, names in ROLE_PERMISSIONS.items():
            with self.subTest(role):
                self.assertEqual(
                    permissions_of(Group.objects.get(name=role.label)), installed(names)
                )

    def test_the_auditor_reads_the_audit_log_and_nothing_else(self) -> None:
        self.assertEqual(
            permissions_of(Group.objects.get(name="审计管理员")), {"audit.view_auditentry"}
        )

    def test_no_role_reaches_business_data_or_changes_the_audit_log(self) -> None:
        for role, names in ROLE_PERMISSIONS.items():
            for name in names:
                with self.subTest(role=role, permission=name):
                    app, codename = name.split(".")
                    self.assertNotIn(app, {"reports"})
                    self.assertNotIn(codename, {"view_application", "view_attachment"})
                    if app == "audit":
                        self.assertEqual(codename, "view_auditentry")

    def test_the_sync_puts_back_what_was_changed_by_hand(self) -> None:
        auditors = Group.objects.get(name="审计管理员")
        auditors.permissions.add(Permission.objects.get(codename="change_organisation"))
        Group.objects.get(name="系统管理员").delete()
        sync_system_roles()
        sync_system_roles()  # twice: nothing doubles
        self.assertEqual(permissions_of(auditors), {"audit.view_auditentry"})
        self.assertEqual(Group.objects.filter(name__in=["系统管理员", "安全管理员"]).count(), 2)
        self.assertEqual(
            permissions_of(Group.objects.get(name="系统管理员")),
            installed(ROLE_PERMISSIONS[SystemRole.SYSTEM]),
        )

    def test_the_permissions_no_model_declares_exist(self) -> None:
        for codename in ("reset_user_password", "grant_system_role"):
            permission = Permission.objects.get(codename=codename)
            self.assertEqual(permission.content_type.app_label, "auth")
            self.assertTrue(permission.name.startswith("可以"))


class GrantTests(WithAdministrators, BaseTestCase):
    def new_user(self, name: str = "newbie") -> User:
        return User.objects.create_user(name, password=PASSWORD)

    def test_the_security_administrator_appoints_and_it_is_recorded(self) -> None:
        user = self.new_user()
        mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        system_role_grant(actor=self.secadmin, user=user, role=SystemRole.AUDIT)
        user.refresh_from_db()
        self.assertEqual(system_role_of(user), SystemRole.AUDIT)
        self.assertTrue(user.is_staff)
        self.assertTrue(user.has_perm("audit.view_auditentry"))
        system_role_revoke(actor=self.secadmin, user=user)
        user = User.objects.get(pk=user.pk)  # permissions are cached on the instance
        self.assertIsNone(system_role_of(user))
        self.assertFalse(user.is_staff)
        self.assertFalse(user.has_perm("audit.view_auditentry"))
        entries = list(AuditEntry.objects.filter(id__gt=mark).order_by("id"))
        self.assertEqual(
            [(e.action, e.username, e.object_repr, e.detail) for e in entries],
            [
                (AuditAction.ROLE_GRANT, "secadmin", "newbie", {"system_role": "audit"}),
                (AuditAction.ROLE_REVOKE, "secadmin", "newbie", {"system_role": "audit"}),
            ],
        )

    def test_a_second_system_role_is_refused(self) -> None:
        for holder in (self.sysadmin, self.auditor):
            for role in SystemRole:
                with self.subTest(holder=holder.username, role=role):
                    with self.assertRaises(ServiceError) as caught:
                        system_role_grant(actor=self.secadmin, user=holder, role=role)
                    self.assertEqual(caught.exception.kind, "conflict")
        self.assertIn("须由不同人员担任", str(self._refusal(self.auditor, SystemRole.SYSTEM)))
        self.assertEqual(list(self.auditor.groups.values_list("name", flat=True)), ["审计管理员"])

    def _refusal(self, user: User, role: SystemRole) -> ServiceError:
        try:
            system_role_grant(actor=self.secadmin, user=user, role=role)
        except ServiceError as exc:
            return exc
        raise AssertionError("not refused")

    def test_a_second_system_role_is_refused_on_any_other_path_too(self) -> None:
        security = Group.objects.get(name="安全管理员")
        with self.assertRaises(ServiceError), transaction.atomic():
            self.auditor.groups.add(security)
        with self.assertRaises(ServiceError), transaction.atomic():
            security.user_set.add(self.auditor)
        user = self.new_user()
        with self.assertRaises(ServiceError), transaction.atomic():
            user.groups.add(security, Group.objects.get(name="系统管理员"))
        self.assertEqual(list(self.auditor.groups.values_list("name", flat=True)), ["审计管理员"])
        self.assertFalse(user.groups.exists())
        user.groups.add(Group.objects.create(name="其他分组"))  # other groups are not concerned

    def test_only_the_security_administrator_appoints(self) -> None:
        user = self.new_user()
        for actor in (self.sysadmin, self.auditor, self.admin, self.clerk):
            with self.subTest(actor.username), self.assertRaises(ServiceError) as caught:
                system_role_grant(actor=actor, user=user, role=SystemRole.AUDIT)
            self.assertEqual(caught.exception.kind, "forbidden")
        self.assertIsNone(system_role_of(user))

    def test_nobody_changes_his_own_system_role(self) -> None:
        with self.assertRaises(ServiceError):
            system_role_revoke(actor=self.secadmin, user=self.secadmin)
        self.assertEqual(system_role_of(self.secadmin), SystemRole.SECURITY)

    def test_an_office_user_or_a_superuser_is_not_appointed(self) -> None:
        root = User.objects.create_superuser("root", password=PASSWORD)
        for user, text in ((self.admin, "机构中担任角色"), (root, "超级用户")):
            with self.subTest(user.username), self.assertRaises(ServiceError) as caught:
                system_role_grant(actor=self.secadmin, user=user, role=SystemRole.SYSTEM)
            self.assertIn(text, caught.exception.message)

    def test_an_administrator_gets_no_role_in_an_organisation(self) -> None:
        from gongkai.accounts.services import membership_grant

        with self.assertRaises(ServiceError) as caught:
            membership_grant(
                actor=self.secadmin, organisation=self.office, user=self.sysadmin, role=Role.CLERK
            )
        self.assertIn("专门账户", caught.exception.message)
        self.assertFalse(Membership.objects.filter(user=self.sysadmin).exists())


class CommandTests(BaseTestCase):
    def call(self, *args: str) -> str:
        out = StringIO()
        call_command("system_role", *args, stdout=out)
        return out.getvalue()

    def test_the_first_administrators_are_appointed_from_the_server(self) -> None:
        with mock.patch.dict(os.environ, {"GONGKAI_PASSWORD": "Yi2-zhong-Mima-2025"}):
            self.call("grant", "anquan", "security", "--create", "--noinput", "--name", "李安全")
        user = User.objects.get(username="anquan")
        self.assertTrue(user.check_password("Yi2-zhong-Mima-2025"))
        self.assertEqual((user.first_name, system_role_of(user)), ("李安全", SystemRole.SECURITY))
        entries = AuditEntry.objects.filter(object_repr="anquan").order_by("id")
        self.assertEqual(
            [(e.action, e.username) for e in entries],
            [(AuditAction.USER_CREATE, "（命令行）"), (AuditAction.ROLE_GRANT, "（命令行）")],
        )
        self.assertIn("安全管理员\tanquan", self.call("list"))
        self.call("revoke", "anquan")
        self.assertIsNone(system_role_of(user))

    def test_refusals_are_command_errors_in_chinese(self) -> None:
        with self.assertRaisesMessage(CommandError, "用户不存在"):
            self.call("grant", "nobody", "audit")
        with self.assertRaisesMessage(CommandError, "机构中担任角色"):
            self.call("grant", "clerk", "audit")
        with (
            mock.patch.dict(os.environ, {"GONGKAI_PASSWORD": "123"}),
            self.assertRaises(CommandError),
        ):
            self.call("grant", "weak", "audit", "--create", "--noinput")
        self.assertFalse(User.objects.filter(username="weak").exists())

    def test_the_list_names_a_superuser_as_a_breach_of_the_split(self) -> None:
        User.objects.create_superuser("root", password=PASSWORD)
        self.assertIn("超级用户\troot", self.call("list"))
