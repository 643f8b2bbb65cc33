"""Routes of the government roll-up (included under /reports/rollup/ in the reports namespace)."""

from django.urls import path

from gongkai.reports import rollup_views as views

urlpatterns = [
    path("<str:code>/<int:year>/", views.rollup_page, name="rollup"),
    path("<str:code>/<int:year>/export.xlsx", views.rollup_xlsx, name="rollup_xlsx"),
    path(
        "<str:code>/<int:year>/aggregate.<str:fmt>",
        views.rollup_aggregate,
        name="rollup_aggregate",
    ),
]
