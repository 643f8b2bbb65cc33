"""What the reports app tells whoever listens, without knowing who: the public side (portal)
clears its cached pages when a version is published or a register changes. Sent once the change
is committed."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `version` (a ReportVersion) after the transaction that published it has committed.
report_published = Signal()

# Sent with `organisation` after a change to one of its registers (a catalogue item saved,
# withdrawn or deleted, a normative document, an appeal, an import) has committed.
register_changed = Signal()
