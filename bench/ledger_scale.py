"""工作台, 台账 and keyword search at 10k, 100k and 1M applications, per kind of user.

Usage:
  uv run python bench/ledger_scale.py fill --database ledger_scale [--sizes 10000,100000,1000000]
  uv run python bench/ledger_scale.py run --database ledger_scale [--seconds 10] [--clients 20]
                                          [--workers 4] [--orgs CODE,CODE,CODE]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) and a migrated database
`--database` (a copy of the shared template gk_scale_tpl, `createdb -T gk_scale_tpl ...` then
`gongkai manage migrate`, or an empty one filled by `fill`).

`fill` adds, under one 本级人民政府 (LSG), one department per size (LS1M, LS100K, LS10K: the
biggest first) and fills each with that many applications by INSERT … SELECT over
generate_series: received over ten years back from today, 99 % concluded (replied, delivered,
archived), the last weeks' ones still open (registered, processing, review, correction, fee,
consulting); applicant names and contents drawn from word lists (Chinese, 20–60 characters);
one registration entry and, for the concluded ones, one reply entry by the clerk.

`run` makes the three users the issue names (created if missing): `ls_clerk1`, 经办人 of the
biggest organisation; `ls_clerk2`, 经办人 of the biggest and the second; `ls_super`, 监督 of their
common parent (it reads all of them). Their sessions are made directly in the session store
(no login form, no password hashing in the figures). gunicorn serves the application as
`gongkai serve` starts it, `--workers` sync workers on a free local port, production settings.

Then, per user and page, one client sends GET requests back to back for `--seconds` / 2 (the
page's own latency), then `--clients` threads for `--seconds` (latency under load, req/s), each
after one warm-up request; p50/p95 of the successful answers (HTTP 200) are printed. Pages: the 工作台 (/), the 台账's first page (/applications/), the
second page by its cursor, the 台账 searched for Chinese words of 1–4 characters that match and
that match nothing, the API's list searched the same (/api/applications?q=…), and the
baselines measured in the same run: Django admin's changelist of applications for the same
search (as a superuser: the admin shows all rows) and a hand-written SQL query of the page
(the same rows in the same order, by psycopg, one connection per client, no Django).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SERVER = "postgres://postgres@127.0.0.1:5432"
HOST = "127.0.0.1"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强文博宇轩浩然子涵欣怡梓萱"
COMPANIES = ["某某建设有限公司", "某某科技有限公司", "某律师事务所", "某环保协会", "某研究院"]
TOPICS = [
    "征地补偿安置方案",
    "国有土地上房屋征收决定",
    "城乡规划许可证",
    "环境影响评价报告",
    "建设工程规划许可",
    "棚户区改造项目",
    "财政预算执行情况",
    "政府采购合同",
    "行政处罚决定书",
    "道路拓宽工程",
    "拆迁补偿标准",
    "学校建设项目审批",
    "河道整治工程资金",
    "农村集体土地征收",
    "公共租赁住房分配",
    "排污许可证核发",
    "食品安全抽检结果",
    "安全生产事故调查报告",
    "医疗机构执业许可",
    "城市绿化工程验收",
]
ASKS = ["申请公开", "请求提供", "申请获取", "要求公开"]
TAILS = [
    "的批复文件及附件",
    "的相关会议纪要",
    "的审批材料和依据",
    "的资金拨付明细",
    "的实施情况说明",
    "及其公示材料",
    "的红线图和批准文号",
    "的听证会记录",
]

# Words for the searches: each matches in the data above (1–4 characters), and each no-match
# word uses characters the word lists never contain.
MATCH = {1: "征", 2: "规划", 3: "环境影", 4: "拆迁补偿"}
NO_MATCH = {1: "鑫", 2: "鑫淼", 3: "鑫淼焱", 4: "鑫淼焱垚"}


def _sql_array(items: list[str] | str) -> str:
    values = list(items)
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def fill(sizes: list[int]) -> None:
    """Organisations LSG (parent), LS1M/LS100K/LS10K and their applications and entries."""
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    from gongkai.accounts.models import Organisation

    with transaction.atomic():
        User.objects.get_or_create(username="ls_clerk1")  # the reply entries' actor
        parent, _ = Organisation.objects.get_or_create(
            code="LSG", defaults={"name": "规模测试市人民政府", "kind": "government"}
        )
        for size in sorted(sizes, reverse=True):
            code = "LS" + _label(size)
            organisation, created = Organisation.objects.get_or_create(
                code=code,
                defaults={
                    "name": f"规模测试局{_label(size)}",
                    "kind": "department",
                    "parent": parent,
                },
            )
            if not created:
                continue
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(_applications_sql(organisation.pk, code, size))
                cursor.execute(_events_sql(organisation.pk))
            print(f"{code}: {size} applications in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_application")
        cursor.execute("ANALYZE cases_event")


def _label(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}K"


def _applications_sql(org_id: int, code: str, size: int) -> str:
    """INSERT … SELECT of `size` applications received over ten years up to today."""
    today = dt.datetime.now(dt.UTC).date().isoformat()
    return f"""
    WITH g AS (
      SELECT i, (DATE '{today}' - (i::bigint * 3650 / {size})::int) AS received,
             hashint4(i) AS h, hashint4(i + 7919) AS h2
      FROM generate_series(1, {size}) AS i
    )
    INSERT INTO cases_application (
      year, sequence, tracking_no, status, applicant_type, applicant_name, id_type, id_number,
      phone, address, postcode, email, channel, received_on, content, purpose, form, delivery,
      outcome, legal_basis, concluded_on, archived_on, extended, correction_notice_due, due_on,
      fee_due, deadline_provisional, created_at, updated_at, organisation_id)
    SELECT
      extract(year FROM received)::int, i, '{code}-' || extract(year FROM received) || '-' || lpad(i::text, 7, '0'),
      CASE WHEN received >= DATE '{today}' - 25 THEN
             ({_sql_array(["registered", "processing", "processing", "review", "correction", "awaiting_fee", "consulting", "processing"])})[1 + abs(h % 8)]
           WHEN abs(h % 3) = 0 THEN 'replied' WHEN abs(h % 3) = 1 THEN 'delivered' ELSE 'archived' END,
      CASE WHEN abs(h2 % 5) = 0 THEN 'biz' ELSE 'natural' END,
      CASE WHEN abs(h2 % 5) = 0 THEN ({_sql_array(COMPANIES)})[1 + abs(h % {len(COMPANIES)})]
           ELSE substr('{SURNAMES}', 1 + abs(h % {len(SURNAMES)}), 1)
                || substr('{GIVEN}', 1 + abs(h2 % {len(GIVEN) - 1}), 1 + abs(h % 2)) END,
      'resident_id', '11010519491231002X', '13800000000', '某市某区某街道1号', '100000', '',
      ({_sql_array(["online", "in_person", "mail", "letter"])})[1 + abs(h2 % 4)],
      received,
      ({_sql_array(ASKS)})[1 + abs(h % {len(ASKS)})] || '{code[2:]}区'
        || ({_sql_array(TOPICS)})[1 + abs(h2 % {len(TOPICS)})]
        || ({_sql_array(TAILS)})[1 + abs((h # h2) % {len(TAILS)})]
        || CASE WHEN abs(h % 2) = 0 THEN '，用于维护自身合法权益。' ELSE '' END,
      '', 'paper', 'mail',
      CASE WHEN received >= DATE '{today}' - 25 THEN '' ELSE 'r_open' END, '',
      CASE WHEN received >= DATE '{today}' - 25 THEN NULL ELSE received + 15 END,
      CASE WHEN received < DATE '{today}' - 25 AND abs(h % 3) = 2 THEN received + 40 END,
      false, NULL, received + 28,
      CASE WHEN received >= DATE '{today}' - 25 AND abs(h % 8) = 5 THEN received + 30 END,
      false, now(), now(), {org_id}
    FROM g
    """


def _events_sql(org_id: int) -> str:
    """Every application's registration; the concluded ones' reply, by the big office's clerk."""
    return f"""
    INSERT INTO cases_event (action, date, note, data, created_at, actor_id, application_id, actor_name)
    SELECT 'register', received_on, '', '{{}}'::jsonb, now(), NULL, id, '' FROM cases_application
      WHERE organisation_id = {org_id}
    UNION ALL
    SELECT 'reply', concluded_on, '', '{{}}'::jsonb, now(),
           (SELECT id FROM auth_user WHERE username = 'ls_clerk1'), id, 'ls_clerk1'
      FROM cases_application WHERE organisation_id = {org_id} AND concluded_on IS NOT NULL
    """


# ---------------------------------------------------------------- users and sessions

USERS = ("ls_clerk1", "ls_clerk2", "ls_super")


def users(codes: list[str]) -> dict[str, str]:
    """The three users and a session key each (plus an admin superuser for the baseline)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    from gongkai.accounts.models import Membership, Organisation
    from gongkai.accounts.services import system_role_grant
    from gongkai.accounts.system_roles import SystemRole
    from gongkai.accounts.tokens import api_token_create

    big, second = (Organisation.objects.get(code=code) for code in codes[:2])
    parent = big.parent
    assert parent is not None, "the organisations need a common parent for the supervisor"
    plan = {
        "ls_clerk1": [(big, "clerk")],
        "ls_clerk2": [(big, "clerk"), (second, "clerk")],
        "ls_super": [(parent, "supervisor")],
        "ls_admin": [],
    }
    keys = {}
    for name, memberships in plan.items():
        user, created = User.objects.get_or_create(username=name)
        user.set_unusable_password()
        # The admin's changelist of applications is for a superuser (the baseline reads all rows).
        user.is_staff = user.is_superuser = name == "ls_admin"
        user.save()
        if name == "ls_admin" and created:
            system_role_grant(actor=None, user=user, role=SystemRole.SYSTEM)
        if name == "ls_clerk1":
            keys["token"] = api_token_create(user=user, name="bench")[1]
        for organisation, role in memberships:
            Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys[name] = session.session_key
    return keys


# ---------------------------------------------------------------- server and load


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def gunicorn_start(
    port: int, workers: int, env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", "gongkai.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", str(workers), "--timeout", "120",
    ]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def gunicorn_stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def get(port: int, path: str, session: str) -> tuple[int, bytes]:
    """GET with a session cookie, or with a bearer token (`session` "Bearer …")."""
    conn = http.client.HTTPConnection(HOST, port, timeout=130)
    if session.startswith("Bearer "):
        headers = {"Authorization": session}
    else:
        headers = {"Cookie": f"sessionid={session}"}
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def load(call: Any, clients: int, seconds: float, least: int = 5) -> dict[str, float]:
    """`clients` threads calling `call()` back to back for `seconds` and at least `least`
    times each; p50/p95 in ms and successful req/s."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        call()  # warm-up, not counted
        mine: list[float] = []
        failed = 0
        while time.perf_counter() < stop or len(mine) + failed < least:
            started = time.perf_counter()
            ok = call()
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if not latencies:
        return {"p50": float("nan"), "p95": float("nan"), "rps": 0.0, "errors": errors[0]}
    quantiles = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else latencies * 19
    return {
        "p50": statistics.median(latencies) * 1000,
        "p95": quantiles[18] * 1000,
        "rps": len(latencies) / elapsed,
        "errors": errors[0],
    }


def http_call(port: int, path: str, session: str) -> Any:
    status, body = get(port, path, session)
    if status != 200:
        print(f"  {path}: HTTP {status} {body[:200]!r}", file=sys.stderr)

    def call() -> bool:
        status, _ = get(port, path, session)
        return status == 200

    return call


def sql_call(dsn: str, sql: str, params: tuple[Any, ...]) -> Any:
    """A hand-written query by psycopg, one connection per thread (the baseline)."""
    import psycopg

    local = threading.local()

    def call() -> bool:
        if not hasattr(local, "conn"):
            local.conn = psycopg.connect(dsn, autocommit=True)
        local.conn.execute(sql, params).fetchall()
        return True

    return call


PAGE_SQL = """
SELECT a.*, o.* FROM cases_application a JOIN accounts_organisation o ON o.id = a.organisation_id
WHERE a.organisation_id = ANY(%s) ORDER BY a.received_on DESC, a.id DESC LIMIT 51
"""
SEARCH_SQL = """
SELECT a.* FROM cases_application a WHERE a.organisation_id = ANY(%s)
AND (a.applicant_name LIKE %s OR a.content LIKE %s) ORDER BY a.received_on DESC, a.id DESC LIMIT 51
"""


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.db import connections

    from gongkai.accounts.access import readable_organisation_ids
    from gongkai.accounts.models import Organisation

    codes = args.orgs.split(",")
    sessions = users(codes)
    from django.contrib.auth.models import User

    readable = {
        name: sorted(readable_organisation_ids(User.objects.get(username=name))) for name in USERS
    }
    sizes = {code: Organisation.objects.get(code=code).applications.count() for code in codes}
    connections.close_all()
    print(f"organisations: {sizes}")

    data_dir = tempfile.mkdtemp(prefix="gongkai-bench-")
    port = free_port()
    log = Path(data_dir) / "gunicorn.log"
    process = gunicorn_start(port, args.workers, dict(os.environ), log)
    try:
        for _ in range(300):
            try:
                if get(port, "/accounts/login/", "")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        rows: list[tuple[str, str, dict[str, float]]] = []

        def measure(user: str, what: str, call: Any) -> None:
            """Alone (one client: the page's own time), then under `--clients`."""
            alone = load(call, 1, args.seconds / 2, least=5)
            figures = load(call, args.clients, args.seconds, least=2)
            figures["alone50"], figures["alone95"] = alone["p50"], alone["p95"]
            rows.append((user, what, figures))
            print(
                f"{user:10} {what:34} 1 client p50 {alone['p50']:7.1f} p95 {alone['p95']:7.1f} ms | "
                f"{args.clients} clients p50 {figures['p50']:7.1f} p95 {figures['p95']:7.1f} ms "
                f"{figures['rps']:6.1f} req/s  errors {figures['errors'] + alone['errors']:.0f}",
                flush=True,
            )

        dsn = os.environ["DATABASE_URL"]
        for user in USERS:
            session = sessions[user]
            status, body = get(port, "/applications/", session)
            assert status == 200, (status, body[:300])
            after = re.search(rb'href="\?[^"]*after=([A-Za-z0-9_-]+)', body)
            pages = {
                "工作台 /": "/",
                "台账 first page": "/applications/",
                "台账 second page": f"/applications/?after={after.group(1).decode()}"
                if after
                else None,
            }
            for what, path in pages.items():
                if path:
                    measure(user, what, http_call(port, path, session))
            measure(user, "SQL: the ledger page", sql_call(dsn, PAGE_SQL, (readable[user],)))
            if args.skip_search:
                continue
            for n in (1, 2, 3, 4):
                for kind, word in (("match", MATCH[n]), ("no match", NO_MATCH[n])):
                    q = urllib.parse.quote(word)
                    measure(
                        user,
                        f"台账 q={word} ({kind})",
                        http_call(port, f"/applications/?q={q}", session),
                    )
                    if user == "ls_clerk1":
                        measure(
                            user,
                            f"API q={word}",
                            http_call(
                                port, f"/api/applications?q={q}", "Bearer " + sessions["token"]
                            ),
                        )
                        measure(
                            user,
                            f"admin q={word}",
                            http_call(
                                port,
                                f"/admin/cases/application/?q={q}",
                                sessions["ls_admin"],
                            ),
                        )
                        like = f"%{word}%"
                        measure(
                            user,
                            f"SQL: LIKE {word}",
                            sql_call(dsn, SEARCH_SQL, (readable[user], like, like)),
                        )
        print(
            f"\n| user | page | 1 client p50 ms | p95 ms | {args.clients} clients p50 ms | p95 ms"
            " | req/s |\n|---|---|---|---|---|---|---|"
        )
        for user, what, f in rows:
            print(
                f"| {user} | {what} | {f['alone50']:.0f} | {f['alone95']:.0f} | {f['p50']:.0f} "
                f"| {f['p95']:.0f} | {f['rps']:.1f} |"
            )
    finally:
        gunicorn_stop(process)
        if process.returncode not in (0, -signal.SIGTERM, None):
            print(log.read_text(errors="replace")[-3000:], file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("command", choices=["fill", "run"])
    parser.add_argument("--database", required=True, help="a database of your own (not `test`)")
    parser.add_argument("--sizes", default="1000000,100000,10000")
    parser.add_argument("--orgs", default="LS1M,LS100K,LS10K", help="biggest first")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--skip-search", action="store_true")
    args = parser.parse_args()
    os.environ.update(
        {
            "DATABASE_URL": f"{SERVER}/{args.database}",
            "GONGKAI_DATA_DIR": tempfile.mkdtemp(prefix="gongkai-bench-"),
            "DJANGO_SETTINGS_MODULE": "gongkai.settings",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "DEBUG": "0",
            "GONGKAI_HTTPS": "0",
            "GONGKAI_BEHIND_PROXY": "0",
            "GONGKAI_ADMIN_2FA": "0",
        }
    )
    if args.command == "fill":
        import django

        django.setup()
        fill([int(size) for size in args.sizes.split(",")])
    else:
        run(args)


if __name__ == "__main__":
    main()
