from django.urls import path

from gongkai.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
