from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    verbose_name = "机构与用户"

    def ready(self) -> None:
        # The three administrator roles (三员) are groups kept in line with a table after every
        # migrate; the module also refuses a second system role to anyone (GB/T 22239-2019
        # 8.1.4.2 d), 8.1.5).
        from gongkai.accounts import system_roles

        post_migrate.connect(system_roles.sync_system_roles, dispatch_uid="sync_system_roles")
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="create_cache_table")
        # Lockouts (django-axes) into the audit trail; the password's due date into the session.
        from gongkai.accounts import signals  # noqa: F401


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """The table of the database cache (GONGKAI_CACHE_URL=database, the default on PostgreSQL) is
    not a model: Django makes it with `createcachetable`, done here after every migrate so that
    `gongkai serve`, `gongkai manage migrate` and a restore all leave it in place (it does nothing
    with another cache, or when the table exists). Decision MS-2."""
    call_command("createcachetable", database=using, verbosity=0)
