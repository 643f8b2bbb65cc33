from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gongkai.audit"
    verbose_name = "安全审计"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Logins, logouts and failed logins are recorded from Django's auth signals: they are
        # raised by every login path (the login page, the admin, a test client's login()).
        from gongkai.audit import signals  # noqa: F401
