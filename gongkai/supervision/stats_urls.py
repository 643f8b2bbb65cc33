"""URLs of the stats area of 监督保障: the statistics page of an organisation (or its roll-up with
?rollup=1) for ?period=YYYY-MM|YYYYQn|YYYY, and its downloads."""

from django.urls import URLPattern, path

from gongkai.db_router import replica_view
from gongkai.supervision import stats_views

urlpatterns: list[URLPattern] = [
    path("<str:code>/", replica_view(stats_views.page), name="stats"),
    path(
        "<str:code>/download.<str:fmt>", replica_view(stats_views.download), name="stats_download"
    ),
]
