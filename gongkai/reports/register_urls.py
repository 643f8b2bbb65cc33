"""Routes of the registers (included under /reports/registers/ in the reports namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
