"""The office's screens for its 专栏 (login required): the 指南 and 政府信息公开制度."""

from django.urls import path

from gongkai.portal import guide_views

app_name = "portal_manage"

urlpatterns = [
    path("", guide_views.manage_home, name="home"),
    path("<str:code>/guide/", guide_views.manage_guide, name="guide"),
    path("<str:code>/guide/publish/", guide_views.manage_guide_publish, name="guide_publish"),
    path("<str:code>/policies/", guide_views.manage_policies, name="policies"),
    path(
        "<str:code>/policies/<int:pk>/remove/",
        guide_views.manage_policy_remove,
        name="policy_remove",
    ),
]
