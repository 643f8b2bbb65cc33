"""Routes of the registers (included under /reports/registers/ in the reports namespace)."""

from django.urls import URLPattern, path

from gongkai.reports import register_views as views

urlpatterns: list[URLPattern] = [
    path("", views.registers, name="registers"),
    # The enforcement figures: one form per year and an .xlsx import (before the generic routes).
    path("<str:code>/figures/save/", views.figures_save, name="register_figures_save"),
    path("<str:code>/figures/import/", views.figures_import, name="register_import"),
    path("<str:code>/figures/template.xlsx", views.figures_template, name="register_template"),
    # The catalogue registers' .xlsx import (主动公开信息, 规章和规范性文件) and withdrawal.
    path("<str:code>/<slug:register>/import/", views.catalogue_import, name="register_rows_import"),
    path(
        "<str:code>/<slug:register>/template.xlsx",
        views.catalogue_template,
        name="register_rows_template",
    ),
    path(
        "<str:code>/proactive/<int:pk>/withdraw/",
        views.proactive_withdraw,
        name="register_withdraw",
    ),
    path("<str:code>/<slug:register>/", views.register_list, name="register_list"),
    path("<str:code>/<slug:register>/new/", views.register_add, name="register_add"),
    path("<str:code>/<slug:register>/<int:pk>/", views.register_edit, name="register_edit"),
    path(
        "<str:code>/<slug:register>/<int:pk>/delete/",
        views.register_delete,
        name="register_delete",
    ),
]
