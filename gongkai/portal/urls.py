"""Stable public URLs of the 专栏 (integrators and bookmarks depend on them: docs/portal.md)."""

from django.urls import path

from gongkai.portal import apply_views, views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    # 依申请公开 (docs/portal.md): before "<code>/" so that "track" is never read as a code.
    path("track/", apply_views.track, name="track"),
    path("track/status/", apply_views.track_status, name="track_status"),
    path("track/correction/", apply_views.track_correction, name="track_correction"),
    path("track/files/<int:attachment_pk>/", apply_views.track_file, name="track_file"),
    path("receipt.pdf", apply_views.receipt_pdf, name="receipt_pdf"),
    path("<str:code>/", views.home, name="home"),
    path("<str:code>/apply/", apply_views.apply, name="apply"),
]
