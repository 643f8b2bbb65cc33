from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongkai.portal"
    label = "portal"
    verbose_name = "政府信息公开专栏"
