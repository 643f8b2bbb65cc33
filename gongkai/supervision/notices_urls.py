"""URLs of the 督办 area of 监督保障 (names `dudan…`)."""

from django.urls import path

from gongkai.supervision import notices_views as views

urlpatterns = [
    path("mine/", views.mine, name="dudan_mine"),
    path("notice/<int:pk>/", views.notice, name="dudan_notice"),
    path("<str:code>/", views.overview, name="dudan"),
    path("<str:code>/send/", views.send, name="dudan_send"),
    path("<str:code>/notices/", views.sent, name="dudan_sent"),
    path("<str:code>/stalling/", views.stalling, name="dudan_stalling"),
]
