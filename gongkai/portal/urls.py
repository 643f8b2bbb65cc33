"""Stable public URLs of the 专栏 (integrators and bookmarks depend on them: docs/portal.md)."""

from django.urls import path

from gongkai.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.home, name="home"),
]
