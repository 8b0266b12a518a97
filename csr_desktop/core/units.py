"""File sizes as Chinese users read them, the same on screen and in the exported PDF."""

from __future__ import annotations


def human_size(size: int | None) -> str:
    """`2.0 KB`, `512 字节`; `大小未知` when the size was never recorded."""
    if size is None:
        return "大小未知"
    value = float(size)
    for unit in ("字节", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "字节" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} 字节"  # unreachable: GB is the last unit
