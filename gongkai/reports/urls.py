from django.urls import include, path

from gongkai.db_router import replica_view
from gongkai.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("rollup/", include("gongkai.reports.rollup_urls")),
    path("registers/", include("gongkai.reports.register_urls")),
    path("<str:code>/<int:year>/", replica_view(views.report), name="report"),
    path("<str:code>/<int:year>/cells/<str:key>/", replica_view(views.cell), name="cell"),
    path("<str:code>/<int:year>/narrative/", views.narrative, name="narrative"),
    path("<str:code>/<int:year>/publish/", views.publish, name="publish"),
    path("<str:code>/<int:year>/prior/", views.prior_upload, name="prior_upload"),
    path("<str:code>/<int:year>/export.<str:fmt>", replica_view(views.export), name="export"),
    path(
        "<str:code>/<int:year>/v<int:number>.<str:fmt>",
        views.version_file,
        name="version_file",
    ),
]
