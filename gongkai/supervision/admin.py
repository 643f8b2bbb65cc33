"""系统管理 for the background jobs of the 审核批次 (django-tasks' database queue): the queue's own
admin, with every change recorded in the audit log like every other model of the admin."""

from __future__ import annotations

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from gongkai.audit.admin import AuditedAdminMixin

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(AuditedAdminMixin, DBTaskResultAdmin):
    """后台任务: what the worker ran for the 审核批次, with its state and error."""
