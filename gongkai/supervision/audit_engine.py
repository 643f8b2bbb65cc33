"""The one door between the 审核批次 job and the batch auditor of the domain: reading and checking
one file (`read_one`: every format, scans by OCR), pairing each report with its agency's previous
year in the batch (`pair_previous`: the cross-year rules), 雷同 across agencies (`batch_similarity`,
rule D-02) and the risk score once the batch's findings are in (`merge_findings`)."""

from __future__ import annotations

from gongkai.domain.report.batch import AuditedReport, merge_findings, pair_previous, read_one
from gongkai.domain.report.similarity import batch_similarity

__all__ = [
    "IMAGE_SUFFIXES",
    "AuditedReport",
    "batch_similarity",
    "merge_findings",
    "pair_previous",
    "read_one",
]

# Scanned pages a supervisor may upload beside the documents (read by OCR).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
