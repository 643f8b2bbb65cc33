from django.urls import path

app_name = "ledger"

urlpatterns: list = []  # type: ignore[type-arg]
