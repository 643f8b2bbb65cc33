"""/supervision/: one URL module per area, each owning its names in the `supervision` namespace."""

from django.urls import include, path

from gongkai.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
    path("stats/", include("gongkai.supervision.stats_urls")),
    path("calendar/", include("gongkai.supervision.calendar_urls")),
    path("dudan/", include("gongkai.supervision.notices_urls")),
    path("score/", include("gongkai.supervision.scorecard_urls")),
    path("rectification/", include("gongkai.supervision.rectification_urls")),
    path("audit/", include("gongkai.supervision.audit_urls")),
    path("inbox/", include("gongkai.supervision.inbox_urls")),
]
