"""Changes to accounts and roles, one function each, each in one transaction, each recorded in the
audit trail (GB/T 22239-2019 8.1.4.3, 8.1.5).

Who may call what (decision U-1, U-2 in docs/decisions.md):
- an organisation's 管理员 creates accounts in his organisation, grants and revokes 经办人/审核人/
  管理员 there, and deactivates an account that belongs to his organisation only;
- the 系统管理员 creates accounts (without roles) and deactivates or reactivates them;
- the 安全管理员 grants and revokes any organisation role (监督 included) and the system roles;
- `actor=None` is the command line (`gongkai manage system_role`), run by whoever operates the
  server, the one way to appoint the first administrators.

A refused change raises `ServiceError` (Chinese message, kind, field) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from gongkai.accounts.access import roles_in
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Membership, Organisation
from gongkai.accounts.passwords import require_change
from gongkai.accounts.system_roles import (
    ROLE_BY_GROUP,
    TWO_ROLES,
    SystemRole,
    role_group,
    system_role_of,
)
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.domain.lifecycle import Role

# What an organisation's 管理员 grants in his own organisation. 监督 reaches a whole subtree of
# other organisations, so only the security administrator grants it.
ACTING_ROLES = frozenset({Role.CLERK, Role.REVIEWER, Role.ADMIN})

CREATE_USER = "auth.add_user"  # 系统管理员
CHANGE_USER = "auth.change_user"  # 系统管理员
GRANT_MEMBERSHIP = "accounts.add_membership"  # 安全管理员
REVOKE_MEMBERSHIP = "accounts.delete_membership"  # 安全管理员
GRANT_SYSTEM_ROLE = "auth.grant_system_role"  # 安全管理员


def _is_org_admin(actor: User | None, organisation: Organisation | None) -> bool:
    return (
        actor is not None
        and organisation is not None
        and Role.ADMIN in roles_in(actor, organisation)
    )


def _has(actor: User | None, permission: str) -> bool:
    return actor is not None and actor.is_active and actor.has_perm(permission)


def _not_yourself(actor: User | None, user: User, message: str) -> None:
    if actor is not None and actor.pk == user.pk:
        raise ServiceError(message, kind="forbidden")


def _only_here(user: User, organisation: Organisation) -> bool:
    """Whether every role `user` holds is in `organisation` (and there is at least one)."""
    ids = set(user.memberships.values_list("organisation_id", flat=True))
    return ids == {organisation.pk}


# ---------------------------------------------------------------- accounts


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    name: str,
    password: str,
    organisation: Organisation | None = None,
    roles: Iterable[Role] = (),
    request: HttpRequest | None = None,
) -> User:
    """A new account with an initial password checked by the password validators.

    An organisation's 管理员 creates it with at least one role in his organisation (otherwise the
    account would be nobody's); the system administrator creates it without roles, which the
    security administrator then grants."""
    roles = sorted(set(roles), key=list(Role).index)
    if organisation is not None or roles:
        if not _is_org_admin(actor, organisation):
            raise ServiceError("只有本单位管理员可以为本单位新增用户", kind="forbidden")
        if not roles:
            raise ServiceError("请至少选择一个角色", field="roles")
        for role in roles:
            _check_acting(role)
    elif actor is not None and not _has(actor, CREATE_USER):
        raise ServiceError("您没有新增用户的权限", kind="forbidden")
    user = User(username=_username(username), first_name=_name(name))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError("".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save()
    if actor is not None:
        # Someone else chose this password: its owner replaces it at first login (8.1.4.1 a)).
        require_change(user)
    detail: dict[str, object] = {}
    if organisation is not None:
        detail = {"organisation": organisation.code, "roles": [role.value for role in roles]}
    _audit(AuditAction.USER_CREATE, actor, user, request, organisation, detail)
    if organisation is not None:
        for role in roles:
            _membership_add(actor, organisation, user, role, request)
    return user


def _username(value: str) -> str:
    username = value.strip()
    if not username:
        raise ServiceError("请填写用户名", field="username")
    if len(username) > 150:
        raise ServiceError("用户名过长（最多150个字符）", field="username")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise ServiceError("用户名只能包含字母、数字和 @ . + - _ 字符", field="username") from None
    # Login is case-sensitive; two names that differ only in case would be told apart by no one.
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(f"用户名“{username}”已被使用", kind="conflict", field="username")
    return username


def _name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise ServiceError("请填写姓名", field="name")
    if len(name) > 150:
        raise ServiceError("姓名过长", field="name")
    return name


@transaction.atomic
def user_deactivate(
    *,
    actor: User | None,
    user: User,
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
) -> User:
    """Stop an account (it can no longer log in or use its API tokens); nothing is deleted, so
    the timelines and the audit trail keep the name (GB/T 22239-2019 8.1.4.2 c)).

    An organisation's 管理员 stops only an account whose roles are all in his organisation; the
    system administrator any account but a system administrator's, whose role the security
    administrator takes away first (no administrator removes another alone)."""
    _not_yourself(actor, user, "不能停用自己的账户")
    locked = User.objects.select_for_update().get(pk=user.pk)
    if organisation is not None:
        if not _is_org_admin(actor, organisation):
            raise ServiceError(f"您不是{organisation.name}的管理员", kind="forbidden")
        if not _only_here(locked, organisation):
            raise ServiceError(
                "该用户在其他机构也担任角色，不能由本单位停用；请联系系统管理员", kind="forbidden"
            )
    elif actor is not None and not _has(actor, CHANGE_USER):
        raise ServiceError("您没有停用用户的权限", kind="forbidden")
    held = system_role_of(locked)
    if held is not None:
        raise ServiceError(
            f"该用户担任{held.label}，须先由安全管理员撤销其系统管理角色", kind="forbidden"
        )
    if not locked.is_active:
        raise ServiceError("该用户已停用", kind="conflict")
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    detail: dict[str, object] = {}
    if organisation is not None:
        roles = Membership.objects.filter(user=locked, organisation=organisation)
        detail = {
            "organisation": organisation.code,
            "roles": sorted(roles.values_list("role", flat=True)),
        }
    _audit(AuditAction.USER_DISABLE, actor, locked, request, organisation, detail)
    return locked


@transaction.atomic
def user_activate(*, actor: User | None, user: User, request: HttpRequest | None = None) -> User:
    """Let a stopped account log in again (the system administrator)."""
    _not_yourself(actor, user, "不能启用自己的账户")
    if actor is not None and not _has(actor, CHANGE_USER):
        raise ServiceError("您没有启用用户的权限", kind="forbidden")
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active:
        raise ServiceError("该用户未停用", kind="conflict")
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    _audit(AuditAction.USER_CHANGE, actor, locked, request, None, {"is_active": True})
    return locked


# ---------------------------------------------------------------- roles in organisations


def _check_acting(role: Role) -> None:
    if role not in ACTING_ROLES:
        raise ServiceError(
            "单位管理员只能授予经办人、审核人或管理员角色；监督角色由安全管理员授予",
            kind="forbidden",
            field="role",
        )


def _may_change_roles(
    actor: User | None, organisation: Organisation, user: User, role: Role, permission: str
) -> None:
    """The security administrator (or the command line) changes any role of anyone; an
    organisation's 管理员 the acting roles of his own organisation's members."""
    if actor is None or _has(actor, permission):
        return
    if not _is_org_admin(actor, organisation):
        raise ServiceError(f"您不是{organisation.name}的管理员", kind="forbidden")
    _check_acting(role)
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ServiceError("该用户不是本单位人员", kind="forbidden")


@transaction.atomic
def membership_grant(
    *,
    actor: User | None,
    organisation: Organisation,
    user: User,
    role: Role,
    request: HttpRequest | None = None,
) -> Membership:
    """Give `user` the role `role` in `organisation`."""
    _may_change_roles(actor, organisation, user, role, GRANT_MEMBERSHIP)
    return _membership_add(actor, organisation, user, role, request)


def _membership_add(
    actor: User | None,
    organisation: Organisation,
    user: User,
    role: Role,
    request: HttpRequest | None,
) -> Membership:
    # Serialise the role changes of one organisation (the last-管理员 rule reads, then writes).
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    membership_check(user=user, organisation=organisation, role=role)
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    detail = {"organisation": organisation.code, "role": role.value}
    _audit(AuditAction.ROLE_GRANT, actor, user, request, organisation, detail)
    return membership


def membership_check(*, user: User, organisation: Organisation, role: Role) -> None:
    """Refuse a role the user cannot take: a stopped account, an administrator's account (三员
    hold no business role, GB/T 22239-2019 8.1.4.2 d)), or a role he already holds."""
    if not user.is_active:
        raise ServiceError("该用户已停用，不能授予角色", kind="conflict")
    held = system_role_of(user)
    if held is not None:
        raise ServiceError(
            f"该用户担任{held.label}；系统管理角色须由专门账户担任，不能兼任机构中的角色",
            kind="conflict",
        )
    if Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
        raise ServiceError(f"该用户已是{organisation.name}的{role.label}", kind="conflict")


@transaction.atomic
def membership_revoke(
    *,
    actor: User | None,
    organisation: Organisation,
    user: User,
    role: Role,
    request: HttpRequest | None = None,
) -> None:
    """Take the role `role` in `organisation` away from `user`. The last 管理员 of an
    organisation stays (nobody could manage its users any more), and nobody takes his own
    管理员 role away."""
    _may_change_roles(actor, organisation, user, role, REVOKE_MEMBERSHIP)
    if role is Role.ADMIN:
        _not_yourself(actor, user, "不能撤销自己的管理员角色")
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    membership = Membership.objects.filter(user=user, organisation=organisation, role=role).first()
    if membership is None:
        raise ServiceError(f"该用户不是{organisation.name}的{role.label}", kind="conflict")
    if role is Role.ADMIN and _last_admin(organisation, user):
        raise ServiceError(f"{organisation.name}至少须保留一名管理员", kind="conflict")
    membership.delete()
    detail = {"organisation": organisation.code, "role": role.value}
    _audit(AuditAction.ROLE_REVOKE, actor, user, request, organisation, detail)


def _last_admin(organisation: Organisation, user: User) -> bool:
    others = Membership.objects.filter(
        organisation=organisation, role=Role.ADMIN, user__is_active=True
    ).exclude(user=user)
    return not others.exists()


# ---------------------------------------------------------------- system roles


def _may_change_system_role(actor: User | None, user: User) -> None:
    if actor is not None and not _has(actor, GRANT_SYSTEM_ROLE):
        raise ServiceError("只有安全管理员可以授予或撤销系统管理角色", kind="forbidden")
    _not_yourself(actor, user, "不能更改自己的系统管理角色")


@transaction.atomic
def system_role_grant(
    *,
    actor: User | None,
    user: User,
    role: SystemRole,
    request: HttpRequest | None = None,
) -> None:
    """Make `user` a 系统管理员, 安全管理员 or 审计管理员 (and staff, so that he reaches the admin
    screens of his role). Refused for a second role (三员 are three people, GB/T 22239-2019
    8.1.4.2 d)), for an account with roles in organisations, and for a superuser."""
    _may_change_system_role(actor, user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.is_active:
        raise ServiceError("该用户已停用，不能授予角色", kind="conflict")
    if locked.is_superuser:
        raise ServiceError(
            "超级用户拥有全部权限，不能再担任系统管理角色；请先取消其超级用户身份", kind="conflict"
        )
    held = system_role_of(locked)
    if held is role:
        raise ServiceError(f"该用户已是{role.label}", kind="conflict")
    if held is not None:
        raise ServiceError(f"{TWO_ROLES}（该用户已是{held.label}）", kind="conflict")
    if locked.memberships.exists():
        raise ServiceError(
            "该用户在机构中担任角色；系统管理角色须由专门账户担任，请另建账户", kind="conflict"
        )
    locked.groups.add(role_group(role))
    locked.is_staff = True
    locked.save(update_fields=["is_staff"])
    _audit(AuditAction.ROLE_GRANT, actor, locked, request, None, {"system_role": role.value})


@transaction.atomic
def system_role_revoke(
    *, actor: User | None, user: User, request: HttpRequest | None = None
) -> None:
    """Take the system role away from `user` (he is no longer staff)."""
    _may_change_system_role(actor, user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    held = system_role_of(locked)
    if held is None:
        raise ServiceError("该用户没有系统管理角色", kind="conflict")
    locked.groups.remove(*Group.objects.filter(name__in=ROLE_BY_GROUP))
    locked.is_staff = False
    locked.save(update_fields=["is_staff"])
    _audit(AuditAction.ROLE_REVOKE, actor, locked, request, None, {"system_role": held.value})


# ---------------------------------------------------------------- audit


def _audit(
    action: AuditAction,
    actor: User | None,
    user: User,
    request: HttpRequest | None,
    organisation: Organisation | None,
    detail: Mapping[str, object],
) -> None:
    audit_record(
        action,
        request=request,
        user=actor,
        username="" if actor is not None else "（命令行）",
        obj=user,
        organisation=organisation.code if organisation is not None else "",
        detail=dict(detail),
    )
