"""The three installation-wide administrator roles (三员: 系统管理员, 安全管理员, 审计管理员) as Django
groups, and the permissions each holds, as data.

Sources (decision U-1 in docs/decisions.md):
- GB/T 22239-2019 8.1.4.2 d) (第三级 访问控制): 应授予管理用户所需的最小权限，实现管理用户的权限分离.
- GB/T 22239-2019 8.1.5.1 b) 系统管理: the system administrator configures and runs the system,
  including 用户身份 (accounts) and 系统资源配置.
- GB/T 22239-2019 8.1.5.3 b) 安全管理: the security administrator sets the security policy,
  including 安全参数 and 对主体进行授权 (who may do what).
- GB/T 22239-2019 8.1.5.2 b) 审计管理: the audit administrator reads and analyses the audit records.

None of them touches the business data of an organisation (applications, registers, reports):
that is the work of the organisation's own 经办人/审核人/管理员 (gongkai/domain/lifecycle.Role).
One person holds at most one of the three (`gongkai.accounts.services.system_role_grant`, and
`_refuse_a_second_role` below for any other path).

The groups are created and brought in line with `ROLE_PERMISSIONS` after every `migrate`
(`sync_system_roles`, connected in `AccountsConfig.ready`): changing this table and migrating is
how the split changes. Permissions of apps that are not installed are skipped, so the table can
name those of an optional app (the lockout records of django-axes).
"""

from __future__ import annotations

import enum
import logging
from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from gongkai.accounts.errors import ServiceError

logger = logging.getLogger(__name__)


class SystemRole(enum.StrEnum):
    SYSTEM = "system"
    SECURITY = "security"
    AUDIT = "audit"

    @property
    def label(self) -> str:
        """The Chinese name, which is also the name of the role's group."""
        return {"system": "系统管理员", "security": "安全管理员", "audit": "审计管理员"}[self.value]


# Permissions that no model declares, created with the groups (no migration needed): what the
# security administrator does to an account without being able to change the account itself.
CUSTOM_PERMISSIONS: dict[str, str] = {
    "auth.reset_user_password": "可以重置用户密码",
    "auth.grant_system_role": "可以授予或撤销系统管理角色",
}

ROLE_PERMISSIONS: dict[SystemRole, tuple[str, ...]] = {
    # 8.1.5.1 b): accounts (create with an initial password, name, deactivate) and the
    # installation's configuration: organisations, working-day overrides, letter wording.
    # Not: who holds which role, passwords of existing accounts, tokens, the audit log.
    SystemRole.SYSTEM: (
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "accounts.view_organisation",
        "accounts.add_organisation",
        "accounts.change_organisation",
        "cases.view_workdayoverride",
        "cases.add_workdayoverride",
        "cases.change_workdayoverride",
        "cases.delete_workdayoverride",
        "disclosure.view_lettertemplate",
        "disclosure.add_lettertemplate",
        "disclosure.change_lettertemplate",
        "disclosure.delete_lettertemplate",
    ),
    # 8.1.5.3 b): authorisation and security parameters: roles in organisations (监督 included),
    # the system roles themselves, password resets, API tokens, lockouts. Sees accounts and
    # organisations only to pick them; changes neither.
    SystemRole.SECURITY: (
        "auth.view_user",
        "auth.reset_user_password",
        "auth.grant_system_role",
        "auth.view_group",
        "accounts.view_organisation",
        "accounts.view_membership",
        "accounts.add_membership",
        "accounts.delete_membership",
        "accounts.view_apitoken",
        "accounts.change_apitoken",
        "accounts.delete_apitoken",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
        # A lost phone: the device is deleted and its owner binds a new one at next login.
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
    ),
    # 8.1.5.2 b): reads the audit log, nothing else (no one can change it: gongkai/audit/models.py).
    SystemRole.AUDIT: ("audit.view_auditentry",),
}

ROLE_BY_GROUP = {role.label: role for role in SystemRole}


def system_role_of(user: Any) -> SystemRole | None:
    """The system role `user` holds, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    names = user.groups.filter(name__in=ROLE_BY_GROUP).values_list("name", flat=True)
    return next((ROLE_BY_GROUP[name] for name in names), None)


def role_group(role: SystemRole) -> Group:
    return Group.objects.get(name=role.label)


# ---------------------------------------------------------------- the groups, after migrate


def sync_system_roles(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """Create the custom permissions and the three groups, and set each group's permissions to
    exactly those of `ROLE_PERMISSIONS` (a permission added by hand is taken away again)."""
    if not _last_app_migrated(sender) or not router.allow_migrate_model(using, Group):
        return
    _create_custom_permissions(using)
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.label)
        group.permissions.set(_permissions(names, using))


def _last_app_migrated(sender: Any) -> bool:
    """post_migrate is sent once per app, in INSTALLED_APPS order, and each app's permissions
    are created on its own signal: the groups are set on the last one, when all exist."""
    if sender is None:
        return True
    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    return bool(with_models) and sender is with_models[-1]


def _create_custom_permissions(using: str) -> None:
    for name, title in CUSTOM_PERMISSIONS.items():
        app_label, codename = name.split(".")
        content_type = ContentType.objects.db_manager(using).get_for_model(User)
        assert content_type.app_label == app_label, name
        Permission.objects.using(using).update_or_create(
            content_type=content_type, codename=codename, defaults={"name": title}
        )


def _permissions(names: tuple[str, ...], using: str) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        if not _is_installed_label(app_label):
            continue
        permission = (
            Permission.objects.using(using)
            .filter(content_type__app_label=app_label, codename=codename)
            .first()
        )
        if permission is None:  # a misspelt entry would silently grant less: say so
            logger.warning("系统管理角色的权限不存在：%s", name)
            continue
        found.append(permission)
    return found


def _is_installed_label(label: str) -> bool:
    return any(config.label == label for config in global_apps.get_app_configs())


# ---------------------------------------------------------------- one role per person


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="one_system_role")
def _refuse_a_second_role(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """Whatever the path (a script, the shell, the group's side of the relation), no user ends
    up with two system roles: the addition is refused before it is written."""
    if action != "pre_add" or not pk_set:
        return
    if reverse:  # group.user_set.add(*users)
        if instance.name not in ROLE_BY_GROUP:
            return
        pairs = [(user_id, instance.pk) for user_id in pk_set]
    else:  # user.groups.add(*groups)
        roles = Group.objects.filter(pk__in=pk_set, name__in=ROLE_BY_GROUP)
        pairs = [(instance.pk, group_id) for group_id in roles.values_list("pk", flat=True)]
    roles_after: dict[int, set[int]] = {}
    for user_id, group_id in pairs:
        roles_after.setdefault(user_id, set()).add(group_id)
    held = User.groups.through.objects.filter(
        user_id__in=roles_after, group__name__in=ROLE_BY_GROUP
    ).values_list("user_id", "group_id")
    for user_id, group_id in held:
        roles_after[user_id].add(group_id)
    if any(len(groups) > 1 for groups in roles_after.values()):
        raise ServiceError(TWO_ROLES, kind="conflict")


TWO_ROLES = "系统管理员、安全管理员、审计管理员须由不同人员担任，同一用户只能担任其中一个角色"
