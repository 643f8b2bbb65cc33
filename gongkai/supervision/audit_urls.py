"""URLs of the 审核批次 area of 监督保障 (names `audit_…`)."""

from django.urls import path

from gongkai.supervision import audit_views as views

urlpatterns = [
    path("batch/<int:pk>/", views.batch_page, name="audit_batch"),
    path("batch/<int:pk>/delete/", views.delete, name="audit_delete"),
    path("batch/<int:pk>/retry/", views.retry, name="audit_retry"),
    path("batch/<int:pk>/progress.json", views.progress, name="audit_progress"),
    path("batch/<int:pk>/summary.<str:fmt>", views.summary, name="audit_summary"),
    path("file/<int:pk>/", views.file_page, name="audit_file"),
    path("file/<int:pk>/original", views.original, name="audit_original"),
    path("<str:code>/", views.index, name="audit_index"),
]
