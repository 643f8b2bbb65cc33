"""An applicant's identity number and phone in full: who may see them, and the audited reveal.

Everywhere else they are masked (`mask_id`, `mask_phone`): lists, the application page, the
.xlsx ledger, the API. A user with an acting role (经办人, 审核人, 管理员) in the application's own
organisation may ask for the full value of one application, and every such view is recorded
(GB/T 22239-2019 8.1.4.11 b): no unauthorised access to personal information; 8.1.4.3 a): the
audit covers important security events; 个人信息保护法第五十一条: access is controlled and
recorded). A 监督 supervisor reads the case but
never the full values; the attempt is recorded as refused. Decisions C-3 and C-4.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from gongkai.accounts.access import User, roles_in
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.models import Application
from gongkai.domain.lifecycle import Role

Field = Literal["id_number", "phone"]
REVEALABLE: dict[str, AuditAction] = {
    "id_number": AuditAction.REVEAL_ID,
    "phone": AuditAction.REVEAL_PHONE,
}
ACTING_ROLES = frozenset({Role.CLERK, Role.REVIEWER, Role.ADMIN, Role.LEADER})


def may_reveal(user: User, application: Application) -> bool:
    """Whether `user` acts in the application's own organisation (a supervisor does not)."""
    return bool(roles_in(user, application.organisation) & ACTING_ROLES)


def hidden_fields(application: Application) -> tuple[str, ...]:
    """The fields whose masked form hides something (not an empty phone, nor a number the
    ledger import received already masked)."""
    masked = {"id_number": application.masked_id, "phone": application.masked_phone}
    return tuple(f for f in REVEALABLE if getattr(application, f) != masked[f])


def reveal(
    request: HttpRequest, application: Application, fields: Sequence[str], *, via: str
) -> dict[str, str]:
    """The full values of `fields`, one audit entry for each; `PermissionDenied` (recorded as a
    refused attempt) for a user without an acting role in the organisation."""
    allowed = may_reveal(request.user, application)
    for name in fields:
        audit_record(
            REVEALABLE[name],
            request=request,
            obj=application,
            detail={"field": name, "via": via},
            success=allowed,
        )
    if not allowed:
        raise PermissionDenied("只有本机关的经办人、审核人或管理员可以查看完整的证件号码和联系电话")
    return {name: str(getattr(application, name)) for name in fields}
