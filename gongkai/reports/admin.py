from typing import Any

from django import forms
from django.contrib import admin

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.domain.catalogue import DEFAULT_INDEX_PATTERN, IndexRule, IndexRuleError
from gongkai.reports.models import (
    Appeal,
    CatalogueSettings,
    EnforcementFigures,
    NormativeDocument,
    ProactiveItem,
)


@admin.register(ProactiveItem)
class ProactiveItemAdmin(AuditedModelAdmin):
    list_display = ["title", "organisation", "column", "published_on", "is_interpretation"]
    list_filter = ["organisation", "is_interpretation", "published_on"]
    search_fields = ["title"]


@admin.register(NormativeDocument)
class NormativeDocumentAdmin(AuditedModelAdmin):
    list_display = ["title", "doc_number", "organisation", "kind", "issued_on", "abolished_on"]
    list_filter = ["organisation", "kind"]
    search_fields = ["title", "doc_number"]


@admin.register(EnforcementFigures)
class EnforcementFiguresAdmin(AuditedModelAdmin):
    list_display = ["organisation", "year", "licensing", "penalty", "coercion", "fees"]
    list_filter = ["organisation", "year"]


@admin.register(Appeal)
class AppealAdmin(AuditedModelAdmin):
    list_display = [
        "case_number",
        "organisation",
        "kind",
        "body",
        "filed_on",
        "result",
        "decided_on",
    ]
    list_filter = ["organisation", "kind", "result"]
    search_fields = ["case_number", "body"]
    raw_id_fields = ["application"]


class CatalogueSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    """The 索引号 rule is checked before it is kept (fields {org}{class}{year}{seq}, URL-safe)."""

    class Meta:
        model = CatalogueSettings
        fields = ["organisation", "index_org_code", "index_pattern"]
        help_texts = {
            "index_pattern": f"由{{org}}{{class}}{{year}}{{seq}}组成，默认 {DEFAULT_INDEX_PATTERN}",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            IndexRule(data.get("index_org_code", ""), data.get("index_pattern", "")).check()
        except IndexRuleError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


@admin.register(CatalogueSettings)
class CatalogueSettingsAdmin(AuditedModelAdmin):
    form = CatalogueSettingsForm
    list_display = ["organisation", "index_org_code", "index_pattern"]
