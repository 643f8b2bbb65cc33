from django.apps import AppConfig
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
        # Lockouts (django-axes) into the audit trail; the password's due date into the session.
        from gongkai.accounts import signals  # noqa: F401
