"""A 审核批次 on PostgreSQL: the upload (checked, unpacked, stored) and the job, against the bare
domain loop, for `--files` text reports in one zip.

Usage:  uv run python bench/audit_batch_web.py [--files 500] [--database bench_audit_web]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth). The database `--database` is
dropped if it exists, created, migrated, used and dropped again; the files go to a temporary data
folder. The reports are the corpus's Wancheng office report (shared/corpus) with table 三's
本年新收 总计 changed in one of three (an arithmetic error each), named by number.

Timed, one process (Django and PostgreSQL share the 2-core machine):
- the bare loop: `audit_engine.read_one` on every file, nothing stored (the domain's cost);
- the upload: `audit_batch_create` (zip check, unpack, one file and one row per report, the audit
  entry);
- the job: `audit_batch_run` (read, check, store each result and count it done, then the batch).
The job's cost beyond the bare loop is what the database and the progress cost.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SERVER = "postgres://postgres@127.0.0.1:5432"
CORPUS = ROOT.parent / "shared" / "corpus"


def database(name: str, *, create: bool) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def reports(count: int) -> dict[str, bytes]:
    text = (CORPUS / "wancheng-office-2024.txt").read_text("utf-8")
    broken = text.replace("\t1\n\t36\n", "\t1\n\t37\n", 1)
    assert broken != text
    return {
        f"reports/{n:05d}.txt": (broken if n % 3 == 0 else text).encode("utf-8")
        for n in range(count)
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--database", default="bench_audit_web")
    args = parser.parse_args()
    database(args.database, create=True)
    os.environ["DATABASE_URL"] = f"{SERVER}/{args.database}"
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    try:
        return run(args.files)
    finally:
        from django.db import connections

        connections.close_all()
        database(args.database, create=False)


def run(count: int) -> int:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from gongkai.accounts.models import Membership, Organisation
    from gongkai.domain.lifecycle import Role
    from gongkai.domain.report.findings import Severity
    from gongkai.supervision.audit_engine import read_one
    from gongkai.supervision.audit_services import audit_batch_create, audit_batch_run
    from gongkai.supervision.audit_upload import Upload
    from gongkai.supervision.models import AuditBatch

    call_command("migrate", verbosity=0)
    government = Organisation.objects.create(code="WCQ", name="宛城区人民政府", kind="government")
    Organisation.objects.create(
        code="WCBGS", name="宛城区人民政府办公室", kind="department", parent=government
    )
    user = User.objects.create_user("supervisor")
    Membership.objects.create(user=user, organisation=government, role=Role.SUPERVISOR)

    members = reports(count)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    data = out.getvalue()

    start = time.perf_counter()
    bare_errors = 0
    for name, body in members.items():
        item = read_one(name, body)
        bare_errors += any(f.severity is Severity.ERROR for f in item.findings)
    bare = time.perf_counter() - start

    start = time.perf_counter()
    batch = audit_batch_create(
        by=user, government=government, uploads=[Upload("bench.zip", data)], max_bytes=1 << 30
    )
    upload = time.perf_counter() - start
    start = time.perf_counter()
    audit_batch_run(batch_id=batch.pk)
    job = time.perf_counter() - start
    batch = AuditBatch.objects.get(pk=batch.pk)
    assert batch.status == "done" and batch.done == count, batch.status
    assert batch.with_errors == bare_errors == len(range(0, count, 3)), batch.with_errors

    print(f"{count} text reports in one zip ({len(data) / 1e6:.1f} MB), PostgreSQL")
    print(f"  bare read_one loop : {bare:7.2f} s  {count / bare:7.1f} reports/s")
    print(f"  upload (store)     : {upload:7.2f} s  {count / upload:7.1f} reports/s")
    print(f"  job (audit, store) : {job:7.2f} s  {count / job:7.1f} reports/s")
    print(f"  reports with errors: {batch.with_errors} (every third, as made)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
