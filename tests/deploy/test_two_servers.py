"""Two `gongkai serve` processes behind Debian's nginx, one PostgreSQL database and one file store
(docs/scaling.md, issue 15 §7). 50 citizens submit online applications through nginx while one
app server is killed (SIGKILL, its whole process group: the master and the workers in the middle
of their requests) and started again:

- nothing lost: every receipt a citizen got names an application stored with that number;
- nothing twice: one application per submission, the tracking numbers unique;
- a citizen whose POST failed (nginx's 502: it does not resend a POST it had passed on) resends
  the same form — the same submission key — and gets a receipt; resending any form once more gives
  the very receipt it had (number and 查询码);
- the restarted server takes requests again.

Then a clerk who logged in through nginx is logged in on either server (sessions are database
rows), a file uploaded through one server downloads from the other (one media folder), and the
ledger page reads through the replica alias (DATABASE_REPLICA_URL, here the primary itself).

PostgreSQL only (SQLite is one server's file, not something two machines share): the test creates
its own database next to DATABASE_URL's and drops it at the end.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

pytestmark = [
    pytest.mark.skipif(
        not POSTGRES,
        reason="needs PostgreSQL (DATABASE_URL): several app servers share one database server; "
        "CI runs tests/deploy on PostgreSQL",
    ),
    pytest.mark.skipif(NGINX is None, reason="needs Debian's nginx (.ci/run installs it)"),
]

ORG = "DEPLOY"
CLIENTS = 50
PASSWORD = "Deploy-test-pw-1"
VALID_ID = "11010519491231002X"
HOST = "127.0.0.1"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="submission_key" value="([^"]+)"')
RECEIPT = re.compile(
    r"申请编号：<strong[^>]*>([^<]+)</strong>.*?查询码：<strong[^>]*>([^<]+)<", re.S
)

SETUP = f"""
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.contrib.auth import get_user_model
from gongkai.accounts.models import Membership, Organisation
from gongkai.domain.lifecycle import Role
org = Organisation.objects.create(code="{ORG}", name="部署测试局", kind="department")
user = get_user_model().objects.create_user("clerk", password="{PASSWORD}")
Membership.objects.create(user=user, organisation=org, role=Role.CLERK)
"""


# ---------------------------------------------------------------- a small HTTP client


class Browser:
    """One person's cookies, one connection per request (a server may die in between)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "application/x-www-form-urlencoded",
        port: int | None = None,
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        port = port or self.port
        headers = {"Host": f"{HOST}:{port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers |= {"Content-Type": content_type, "Origin": f"http://{HOST}:{port}"}
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content, response

    def form(self, path: str, port: int | None = None) -> str:
        status, content, _ = self.request("GET", path, port=port)
        assert status == 200, (path, status, content[:300])
        return content.decode()


def urlencoded(fields: dict[str, str]) -> bytes:
    return urllib.parse.urlencode(fields).encode()


def multipart(fields: dict[str, str], name: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: text/plain\r\n\r\n'.encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# ---------------------------------------------------------------- the installation


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Site:
    env: dict[str, str]
    tmp: Path
    ports: list[int]
    front: int
    servers: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    starts: dict[int, int] = field(default_factory=dict)

    def log(self, port: int) -> Path:
        return self.tmp / f"serve-{port}-{self.starts.get(port, 0)}.log"

    def start(self, port: int) -> None:
        """`gongkai serve` as an operator starts it (migrate, then gunicorn), in its own process
        group so that a kill takes the master and its workers, as a machine's crash would."""
        self.starts[port] = self.starts.get(port, 0) + 1
        env = self.env | {"GONGKAI_DATA_DIR": str(self.tmp / f"data-{port}")}
        with self.log(port).open("wb") as out:
            self.servers[port] = subprocess.Popen(
                [sys.executable, "-m", "gongkai.cli.main", "serve", "--bind", f"{HOST}:{port}",
                 "--workers", "2", "--no-migrate"],
                env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def kill(self, port: int) -> None:
        os.killpg(self.servers[port].pid, signal.SIGKILL)
        self.servers[port].wait()

    def wait_ready(self, port: int, seconds: float = 45) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.servers[port].poll() is not None:
                raise AssertionError(self.log(port).read_text(errors="replace")[-3000:])
            try:
                if Browser(port).request("GET", f"/open/{ORG}/apply/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"server {port} did not answer within {seconds} s")

    def stop(self) -> None:
        for process in self.servers.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.servers.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def nginx_config(tmp: Path, front: int, ports: list[int]) -> str:
    """The load balancer of docs/scaling.md, in a folder of its own and in the foreground."""
    servers = "\n".join(f"    server {HOST}:{p} max_fails=1 fail_timeout=2s;" for p in ports)
    user = "user root;" if os.geteuid() == 0 else ""  # workers that can reach the temp folder
    return f"""
{user}
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
  access_log {tmp}/nginx-access.log;
  client_body_temp_path {tmp}/nginx-body;
  proxy_temp_path {tmp}/nginx-proxy;
  fastcgi_temp_path {tmp}/nginx-fastcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi;
  scgi_temp_path {tmp}/nginx-scgi;
  upstream gongkai {{
{servers}
  }}
  server {{
    listen {HOST}:{front};
    client_max_body_size 25m;
    location / {{
      proxy_pass http://gongkai;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # A request that could not reach a server goes to the other one; a POST that reached a
      # server which then died is answered 502 (nginx does not resend what is not idempotent),
      # and the client resends it under its submission key.
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }}
  }}
}}
"""


def database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    name = f"gk_two_servers_{os.getpid()}_{secrets.token_hex(3)}"
    admin_sql(f'CREATE DATABASE "{name}"')
    media = tmp_path / "media"  # the one file store (an NFS mount in production)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DATABASE_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "DATABASE_URL": database_url(name),
        "DATABASE_REPLICA_URL": database_url(name),
        "GONGKAI_MEDIA_ROOT": str(media),
        "SECRET_KEY": secrets.token_urlsafe(50),  # the same on every server
        "GONGKAI_BEHIND_PROXY": "1",
        "GONGKAI_APPLY_RATE": "100000/h",  # every citizen here comes from 127.0.0.1
        "GONGKAI_ADMIN_2FA": "0",
        "GONGKAI_PASSWORD_MAX_AGE_DAYS": "0",
        "GONGKAI_TASK_BACKEND": "immediate",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    ports = [free_port(), free_port()]
    site = Site(env=env, tmp=tmp_path, ports=ports, front=free_port())
    nginx = None
    try:
        # The deployment step: migrate once (then the servers start with --no-migrate).
        subprocess.run([sys.executable, "-m", "gongkai.cli.main", "manage", "shell", "-c", SETUP],
                       env=env | {"GONGKAI_DATA_DIR": str(tmp_path / "data-setup")}, cwd=ROOT,
                       check=True, timeout=120)  # fmt: skip
        for port in ports:
            site.start(port)
        conf = tmp_path / "nginx.conf"
        conf.write_text(nginx_config(tmp_path, site.front, ports))
        nginx = subprocess.Popen(
            [str(NGINX), "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "nginx-error.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        for port in ports:
            site.wait_ready(port)
        yield site
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(10)
        site.stop()
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---------------------------------------------------------------- citizens


@dataclass
class Outcome:
    receipts: dict[str, tuple[str, str]] = field(default_factory=dict)  # key → (number, code)
    names: dict[str, str] = field(default_factory=dict)  # key → applicant name
    bodies: dict[str, bytes] = field(default_factory=dict)  # key → the form as sent
    failed_first: set[str] = field(default_factory=set)  # keys whose first POST failed
    errors: list[str] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def form_fields(token: str, key: str, name: str) -> dict[str, str]:
    return {
        "csrfmiddlewaretoken": token, "submission_key": key, "applicant_type": "natural",
        "name": name, "id_type": "resident_id", "id_number": VALID_ID, "phone": "13800000000",
        "content": "请公开2024年度老旧小区改造项目的立项批复文件", "form": "electronic",
        "delivery": "online", "consent": "on", "website": "",
    }  # fmt: skip


def post_until_receipt(browser: Browser, body: bytes) -> tuple[tuple[str, str] | None, list[str]]:
    """POST the same form until it is answered with a receipt (at most 30 tries)."""
    errors = []
    for _ in range(30):
        try:
            status, content, _ = browser.request("POST", f"/open/{ORG}/apply/", body)
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
        else:
            found = RECEIPT.search(content.decode(errors="replace")) if status == 200 else None
            if found:
                return (found.group(1), found.group(2)), errors
            errors.append(f"HTTP {status}")
            if status == 400:  # a refusal, not a failure: resending cannot help
                errors.append(content.decode(errors="replace")[:2000])
                return None, errors
        time.sleep(0.2)
    return None, errors


def citizen(site: Site, number: int, stop: threading.Event, outcome: Outcome) -> None:
    browser = Browser(site.front)
    n = 0
    while not stop.is_set():
        n += 1
        try:
            page = browser.form(f"/open/{ORG}/apply/")
        except (AssertionError, OSError, http.client.HTTPException):
            time.sleep(0.2)  # the form's GET failed: nothing was sent yet
            continue
        token, key = TOKEN.search(page), KEY.search(page)
        assert token and key
        name = f"申请人{number:02d}-{n:03d}"
        body = urlencoded(form_fields(token.group(1), key.group(1), name))
        receipt, errors = post_until_receipt(browser, body)
        with outcome.lock:
            outcome.names[key.group(1)] = name
            outcome.bodies[key.group(1)] = body
            if errors:
                outcome.failed_first.add(key.group(1))
                outcome.errors.extend(errors)
            if receipt is None:
                outcome.given_up.append(name)
            else:
                outcome.receipts[key.group(1)] = receipt


def stored_applications(site: Site) -> list[tuple[str, str, str]]:
    import psycopg

    with psycopg.connect(site.env["DATABASE_URL"]) as conn:
        rows = conn.execute(
            "SELECT a.tracking_no, a.applicant_name, a.status FROM cases_application a "
            "JOIN accounts_organisation o ON o.id = a.organisation_id WHERE o.code = %s",
            [ORG],
        ).fetchall()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


# ---------------------------------------------------------------- the test


def test_two_servers_behind_nginx_lose_and_duplicate_nothing(site: Site) -> None:
    outcome = Outcome()
    stop = threading.Event()
    threads = [
        threading.Thread(target=citizen, args=(site, i, stop, outcome), daemon=True)
        for i in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    victim = site.ports[0]

    # Traffic flows through both servers, then one dies with everything in flight.
    deadline = time.monotonic() + 30
    while len(outcome.receipts) < CLIENTS // 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    site.kill(victim)
    killed_at = len(outcome.receipts)
    time.sleep(1.0)
    site.start(victim)  # the operator (or systemd) starts it again
    site.wait_ready(victim)
    # nginx tries it again after fail_timeout (2 s) and gives it work: wait for its first POST.
    deadline = time.monotonic() + 20
    while "POST /open/" not in site.log(victim).read_text(errors="replace"):
        assert time.monotonic() < deadline, "the restarted server got no request through nginx"
        time.sleep(0.2)
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(60)

    assert not outcome.given_up, (outcome.given_up, outcome.errors[-5:])
    assert len(outcome.receipts) > killed_at > 0
    # The kill did hit requests in flight, and their citizens got through by resending.
    assert outcome.failed_first, "no request failed during the kill: the test proved nothing"
    assert all(key in outcome.receipts for key in outcome.failed_first)

    rows = stored_applications(site)
    numbers = [number for number, _, _ in rows]
    assert len(numbers) == len(set(numbers)), "tracking numbers not unique"
    by_name: dict[str, list[str]] = {}
    for number, name, _ in rows:
        by_name.setdefault(name, []).append(number)
    duplicated = {name: found for name, found in by_name.items() if len(found) > 1}
    assert not duplicated
    for key, (number, _code) in outcome.receipts.items():  # nothing lost
        assert by_name.get(outcome.names[key]) == [number], outcome.names[key]
    assert len(rows) == len(outcome.receipts)  # nothing stored that nobody got a receipt for
    assert {status for _, _, status in rows} == {"submitted"}

    # Resending a form once more gives back its receipt, through either server.
    browser = Browser(site.front)
    page = browser.form(f"/open/{ORG}/apply/")
    token = TOKEN.search(page)
    assert token
    resend = sorted(outcome.failed_first) + sorted(outcome.receipts)[:10]
    for i, key in enumerate(resend):
        fields = dict(urllib.parse.parse_qsl(outcome.bodies[key].decode()))
        fields["csrfmiddlewaretoken"] = token.group(1)
        port = site.ports[i % 2]
        status, content, _ = browser.request(
            "POST", f"/open/{ORG}/apply/", urlencoded(fields), port=port
        )
        found = RECEIPT.search(content.decode())
        assert status == 200 and found, content[:500]
        assert (found.group(1), found.group(2)) == outcome.receipts[key]
    assert len(stored_applications(site)) == len(rows)

    clerk_session_and_files(site)


def clerk_session_and_files(site: Site) -> None:
    """A session made through nginx holds on both servers; a file uploaded to one server is
    downloaded from the other."""
    browser = Browser(site.front)
    page = browser.form("/accounts/login/")
    token = TOKEN.search(page)
    assert token
    fields = {"csrfmiddlewaretoken": token.group(1), "username": "clerk", "password": PASSWORD}
    status, _, _ = browser.request("POST", "/accounts/login/", urlencoded(fields))
    assert status == 302, status
    assert "sessionid" in browser.cookies

    one, other = site.ports
    for port in (one, other, site.front):
        status, content, _ = browser.request("GET", "/", port=port)
        assert status == 200, (port, status)
        assert "clerk" in content.decode()
    # The ledger reads through the replica alias (here the primary itself) on either server.
    for port in (one, other):
        status, content, _ = browser.request("GET", "/applications/", port=port)
        assert status == 200 and "申请人" in content.decode()

    import psycopg

    with psycopg.connect(site.env["DATABASE_URL"]) as conn:
        row = conn.execute("SELECT id FROM cases_application ORDER BY id LIMIT 1").fetchone()
    assert row
    pk = row[0]
    detail = browser.form(f"/applications/{pk}/", port=one)
    token = TOKEN.search(detail)
    assert token
    data = ("两台服务器共用的文件 " + secrets.token_hex(8)).encode()
    body, content_type = multipart(
        {"csrfmiddlewaretoken": token.group(1), "kind": "other"}, "file", "共用.txt", data
    )
    status, _, _ = browser.request(
        "POST", f"/applications/{pk}/attachments/", body, content_type, port=one
    )
    assert status == 302, status
    page = browser.form(f"/applications/{pk}/", port=other)
    link = re.search(rf'href="(/applications/{pk}/attachments/\d+/)"', page)
    assert link, "the uploaded file is not listed on the other server"
    status, content, _ = browser.request("GET", link.group(1), port=other)
    assert status == 200 and content == data
