"""What a message box may say about an exception: the Chinese sentence, and the technical rest
(SQLite's or the OS's English) for the box's 详细信息 only."""

from __future__ import annotations

import errno
import re

from csr_desktop.core.errors import CsrError
from csr_desktop.ui.i18n import tr

# A trailing "（…）" or "：…" holding no Chinese but an English phrase, as the store appends
# SQLite's own text ("…已损坏，无法打开（unable to open database file）").
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_TAIL = re.compile(rf"\s*(?:（([^{_CJK}]*)）|\(([^{_CJK}]*)\)|：([^{_CJK}]*))\s*$")
_ENGLISH = re.compile(r"[A-Za-z]{2,}[ _:][A-Za-z]{2,}|[A-Za-z]{4,}")

# SQLite's and the OS's usual English, said in Chinese where the message keeps its place
_KNOWN_REASONS = (
    ("database or disk is full", "磁盘空间不足"),
    ("no space left", "磁盘空间不足"),
    ("disk i/o error", "磁盘读写出错"),
    ("readonly database", "文件不允许写入"),
    ("read-only file system", "所在磁盘为只读"),
    ("permission denied", "没有权限"),
    ("database is locked", "文件正被其他程序使用"),
    ("unable to open database file", "无法打开"),
    ("malformed", "已损坏"),
    ("file is not a database", "已损坏"),
    ("constraint failed", "项目文件内部数据不一致"),
)

_OS_REASONS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "所在磁盘为只读",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EISDIR: "这是一个文件夹",
    errno.EEXIST: "文件已存在",
    errno.EDQUOT: "超出磁盘配额",
}


def os_reason(exc: OSError) -> str:
    """The OS's refusal in Chinese (its English strerror goes to the details)."""
    reason = _OS_REASONS.get(exc.errno or 0)
    if reason is not None:
        return tr(reason)
    return tr("系统错误（错误码 {code}）").format(code=exc.errno)


def split_chinese(text: str) -> tuple[str, str]:
    """`text` without a trailing English-only part, and that part ('' if there is none)."""
    moved: list[str] = []
    while True:
        m = _TAIL.search(text)
        if m is None:
            break
        tail = next(g for g in m.groups() if g is not None)
        if "“" in tail or not _ENGLISH.search(tail):  # a quoted name or a number: keep it
            break
        moved.insert(0, tail.strip())
        text = text[: m.start()]
    reason = next(
        (zh for en, zh in _KNOWN_REASONS if any(en in part.lower() for part in moved)), ""
    )
    if reason and tr(reason)[:4] not in text:  # "已损坏" needs no "文件内容已损坏" after it
        text = text.rstrip("，。") + "：" + tr(reason)
    if moved and text and text[-1] not in "。！？":
        text += "。"
    return text, "\n".join(moved)


def user_message(exc: BaseException) -> tuple[str, str]:
    """(Chinese text for the box, English details) for an exception shown to the user."""
    if isinstance(exc, CsrError):
        text, tail = split_chinese(exc.zh)
        details = "\n".join(d for d in (tail, exc.en) if d)
        return text, details
    if isinstance(exc, OSError):
        where = f"“{exc.filename}”" if exc.filename else ""
        return tr("无法读写{where}：{reason}").format(where=where, reason=os_reason(exc)), str(exc)
    return tr("发生了意外错误（{name}）。").format(name=type(exc).__name__), str(exc)
