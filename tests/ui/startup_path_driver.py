"""Start the real app on PROJECT as `csr-desktop --terminate-after-init PROJECT` does and print,
as JSON, what had happened by the first paint of its page and by its exit.

    python startup_path_driver.py PROJECT

{"modules": [...imported by the first paint...], "enums": [...PySide6 enum classes built by
then...], "sources_read": [...modules whose source file was read (linecache) by then...],
"before_app": [...modules imported before the app's, PySide6 included...],
"gc_at_paint": bool, "gc_after": bool (0.3 s after the paint), "code": int}
"""

from __future__ import annotations

import enum
import gc
import json
import linecache
import sys
from typing import Any

built: list[str] = []
_create = enum.EnumType._create_


def _recording_create(cls: Any, class_name: str, *args: Any, **kw: Any) -> Any:
    built.append(class_name)
    return _create(cls, class_name, *args, **kw)


def sources_read() -> list[str]:
    """Modules whose source is in linecache: read whole at import by somebody."""
    return sorted(
        name
        for name, module in list(sys.modules.items())
        if getattr(module, "__file__", None) in linecache.cache
    )


def main(project: str) -> int:
    enum.EnumType._create_ = _recording_create  # type: ignore[assignment,method-assign]
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

    before_app = sorted(sys.modules)
    from csr_desktop import app

    seen: dict[str, Any] = {}

    def later() -> None:
        seen["gc_after"] = gc.isenabled()
        QCoreApplication.quit()

    def at_paint(self: Any, watched: QObject, event: QEvent) -> bool:
        if not seen and event.type() == QEvent.Type.Paint:
            seen.update(
                before_app=before_app,
                modules=sorted(sys.modules),
                enums=list(built),
                sources_read=sources_read(),
                gc_at_paint=gc.isenabled(),
            )
            QTimer.singleShot(300, later)
        return False

    app._QuitOnFirstPaint.eventFilter = at_paint  # type: ignore[method-assign]
    from csr_desktop.cli import main as cli_main

    code = cli_main(["--terminate-after-init", project])
    print(json.dumps({**seen, "code": code}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
