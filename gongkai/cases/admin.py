"""Administration: applications are shown read-only (every change goes through
`gongkai.cases.services`); working-day overrides are kept here by an administrator."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.cases.models import Application, Attachment, Event, WorkdayOverride


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(ReadOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Event
    fields = readonly_fields = ("date", "action", "actor", "actor_name", "note", "data")
    extra = 0


class AttachmentInline(ReadOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Attachment
    fields = readonly_fields = (
        "kind", "name", "size", "sha256", "uploaded_by", "uploaded_by_name", "created_at"
    )  # fmt: skip
    extra = 0


@admin.register(Application)
class ApplicationAdmin(ReadOnlyMixin, AuditedModelAdmin):
    list_display = [
        "tracking_no", "organisation", "applicant_name", "masked_id", "status", "received_on",
        "due_on", "outcome",
    ]  # fmt: skip
    list_filter = ["status", "organisation", "applicant_type", "channel"]
    search_fields = ["tracking_no", "applicant_name"]
    list_select_related = ["organisation"]
    date_hierarchy = "received_on"
    show_full_result_count = False  # no COUNT(*) over the whole table on every page
    # The full values only behind the application page's audited reveal (gongkai.cases.personal).
    exclude = ["id_number", "phone"]
    readonly_fields = ["masked_id", "masked_phone"]
    inlines = [EventInline, AttachmentInline]

    @admin.display(description="证件号码")
    def masked_id(self, obj: Application) -> str:
        return obj.masked_id

    @admin.display(description="联系电话")
    def masked_phone(self, obj: Application) -> str:
        return obj.masked_phone


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyMixin, AuditedModelAdmin):
    list_display = ["name", "kind", "application", "size", "sha256", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "sha256", "application__tracking_no"]
    list_select_related = ["application"]


class WorkdayOverrideForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = WorkdayOverride
        fields = ["date", "kind", "name", "source", "organisation"]
        help_texts = {
            "organisation": (
                "留空即为全国性调整。全国性调整会整体替换系统内置的该年度节假日安排，"
                "因此须录入该年度国务院办公厅通知中的全部放假和调休上班日期，不能只录入一天；"
                "选择机构则只为该机构及其下级增加地方性放假或调休。"
            ),
            "source": "例如：国办发明电〔2025〕7号",
        }


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(AuditedModelAdmin):
    form = WorkdayOverrideForm
    list_display = ["date", "kind", "name", "source", "organisation"]
    list_filter = ["kind", "organisation"]
    date_hierarchy = "date"
    list_select_related = ["organisation"]
