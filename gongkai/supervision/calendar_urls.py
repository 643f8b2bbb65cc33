"""URLs of the calendar area of 监督保障."""

from django.urls import URLPattern, path

from gongkai.supervision import calendar_views as views

urlpatterns: list[URLPattern] = [
    path("report/<int:pk>/", views.report, name="calendar_report"),
    path("org/<str:code>/", views.organisation, name="calendar_org"),
    path("org/<str:code>/submit/<str:period>/", views.submit, name="calendar_submit"),
    path("<str:code>/", views.calendar, name="calendar"),
    path("<str:code>/rule/", views.rule_save, name="calendar_rule"),
]
