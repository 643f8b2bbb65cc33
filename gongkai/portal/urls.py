"""Stable public URLs of the 专栏 (integrators and bookmarks depend on them: docs/portal.md)."""

from django.urls import path

from gongkai.portal import catalogue_views, views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.home, name="home"),
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
