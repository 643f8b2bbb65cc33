from typing import Any

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    verbose_name = "年度报告与登记簿"

    def ready(self) -> None:
        # A cached table 三 is stale once any of the organisation's applications is saved or
        # deleted, whichever service or admin action did it (docs/decisions.md SQL-2).
        from django.db.models.signals import post_delete, post_save

        from gongkai.cases.models import Application

        post_save.connect(_application_changed, sender=Application, dispatch_uid="report-t3-save")
        post_delete.connect(
            _application_changed, sender=Application, dispatch_uid="report-t3-delete"
        )


def _application_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from gongkai.reports.tables import applications_changed

    applications_changed(instance.organisation_id)
