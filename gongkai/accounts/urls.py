from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.accounts import otp_views, password_views, views

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", password_views.PasswordChangeView.as_view(), name="password_change"),
    path("second-factor/", otp_views.second_factor, name="second_factor"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change.html"),
        name="password_change_done",
    ),
    # 本单位用户: an organisation's 管理员 manages its accounts and roles.
    path("users/", views.home, name="users_home"),
    path("users/<str:code>/", views.users, name="users"),
    path("users/<str:code>/add/", views.user_add, name="user_add"),
    path("users/<str:code>/<int:pk>/", views.user_detail, name="user"),
    path("users/<str:code>/<int:pk>/grant/", views.role_grant, name="role_grant"),
    path("users/<str:code>/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("users/<str:code>/<int:pk>/deactivate/", views.deactivate, name="deactivate"),
]
