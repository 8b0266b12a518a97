"""The shell every page shares: built on first show, inside a scroll area, refreshed from the
project whenever the core reports a change."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget, QWizardPage

from csr_desktop.ui.session import Session


class FitScrollArea(QScrollArea):
    """Gives the page its minimum height, not its preferred one, before scrolling: at
    1280×720 the editors shrink to fit; only at large scale factors does the page scroll.
    (QScrollArea's own resizing uses the preferred height once a label wraps.)

    Start-up time: the viewport is created here, set up as QScrollArea sets up its own, so
    that Python holds it from the start. Fetching the one Qt made (`viewport()`) would make
    PySide6 look through every QWidget subclass for its type, building ~50 classes and their
    enums (10–20 ms) before the first page can be shown. Enum properties are set by name for
    the same reason: the `Qt` namespace costs 20–30 ms to build (see `build_forms`).
    (QScrollArea gives its viewport the background role NoRole, a new widget's default.)

    The content's layout requests are watched by a separate object, not by overriding this
    class's eventFilter: the scroll area also filters its scroll bars' events, and each would
    then be a call into Python (and build PySide6's scroll bar classes before the first paint)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        viewport = self._viewport = QWidget()
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setAutoFillBackground(True)
        self.setViewport(viewport)
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setProperty("horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        self.setProperty("focusPolicy", "NoFocus")
        self._content: QWidget | None = None
        self._watcher = _LayoutWatcher(self)

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        self._content = widget
        widget.installEventFilter(self._watcher)
        if self.isVisible():  # otherwise the first resize event fits it, once, at its size
            self.fit()

    def fit(self) -> None:
        widget = self._content
        layout = widget.layout() if widget is not None else None
        if widget is None or layout is None:
            return
        viewport = self._viewport
        for _ in range(2):  # a scroll bar appearing narrows the viewport: fit once more
            width = viewport.width()
            if layout.hasHeightForWidth():
                needed = layout.minimumHeightForWidth(width)
            else:
                needed = layout.minimumSize().height()
            widget.resize(width, max(viewport.height(), needed))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()


class _LayoutWatcher(QObject):
    """Refits the scroll area when its content's layout changes (an evidence row added)."""

    def __init__(self, area: FitScrollArea) -> None:
        super().__init__(area)
        self._area = area

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self._area.fit()
        return False


class LazyPage(QWizardPage):
    """Subclasses implement `build(content)` and `refresh(keys)`; no state of their own."""

    def __init__(self, session: Session, title: str) -> None:
        super().__init__()
        self.session = session
        self.setTitle(title)
        self.built = False  # no layout either until then: 31 layouts cost start-up time
        session.changed.connect(self._changed)

    def ensure_built(self) -> None:
        if self.built:
            return
        self.built = True
        scroll = FitScrollArea(self)
        content = QWidget(scroll)
        self.build(content)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.refresh(None)

    def build(self, content: QWidget) -> None:
        raise NotImplementedError

    def refresh(self, keys: frozenset[str] | None) -> None:
        """Show what the project holds; `keys` None means everything."""
        raise NotImplementedError

    def refresh_bindings(self, keys: frozenset[str] | None) -> None:
        # the session's list, not findChildren(): that would wrap every child object in Python
        for binding in self.session.bindings():
            if (keys is None or binding.key in keys) and self.isAncestorOf(binding.widget):
                binding.refresh()

    def first_focus(self) -> QWidget | None:
        """Where the keyboard lands when the page is shown."""
        return None

    def _changed(self, keys: frozenset[str]) -> None:
        if self.built:
            self.refresh(keys)

    def initializePage(self) -> None:
        self.ensure_built()

    def cleanupPage(self) -> None:
        """Going back must not reset anything: the answers live in the project."""
