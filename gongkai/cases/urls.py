from django.urls import path

from gongkai.cases import views
from gongkai.db_router import replica_view

# The 工作台 at "" joins this namespace as `cases:dashboard` from gongkai/urls.py: it composes
# the applications and the reports due, so it lives above the apps (gongkai.web.views).
app_name = "cases"

urlpatterns = [
    path("applications/", replica_view(views.ledger), name="ledger"),
    path("applications/new/", views.register, name="register"),
    path("applications/<int:pk>/", views.detail, name="detail"),
    path("applications/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("applications/<int:pk>/act/<str:action>/", views.act, name="act"),
    path("applications/<int:pk>/correct/", views.correct, name="correct"),
    path("applications/<int:pk>/void/", views.void, name="void"),
    path("applications/<int:pk>/attachments/", views.upload, name="upload"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        views.download,
        name="download",
    ),
]
