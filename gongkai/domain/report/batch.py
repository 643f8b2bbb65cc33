"""Batch audit: many reports read and checked in parallel, each paired with its agency's previous
year in the batch for the cross-year rules, then scored for risk (docs/audit-batch.md).

The steps, each usable alone:
- `read_one(name, data)`: parse and run the single-report rules; never raises (an unreadable
  file is an `AuditedReport` with `error`, its Chinese reason).
- `pair_previous(items)`: the same agency (normalised name, `normalise_agency`) one year earlier,
  when the batch holds exactly one such report, is `previous`; the cross-year rules (X-*, T2-02)
  run against it.
- `audit_batch(sources, jobs=…)`: `read_one` over a process pool in chunks, then the pairing, the
  `extra_checks` over the whole batch (雷同 across agencies plugs in here) and the risk scores.
- `archive_sources(name, archive)`: the members of a .zip as sources, read in memory under limits
  against zip bombs; member names made safe for display and decoded from GBK when Windows wrote
  them so.
"""

from __future__ import annotations

import gc
import io
import pickle
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache, partial
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, BinaryIO

from gongkai.domain.report.findings import Finding
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.parsers import ReportParseError, parse_report
from gongkai.domain.report.parsers.limits import DEFAULT_LIMITS
from gongkai.domain.report.risk import report_risk
from gongkai.domain.report.rules import Rule, all_rules, check_report
from gongkai.domain.report.rules.context import DEFAULT_CONTEXT, agency_name
from gongkai.domain.report.rules.order import document_order

if TYPE_CHECKING:  # the pool is imported when a batch needs one: `gongkai check one.txt` does not
    from concurrent.futures import Future, ProcessPoolExecutor

Loader = Callable[[], bytes]
Source = tuple[str, Loader]
ExtraCheck = Callable[[list["AuditedReport"]], dict[str, list[Finding]]]
Progress = Callable[[int, int], None]
Entry = tuple[int, str, bytes]  # (position in the batch, name, bytes)

# File kinds taken from a folder or a .zip (a file named on the command line is always read).
# What a folder or a zip of reports holds: documents, scans (read by OCR) and OFD (refused clearly).
REPORT_SUFFIXES = frozenset(
    {".txt", ".htm", ".html", ".shtml", ".docx", ".doc", ".pdf", ".json", ".ofd"}
    | {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
)


@dataclass(frozen=True)
class AuditedReport:
    name: str  # file name as given (a member of a zip: "x.zip/dir/a.pdf")
    kind: str | None  # text | html | docx | pdf | json … from parse_report; None if unreadable
    report: AnnualReport | None
    findings: tuple[Finding, ...]
    error: str | None  # the Chinese reason when unreadable
    agency: str | None  # normalised (normalise_agency)
    year: int | None
    previous: str | None  # name of the same agency's previous-year report in the batch
    risk: float  # 0–100 (risk.py)


# ------------------------------------------------------------------ agency and year


_SPACES = re.compile(r"[\s\u3000·•]+")
# Conservative: only the spellings of one office that mean the same body. A government (人民政府)
# and its office (人民政府办公室) publish different reports and stay apart; no place name is added
# or dropped (河南省南阳市宛城区财政局 and 宛城区财政局 stay two names).
_CANONICAL = (
    (re.compile(r"(?<!人民)政府办公室$"), "人民政府办公室"),
    (re.compile(r"(?<!人民)政府办$"), "人民政府办公室"),
    (re.compile(r"人民政府办$"), "人民政府办公室"),
    (re.compile(r"(?<!人民)政府$"), "人民政府"),
)


def normalise_agency(name: str | None) -> str | None:
    """The agency name as a pairing key: NFKC (full-width brackets and letters), no spaces or
    middle dots, and 政府办 / 政府办公室 / 人民政府办 → 人民政府办公室, 区政府 → 区人民政府."""
    if not name:
        return None
    text = _SPACES.sub("", unicodedata.normalize("NFKC", name)).strip("-—_:：,，.。")
    for pattern, canonical in _CANONICAL:
        text = pattern.sub(canonical, text)
    return text or None


# An agency's name ends with the kind of body it is (局, 委员会, 办公室, 人民政府, 镇, 街道 …).
_BODY_END = "局委办室院府会镇乡道处厅部署站队馆所心司行"
_NAME_BEFORE_YEAR = re.compile(
    rf"(?P<agency>[\u4e00-\u9fff()（）]{{2,40}}?[{_BODY_END}])(?P<year>(?:19|20)\d{{2}})年"
)
_NAME_AFTER_YEAR = re.compile(
    rf"(?P<year>(?:19|20)\d{{2}})年度?(?P<agency>[\u4e00-\u9fff()（）]{{2,40}}?[{_BODY_END}])"
    r"(?:政府信息公开|信息公开|政务公开)"
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def identity_from_filename(name: str) -> tuple[str | None, int | None]:
    """(agency, year) from a file name such as "XX区财政局2023年政府信息公开工作年度报告.pdf" or
    "2023年XX镇人民政府政府信息公开年报.docx"; the fallback when the document does not say."""
    stem = PurePosixPath(name.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    for pattern in (_NAME_BEFORE_YEAR, _NAME_AFTER_YEAR):
        match = pattern.search(stem)
        if match:
            return normalise_agency(match["agency"]), int(match["year"])
    year = _YEAR.search(stem)
    return None, int(year[1]) if year else None


# ------------------------------------------------------------------ one report


def unreadable(name: str, reason: str, kind: str | None = None) -> AuditedReport:
    agency, year = identity_from_filename(name)
    return AuditedReport(
        name, kind, None, (), reason, agency, year, None, report_risk((), unreadable=True)
    )


def read_one(name: str, data: bytes) -> AuditedReport:
    """Parse one file and run the single-report rules; never raises."""
    try:
        parsed = parse_report(data, PurePosixPath(name).name)
    except ReportParseError as exc:
        return unreadable(name, str(exc))
    except Exception as exc:  # parse_report promises not to, but a batch must never stop
        return unreadable(name, f"文件无法读取（{type(exc).__name__}）")
    report = parsed.report
    try:
        findings = tuple(check_report(report))
    except Exception as exc:  # a rule failing on an odd report: unreadable, never a traceback
        return unreadable(
            name, f"检查规则无法处理此文件（{type(exc).__name__}），请报告此问题", parsed.kind
        )
    file_agency, file_year = identity_from_filename(name)
    return AuditedReport(
        name=name,
        kind=parsed.kind,
        report=report,
        findings=findings,
        error=None,
        agency=normalise_agency(agency_name(report)) or file_agency,
        year=report.year or file_year,
        previous=None,
        risk=report_risk(findings),
    )


# ------------------------------------------------------------------ cross-year pairs


@cache
def _cross_rules() -> tuple[Rule, ...]:
    """The registry is complete once the rules are imported; `all_rules` sorts it at each call."""
    return tuple(rule for rule in all_rules() if rule.cross_year)


@cache
def _cross_rule_ids() -> frozenset[str]:
    return frozenset(rule.id for rule in _cross_rules())


def cross_findings(report: AnnualReport, previous: AnnualReport) -> list[Finding]:
    """The cross-year rules (X-*, T2-02) of `report` against the year before."""
    return [f for rule in _cross_rules() for f in rule.run(report, previous, DEFAULT_CONTEXT)]


def _with_cross(
    item: AuditedReport, previous: str | None, cross: Sequence[Finding]
) -> AuditedReport:
    """`item` with its cross-year findings replaced by `cross` (pairing twice changes nothing)."""
    if item.report is None:
        return item
    ids = _cross_rule_ids()
    kept = [f for f in item.findings if f.rule not in ids]
    if previous == item.previous and not cross and len(kept) == len(item.findings):
        return item
    findings = tuple(sorted([*kept, *cross], key=document_order(item.report)))
    return replace(item, findings=findings, previous=previous, risk=report_risk(findings))


def with_previous(item: AuditedReport, previous: AuditedReport | None) -> AuditedReport:
    """`item` re-checked by the cross-year rules against `previous` (none: without them)."""
    if item.report is None:
        return item
    if previous is None or previous.report is None:
        return _with_cross(item, None, ())
    return _with_cross(item, previous.name, cross_findings(item.report, previous.report))


def previous_of(items: Sequence[AuditedReport]) -> dict[int, int]:
    """Position of each readable report → position of its agency's report of the year before,
    when the batch holds exactly one (two would be two versions of it: nothing is guessed)."""
    by_key: dict[tuple[str, int], list[int]] = {}
    for index, item in enumerate(items):
        if item.report is not None and item.agency and item.year:
            by_key.setdefault((item.agency, item.year), []).append(index)
    pairs = {}
    for index, item in enumerate(items):
        if item.report is not None and item.agency and item.year:
            candidates = by_key.get((item.agency, item.year - 1), [])
            if len(candidates) == 1:
                pairs[index] = candidates[0]
    return pairs


def pair_previous(items: Sequence[AuditedReport]) -> list[AuditedReport]:
    """Each readable report paired with its agency's report of the year before (`previous_of`)
    and re-checked by the cross-year rules; the others lose any earlier pairing."""
    pairs = previous_of(items)
    return [
        with_previous(item, items[pairs[index]] if index in pairs else None)
        for index, item in enumerate(items)
    ]


def merge_findings(
    items: Sequence[AuditedReport], extra: dict[str, list[Finding]]
) -> list[AuditedReport]:
    """Add the findings of a check over the whole batch (by report name) and re-score."""
    merged = []
    for item in items:
        more = extra.get(item.name)
        if not more or item.report is None:
            merged.append(item)
            continue
        found = tuple(sorted([*item.findings, *more], key=document_order(item.report)))
        merged.append(replace(item, findings=found, risk=report_risk(found)))
    return merged


# ------------------------------------------------------------------ the batch

CHUNK_FILES = 16
CHUNK_BYTES = 8 * 1024 * 1024
CHUNK_PAIRS = 32
MIN_POOL_FILES = 4  # fewer files are read in this process: starting workers costs ~0.5 s
BROKEN_WORKER = "检查进程意外终止（文件可能触发了解析库的缺陷），未能检查此文件"
Packed = bytes | None  # an AnnualReport pickled in the worker (the parent only copies bytes)
Settle = Callable[[int, AuditedReport, Packed], None]


def _audit_chunk(chunk: list[Entry]) -> list[tuple[int, AuditedReport, Packed]]:
    """In a worker: files in; each result out with its report pickled here, in parallel, so that
    the parent can hand the report on to the pairing step without pickling it again."""
    results = []
    for index, name, data in chunk:
        item = read_one(name, data)
        packed = None if item.report is None else pickle.dumps(item.report, _PROTOCOL)
        results.append((index, replace(item, report=None), packed))
    return results


def _cross_chunk(chunk: list[tuple[int, bytes, bytes]]) -> list[tuple[int, list[Finding]]]:
    """In a worker: the cross-year rules of (position, report, previous report) pickled."""
    return [
        (index, cross_findings(pickle.loads(this), pickle.loads(last)))
        for index, this, last in chunk
    ]


_PROTOCOL = pickle.HIGHEST_PROTOCOL


@contextmanager
def _no_gc() -> Iterator[None]:
    """Collect thousands of reports (acyclic frozen dataclasses) without the cyclic collector
    walking them again at every allocation threshold: it made unpickling four times slower."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(name: str, loader: Loader) -> bytes | AuditedReport:
    try:
        return loader()
    except ReportParseError as exc:
        return unreadable(name, str(exc))
    except OSError as exc:
        return unreadable(name, f"无法读取文件：{exc.strerror or type(exc).__name__}")
    except Exception as exc:
        return unreadable(name, f"无法读取文件（{type(exc).__name__}）")


def _chunks(sources: Sequence[Source], settle: Settle) -> Iterator[list[Entry]]:
    """Files loaded in the parent (a zip member is read from the open archive) and grouped in
    chunks of at most CHUNK_FILES files or CHUNK_BYTES; a file that cannot be loaded is settled."""
    chunk: list[Entry] = []
    size = 0
    for index, (name, loader) in enumerate(sources):
        data = _load(name, loader)
        if isinstance(data, AuditedReport):
            settle(index, data, None)
            continue
        chunk.append((index, name, data))
        size += len(data)
        if len(chunk) >= CHUNK_FILES or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


class _Pool:
    """A process pool that can be replaced when a worker dies."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # forkserver: workers forked from a clean process (the caller may run threads — the
        # progress bar does), with the parsers and rules imported once, before the fork.
        if "forkserver" in multiprocessing.get_all_start_methods():
            forkserver = multiprocessing.get_context("forkserver")
            forkserver.set_forkserver_preload(["gongkai.domain.report.batch"])
            return ProcessPoolExecutor(max_workers=self.jobs, mp_context=forkserver)
        spawn = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=spawn)

    def renew(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _read_in_pool(chunks: Iterator[list[Entry]], pool: _Pool, settle: Settle) -> None:
    """At most 3 chunks per worker in flight, so memory stays bounded whatever the batch size.

    When a worker dies (a library crashing on a hostile file), every file in flight is a suspect:
    each is then retried alone in a fresh pool, nothing else in flight, and a file that kills its
    worker alone is unreadable.
    """
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    pending: dict[Future[list[tuple[int, AuditedReport, Packed]]], list[Entry]] = {}
    suspects: list[Entry] = []
    alone: Future[list[tuple[int, AuditedReport, Packed]]] | None = None
    lone_failures = 0
    while True:
        if suspects:
            if not pending:
                entry = suspects.pop()
                alone = pool.executor.submit(_audit_chunk, [entry])
                pending[alone] = [entry]
        else:
            while len(pending) < pool.jobs * 3:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending[pool.executor.submit(_audit_chunk, chunk)] = chunk
        if not pending:
            return
        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in finished:
            chunk = pending.pop(future)
            try:
                results = future.result()
            except BrokenProcessPool:
                if future is alone:
                    index, name, _ = chunk[0]
                    settle(index, unreadable(name, BROKEN_WORKER), None)
                    lone_failures += 1
                    if lone_failures >= 3:  # workers cannot even start: read here instead
                        for index, name, data in [*suspects, *(e for c in chunks for e in c)]:
                            settle(index, read_one(name, data), None)
                        return
                else:
                    suspects.extend(chunk)
                for other in pending.values():
                    suspects.extend(other)
                pending.clear()
                pool.renew()
                break
            lone_failures = 0
            for index, item, packed in results:
                settle(index, item, packed)


def _pair_in_pool(
    items: list[AuditedReport], packed: dict[int, bytes], pool: _Pool
) -> list[AuditedReport]:
    """pair_previous with the cross-year rules run in the workers on the pickled reports."""
    from concurrent.futures.process import BrokenProcessPool

    pairs = previous_of(items)
    cross: dict[int, list[Finding]] = {}
    work = [(i, packed[i], packed[p]) for i, p in pairs.items() if i in packed and p in packed]
    chunks = [work[n : n + CHUNK_PAIRS] for n in range(0, len(work), CHUNK_PAIRS)]
    try:
        for results in pool.executor.map(_cross_chunk, chunks):
            cross.update(results)
    except BrokenProcessPool:  # the rules are pure Python: finish here
        for index, previous in pairs.items():
            if index not in cross:
                cross[index] = cross_findings(_report(items[index]), _report(items[previous]))
    result = []
    for index, item in enumerate(items):
        last = items[pairs[index]].name if index in pairs else None
        result.append(_with_cross(item, last, cross.get(index, ())))
    return result


def _report(item: AuditedReport) -> AnnualReport:
    assert item.report is not None
    return item.report


def audit_batch(
    sources: Iterable[Source],
    *,
    jobs: int,
    progress: Progress | None = None,
    extra_checks: Sequence[ExtraCheck] = (),
) -> list[AuditedReport]:
    """Every source read and checked (in `jobs` processes when more than one), paired with its
    agency's previous year, checked by `extra_checks` over the whole batch, and scored; in the
    order of `sources`. Nothing stops the batch: an unreadable file is an item with `error`."""
    listed = list(sources)
    total = len(listed)
    done: list[AuditedReport | None] = [None] * total
    packed: dict[int, bytes] = {}
    count = 0

    def settle(index: int, item: AuditedReport, report: Packed) -> None:
        nonlocal count
        if report is not None:
            packed[index] = report
            item = replace(item, report=pickle.loads(report))
        done[index] = item
        count += 1
        if progress is not None:
            progress(count, total)

    with _no_gc():
        if jobs <= 1 or total < MIN_POOL_FILES:
            for index, (name, loader) in enumerate(listed):
                data = _load(name, loader)
                settle(
                    index, data if isinstance(data, AuditedReport) else read_one(name, data), None
                )
            items = pair_previous([item for item in done if item is not None])
        else:
            pool = _Pool(jobs)
            try:
                _read_in_pool(_chunks(listed, settle), pool, settle)
                items = _pair_in_pool([item for item in done if item is not None], packed, pool)
            finally:
                pool.close()
        packed.clear()
        for check in extra_checks:
            items = merge_findings(items, check(items))
    return items


# ------------------------------------------------------------------ .zip archives


MB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """Limits on a batch archive: far above a region's reports, far below a zip bomb's claims."""

    max_members: int = 50_000
    max_member_bytes: int = DEFAULT_LIMITS.max_file_bytes  # one report, as parse_report allows
    max_nested_bytes: int = 1024 * MB  # a .zip inside the .zip, held in memory
    max_total_bytes: int = 8 * 1024 * MB  # inflated in all
    max_ratio: int = 100  # inflated ÷ compressed for a member above 1 MB
    max_depth: int = 2  # zips inside zips inside the one given


DEFAULT_ARCHIVE_LIMITS = ArchiveLimits()


class _Budget:
    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise ReportParseError("压缩包解开后的总大小超过上限，可能是压缩炸弹，其余文件未读取")


def _failing(reason: str) -> Loader:
    return partial(_raise, reason)


def _raise(reason: str) -> bytes:
    raise ReportParseError(reason)


def member_name(info: zipfile.ZipInfo) -> str | None:
    """The member's path for display: names Windows wrote in GBK decoded as such, and no empty,
    "." or ".." parts or drive letters (nothing is written to disk, but a name is shown); None for
    folders and the hidden files of archivers (__MACOSX, .DS_Store)."""
    name = info.filename
    if not info.flag_bits & 0x800:  # not flagged UTF-8: zipfile decoded it as cp437
        raw = name.encode("cp437", errors="replace")
        for encoding in ("utf-8", "gb18030"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    parts = [p for p in re.split(r"[\\/]+", name) if p not in ("", ".", "..")]
    if parts and re.fullmatch(r"[A-Za-z]:", parts[0]):
        parts = parts[1:]
    if not parts or info.is_dir() or any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return None
    return "/".join(parts)


def _read_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    limit: int,
    limits: ArchiveLimits,
    budget: _Budget,
) -> bytes:
    if info.flag_bits & 0x1:
        raise ReportParseError("压缩包内的文件已加密，无法读取")
    if info.file_size > limit:
        raise ReportParseError(f"压缩包内的文件过大（上限 {limit // MB} MB）")
    if info.file_size > MB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        raise ReportParseError("压缩比异常，可能是压缩炸弹，拒绝读取")
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(MB):
                size += len(chunk)
                budget.spend(len(chunk))
                if size > limit:
                    raise ReportParseError(f"压缩包内的文件解开后过大（上限 {limit // MB} MB）")
                chunks.append(chunk)
    except ReportParseError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError) as exc:
        raise ReportParseError(f"压缩包内的文件已损坏，无法解开（{type(exc).__name__}）") from exc
    except Exception as exc:  # zlib.error from a damaged member
        raise ReportParseError(f"压缩包内的文件已损坏，无法解开（{type(exc).__name__}）") from exc
    return b"".join(chunks)


def archive_sources(
    name: str,
    archive: bytes | BinaryIO,
    limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
    *,
    _depth: int = 0,
    _budget: _Budget | None = None,
) -> list[Source]:
    """The report files of a .zip as sources named "name/member", read lazily from `archive`
    (bytes or an open file): a damaged archive or one past a limit is one unreadable source."""
    budget = _budget or _Budget(limits.max_total_bytes)
    try:
        package = zipfile.ZipFile(io.BytesIO(archive) if isinstance(archive, bytes) else archive)
        members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        return [(name, _failing("压缩包已损坏或不是 zip 文件，无法打开"))]
    if len(members) > limits.max_members:
        reason = f"压缩包内文件过多（{len(members)} 个，上限 {limits.max_members} 个）"
        return [(name, _failing(reason))]
    if sum(m.file_size for m in members) > limits.max_total_bytes:
        return [(name, _failing("压缩包声明的解开大小超过上限，可能是压缩炸弹，拒绝打开"))]
    sources: list[Source] = []
    for info in members:
        inner = member_name(info)
        if inner is None:
            continue
        display = f"{name}/{inner}"
        suffix = PurePosixPath(inner).suffix.lower()
        if suffix == ".zip":
            if _depth + 1 > limits.max_depth:
                sources.append((display, _failing("压缩包嵌套过深，请解开后再检查")))
                continue
            try:
                data = _read_member(package, info, limits.max_nested_bytes, limits, budget)
            except ReportParseError as exc:
                sources.append((display, _failing(str(exc))))
                continue
            sources.extend(
                archive_sources(display, data, limits, _depth=_depth + 1, _budget=budget)
            )
        elif suffix in REPORT_SUFFIXES:
            loader = partial(_read_member, package, info, limits.max_member_bytes, limits, budget)
            sources.append((display, loader))
    return sources
