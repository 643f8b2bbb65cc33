from django.urls import include, path

from gongkai.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("rollup/", include("gongkai.reports.rollup_urls")),
    path("<str:code>/<int:year>/", views.report, name="report"),
]
