"""File sizes as the evidence list and the PDF print them (killed the surviving mutants of
core/units.py: sizes above 1 KB, the GB cap and the unknown size had no test)."""

from __future__ import annotations

from csr_desktop.core.units import human_size


def test_sizes_read_as_a_chinese_user_reads_them() -> None:
    assert human_size(None) == "大小未知"
    assert human_size(0) == "0 字节"
    assert human_size(1023) == "1023 字节"
    assert human_size(1024) == "1.0 KB"
    assert human_size(2048 + 512) == "2.5 KB"
    assert human_size(3 * 1024**2) == "3.0 MB"
    assert human_size(5 * 1024**3) == "5.0 GB"
    assert human_size(2048 * 1024**3) == "2048.0 GB"  # GB is the largest unit
