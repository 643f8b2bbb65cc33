"""URLs of the inbox area of 监督保障."""

from django.urls import URLPattern, path

from gongkai.supervision import inbox_views as views

urlpatterns: list[URLPattern] = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.read, name="inbox_read"),
    path("read-all/", views.read_all, name="inbox_read_all"),
]
