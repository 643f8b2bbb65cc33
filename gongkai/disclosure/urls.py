from django.urls import path

app_name = "letters"

urlpatterns: list = []  # type: ignore[type-arg]
