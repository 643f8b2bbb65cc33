"""What the reports app tells whoever listens, without knowing who: the public side (portal)
clears its cached pages when a version is published. Sent once the publication is committed."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `version` (a ReportVersion) after the transaction that published it has committed.
report_published = Signal()
