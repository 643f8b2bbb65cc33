"""URLs of the 整改 area of 监督保障 (names `rectification_…`)."""

from django.urls import path

from gongkai.supervision import rectification_views as views

urlpatterns = [
    path("mine/", views.mine, name="rectification_mine"),
    path("task/<int:pk>/", views.task, name="rectification_task"),
    path("task/<int:pk>/<str:action>/", views.act, name="rectification_act"),
    path("<str:code>/", views.task_list, name="rectification_list"),
    path("<str:code>/new/", views.new, name="rectification_new"),
]
