"""`gongkai demo`, `gongkai serve` and `gongkai manage`: the web application from the shell."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from gongkai.cli.commands import help_of


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser("demo", help=help_of("demo"))
    demo.add_argument("--no-serve", action="store_true", help="只建库并载入演示数据，不启动服务")
    demo.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    demo.set_defaults(func=run_demo)

    serve = subparsers.add_parser("serve", help=help_of("serve"))
    serve.add_argument("--bind", default="127.0.0.1:8000", help="监听地址（默认 127.0.0.1:8000）")
    serve.add_argument("--workers", type=int, default=2, help="工作进程数（默认 2）")
    serve.add_argument(
        "--no-migrate",
        action="store_true",
        help="启动前不迁移数据库（多台应用服务器：由部署步骤执行一次 gongkai manage migrate）",
    )
    serve.set_defaults(func=run_serve)

    manage = subparsers.add_parser("manage", help=help_of("manage"), add_help=False)
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=run_manage)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()


def run_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai manage", *args.args])
    return 0


def run_demo(args: argparse.Namespace) -> int:
    # The demo's administrators have no authenticator app: no second factor unless asked for.
    os.environ.setdefault("GONGKAI_ADMIN_2FA", "0")
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from gongkai.cases.demo import DEMO_ADMINISTRATORS, DEMO_PASSWORD, DEMO_USERS

    print(f"数据目录：{settings.DATA_DIR}")
    call_command("migrate", interactive=False, verbosity=0)
    from gongkai.demo.load import load_all_demo

    loaded = load_all_demo()
    print("数据库已就绪" + ("，演示数据已载入" if loaded else "（演示数据已存在）"))
    print(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, title, code, _roles in DEMO_USERS:
        print(f"  {username:<11} {title}（{code}）")
    for username, system_role in DEMO_ADMINISTRATORS:
        print(f"  {username:<11} {system_role.label}（系统管理 /admin/）")
    if os.environ.get("GONGKAI_ADMIN_2FA") == "0":
        print("演示环境未要求管理员的动态口令（GONGKAI_ADMIN_2FA=1 可开启；生产环境默认开启）")
    if args.no_serve:
        return 0
    print(f"请在浏览器中打开 http://127.0.0.1:{args.port}/  （按 Ctrl+C 停止）")
    sys.stdout.flush()
    return _gunicorn(f"127.0.0.1:{args.port}", workers=2)


def run_serve(args: argparse.Namespace) -> int:
    """Migrate, then serve. With several app servers the deployment migrates once, before it
    starts them with --no-migrate: servers starting together would otherwise race to apply the
    same migrations (docs/scaling.md)."""
    setup_django()
    if not args.no_migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    return _gunicorn(args.bind, workers=args.workers)


def _gunicorn(bind: str, *, workers: int) -> int:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "gongkai.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--access-logfile",
        "-",
    ]
    os.execv(sys.executable, command)
    return 0  # pragma: no cover - execv does not return
