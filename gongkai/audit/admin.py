"""The audit log in the admin, and the mixin that records every change made through the admin.

The log is read-only for everyone, superusers included (GB/T 22239-2019 8.1.4.3 c): 审计记录应
进行保护，避免受到未预期的删除、修改或覆盖). Every add, change and delete made in the admin is an
audit entry with the admin's change message (8.1.5.1 a), 8.1.5.3 a): the administrators'
operations are audited), besides Django's own LogEntry, which the admin shows as 最近动作.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry
from gongkai.audit.services import audit_record

if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object

ACTIONS = {"add": AuditAction.CREATE, "change": AuditAction.CHANGE, "delete": AuditAction.DELETE}


class AuditedAdminMixin(_ModelAdmin):
    """Put before the ModelAdmin base: every admin registered in gongkai has it (a test checks)."""

    # Changes whose service records them itself ("add", "change", "delete"): not recorded twice.
    audited_by_service: ClassVar[frozenset[str]] = frozenset()

    def audit_action(self, request: HttpRequest, obj: Model, change: str) -> AuditAction:
        return ACTIONS[change]

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        self._audit(request, obj, "add", message)
        return entry

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        self._audit(request, obj, "change", message)
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        # Called before the rows go, so each still has its key and its text.
        objects = list(queryset)
        entries = super().log_deletions(request, queryset)  # its rows are cached by list()
        for obj in objects:
            self._audit(request, obj, "delete", "")
        return entries

    def _audit(self, request: HttpRequest, obj: Model, change: str, message: Any) -> None:
        if change in self.audited_by_service:
            return
        if change == "change" and not message:  # saved without changing anything
            return
        detail = {"via": "admin", "message": json.loads(json.dumps(message, default=str))}
        audit_record(
            self.audit_action(request, obj, change), request=request, obj=obj, detail=detail
        )


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    pass


class ViewOnlyAdmin(AuditedModelAdmin):
    """Rows that are only looked at (and, where a subclass allows it, deleted): never added or
    edited in the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ViewOnlyAdmin):
    list_display = ["at", "username", "action", "object_repr", "organisation", "ip", "success"]
    list_filter = ["action", "success"]
    search_fields = ["username", "object_repr", "organisation", "ip"]
    date_hierarchy = "at"
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AuditEntry._meta.fields]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
