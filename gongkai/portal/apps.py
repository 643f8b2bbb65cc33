"""The public side: the 政府信息公开专栏 of every organisation (国办公开办函〔2019〕61号), anonymous."""

from typing import Any

from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongkai.portal"
    label = "portal"
    verbose_name = "政府信息公开专栏"

    def ready(self) -> None:
        # The reports app announces a publication without knowing the portal (docs/architecture.md).
        from gongkai.reports.signals import register_changed, report_published

        report_published.connect(_report_published, dispatch_uid="portal-report-published")
        register_changed.connect(_register_changed, dispatch_uid="portal-register-changed")


def _report_published(sender: Any, version: Any, **kwargs: Any) -> None:
    from gongkai.portal.cache import portal_cache_clear

    portal_cache_clear(version.organisation)


def _register_changed(sender: Any, organisation: Any, **kwargs: Any) -> None:
    from gongkai.portal.cache import portal_cache_clear

    portal_cache_clear(organisation)
