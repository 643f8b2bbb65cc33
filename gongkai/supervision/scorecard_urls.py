"""URLs of the 考核 scorecard (supervisors of a government)."""

from django.urls import path

from gongkai.supervision import scorecard_views as views

urlpatterns = [
    path("<str:code>/", views.index, name="scorecard_index"),
    path("<str:code>/history/", views.history, name="scorecard_history"),
    path("<str:code>/settings/", views.settings_page, name="scorecard_settings"),
    path("<str:code>/manual/<int:pk>/remove/", views.manual_remove, name="scorecard_manual_remove"),
    path("<str:code>/<int:year>/", views.page, name="scorecard"),
    path("<str:code>/<int:year>/scorecard.xlsx", views.download, name="scorecard_xlsx"),
    path("<str:code>/<int:year>/<str:org>/", views.organisation_page, name="scorecard_org"),
]
