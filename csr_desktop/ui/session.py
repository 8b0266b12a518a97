"""One open project as the UI sees it: the core's change notices as a Qt signal, every edit
guarded so a failure becomes a Chinese message box, and the pending-typing buffers to flush."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from csr_desktop.core.errors import CsrError
from csr_desktop.core.store import Project
from csr_desktop.ui import dialogs
from csr_desktop.ui.i18n import tr

T = TypeVar("T")


class TextBinding(Protocol):
    """One text widget's typing, as the session keeps it (`ui/binding.py` makes them; the
    session only lists, flushes and reports them, so it never imports the binding)."""

    @property
    def key(self) -> str: ...

    @property
    def widget(self) -> QWidget: ...

    @property
    def label(self) -> str: ...

    @property
    def pending(self) -> bool: ...  # typing waits for its debounce

    @property
    def invalid(self) -> bool: ...  # the text waiting is not a value the field accepts

    def flush(self) -> bool: ...

    def refresh(self) -> None: ...

    def problem(self) -> str: ...

    def discard(self) -> None: ...


class Session(QObject):
    """Owns the open `Project`; widgets listen to `changed` and send edits through `edit`."""

    changed = Signal(object)  # frozenset[str] of field keys, after the core committed them
    pending_changed = Signal()  # typing waits to be saved, or has just been saved
    damaged_found = Signal()  # a stored file failed its hash check (marks may change)

    def __init__(self, project: Project, window: QWidget | None = None) -> None:
        super().__init__()
        self.project = project
        self.window = window
        self._bindings: list[TextBinding] = []
        self._blob_ok: dict[str, bool] = {}
        self._unsubscribe = project.subscribe(self._on_change)

    @property
    def readonly(self) -> bool:
        return self.project.readonly

    def _on_change(self, keys: frozenset[str]) -> None:
        self.changed.emit(keys)

    def edit(self, action: Callable[[], Any]) -> bool:
        """Run one core command; a CsrError is shown (naming the file) and the project is
        left as it was. Returns False if it failed."""
        return self.run(lambda: action() or True) is not None

    def run(self, operation: Callable[[], T]) -> T | None:
        """Run one operation (`core/operations`) and return what it changed; None if it
        failed, after showing why (a CsrError naming the file, a value refused)."""
        try:
            return operation()
        except CsrError as exc:
            dialogs.failure(self.window, tr("未能保存"), exc)
            return None
        except ValueError as exc:
            dialogs.error(self.window, tr("输入有误"), tr("输入的内容无法保存。"), str(exc))
            return None

    # ---- typing buffers -------------------------------------------------------------------

    def register(self, binding: TextBinding) -> None:
        self._bindings.append(binding)

    def unregister(self, binding: TextBinding) -> None:
        if binding in self._bindings:
            self._bindings.remove(binding)

    def bindings(self) -> list[TextBinding]:
        return list(self._bindings)

    @property
    def pending(self) -> bool:
        """Typing waits for its debounce (a value the field refuses does not count)."""
        return any(b.pending and not b.invalid for b in self._bindings)

    def invalid(self) -> list[TextBinding]:
        """Fields whose text is not a value they accept: not saved until corrected."""
        return [b for b in self._bindings if b.pending and b.invalid]

    def unsaved(self) -> list[TextBinding]:
        """Fields whose text could not be saved (the disk or the file refused it)."""
        return [b for b in self._bindings if b.pending and not b.invalid]

    def flush(self) -> bool:
        """Save every text still waiting for its debounce; False if one could not be saved
        (a value a field refuses is not saved, and not counted here: see `invalid`)."""
        ok = True
        for binding in list(self._bindings):
            ok = binding.flush() and ok
        return ok

    # ---- stored files ---------------------------------------------------------------------

    def blob_ok(self, sha256: str) -> bool:
        """Hash check of a stored file, once per session: stored files never change."""
        if sha256 not in self._blob_ok:
            ok = self._blob_ok[sha256] = self.project.file_is_intact(sha256)
            if not ok:
                self.damaged_found.emit()
        return self._blob_ok[sha256]

    def known_blob_ok(self, sha256: str) -> bool:
        """The hash check's result if it was made this session; unchecked files count as
        intact (the side list must not read every stored file at start-up)."""
        return self._blob_ok.get(sha256, True)

    def close(self) -> None:
        from csr_desktop.ui import opened_copies  # ~0.7 ms, at close

        self._unsubscribe()
        self._bindings.clear()
        self.project.close()
        opened_copies.remove_all(id(self))
