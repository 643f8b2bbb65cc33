"""Stable public URLs of the 专栏 (integrators and bookmarks depend on them: docs/portal.md)."""

from django.urls import path

from gongkai.portal import (
    apply_views,
    catalogue_views,
    display_views,
    guide_views,
    report_views,
    statistics_views,
    views,
)

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("text-size/", display_views.text_size, name="text_size"),
    # 依申请公开 (docs/portal.md): before "<code>/" so that "track" is never read as a code.
    path("track/", apply_views.track, name="track"),
    path("track/status/", apply_views.track_status, name="track_status"),
    path("track/correction/", apply_views.track_correction, name="track_correction"),
    path("track/files/<int:attachment_pk>/", apply_views.track_file, name="track_file"),
    path("receipt.pdf", apply_views.receipt_pdf, name="receipt_pdf"),
    path("<str:code>/", views.home, name="home"),
    path("<str:code>/apply/", apply_views.apply, name="apply"),
    path("<str:code>/guide/", guide_views.guide, name="guide"),
    path("<str:code>/guide/v<int:number>/", guide_views.guide_version, name="guide_version"),
    path("<str:code>/policies/", guide_views.policies, name="policies"),
    path("<str:code>/reports/", report_views.reports, name="reports"),
    path("<str:code>/reports/<int:year>/", report_views.reports_of_year, name="reports_year"),
    path(
        "<str:code>/reports/<int:year>/v<int:number>/",
        report_views.report_version,
        name="report_version",
    ),
    path(
        "<str:code>/reports/<int:year>/v<int:number>.<str:fmt>",
        report_views.report_file,
        name="report_file",
    ),
    path("<str:code>/statistics/", statistics_views.statistics, name="statistics"),
    path("<str:code>/catalogue/", catalogue_views.catalogue_index, name="catalogue"),
    path(
        "<str:code>/catalogue/documents/",
        catalogue_views.catalogue_documents,
        name="catalogue_documents",
    ),
    path(
        "<str:code>/catalogue/<str:index_no>/",
        catalogue_views.catalogue_item,
        name="catalogue_item",
    ),
    path(
        "<str:code>/catalogue/<str:index_no>/attachment/",
        catalogue_views.catalogue_attachment,
        name="catalogue_attachment",
    ),
]
