from django.contrib import admin

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.reports.models import Appeal, EnforcementFigures, NormativeDocument, ProactiveItem


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
