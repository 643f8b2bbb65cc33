"""Routes of the government roll-up (included under /reports/rollup/ in the reports namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
