"""The supervising office's side of the platform (监督保障)."""

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongkai.supervision"
    label = "supervision"
    verbose_name = "监督保障"
