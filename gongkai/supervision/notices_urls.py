"""URLs of the notices area of 监督保障."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
