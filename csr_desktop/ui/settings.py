"""What the app remembers between runs (QSettings): recent projects, folders, window size.
Never answers: those live in the project file."""

from __future__ import annotations

import zlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class AppSettings:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings if qsettings is not None else QSettings()

    def recent_projects(self) -> list[Path]:
        value = self.q.value("recent/projects", [])
        items: list[object] = [value] if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
        return [Path(str(p)) for p in items if p]

    def add_recent(self, path: Path) -> None:
        path = path.resolve()
        items = [p for p in self.recent_projects() if p != path]
        self.q.setValue("recent/projects", [str(p) for p in [path, *items][:MAX_RECENT]])

    def remove_recent(self, path: Path) -> None:
        items = [p for p in self.recent_projects() if p != path]
        self.q.setValue("recent/projects", [str(p) for p in items])

    def folder(self, kind: str, fallback: Path | None = None) -> str:
        """The folder last used for this kind of file (projects, exports, imports, evidence,
        distribute) if it still exists, else `fallback` (the project's folder), else home."""
        value = self.q.value(f"folders/{kind}", "")
        if value and Path(str(value)).is_dir():
            return str(value)
        return str(fallback) if fallback is not None else str(Path.home())

    def set_folder(self, kind: str, path: Path) -> None:
        self.q.setValue(f"folders/{kind}", str(path.parent))

    def geometry(self) -> QByteArray | None:
        value = self.q.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, value: QByteArray) -> None:
        self.q.setValue("window/geometry", value)

    def last_page(self, project: Path) -> int:
        value = self.q.value(f"pages/{_key(project)}", 0)
        try:
            return int(str(value))
        except ValueError:
            return 0

    def set_last_page(self, project: Path, page_id: int) -> None:
        self.q.setValue(f"pages/{_key(project)}", page_id)

    def sync(self) -> None:
        self.q.sync()


def _key(project: Path) -> str:
    """A short settings key per project path. zlib, not hashlib: loading OpenSSL costs
    milliseconds at start-up, and a collision would only restore the wrong page number."""
    data = str(project.resolve()).encode("utf-8")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def start_folder(widget: object, kind: str, fallback: Path | None) -> str:
    """Where a file dialog opened from `widget` starts: the folder last used for `kind`, else
    `fallback` (the project's folder). The settings are the main window's."""
    settings = _settings_of(widget)
    if settings is None:
        return str(fallback) if fallback is not None else ""
    return settings.folder(kind, fallback)


def remember_folder(widget: object, kind: str, path: Path) -> None:
    settings = _settings_of(widget)
    if settings is not None:
        settings.set_folder(kind, path)


def _settings_of(widget: object) -> AppSettings | None:
    window = getattr(widget, "window", None)
    settings = getattr(window(), "settings", None) if callable(window) else None
    return settings if isinstance(settings, AppSettings) else None
