"""What the sub-commands share when they write or print a result."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def write_file(target: Path, content: bytes) -> int:
    """Write `content` to `target`: 0 and “已生成 …”, or 2 and the reason on stderr."""
    try:
        target.write_bytes(content)
    except OSError as exc:
        print(f"无法写入 {target}：{exc.strerror}", file=sys.stderr)
        return 2
    print(f"已生成 {target}")
    return 0


def print_json(data: Any) -> int:
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0
