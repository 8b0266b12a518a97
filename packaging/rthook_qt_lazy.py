"""Runtime hook replacing PyInstaller's `pyi_rth_pyside6`, which imports PySide6.QtCore at
every start: ~90 ms (Qt Core + ICU) that a headless command such as `csr-desktop-cli
--version` or `validate` never needs. This hook sets the same environment at once and runs the
same qt.conf step only when the app itself first imports PySide6.QtCore.
"""


def _pyi_rthook() -> None:
    import importlib.abc
    import importlib.machinery
    import os
    import sys

    meipass = sys._MEIPASS  # type: ignore[attr-defined]
    win = sys.platform.startswith("win")
    qt_dir = os.path.join(meipass, "PySide6") if win else os.path.join(meipass, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_dir, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt_dir, "qml")
    if win:  # as pyi_rth_pyside6: DLLs collected next to the app must be found by Qt
        os.environ["PATH"] = meipass + os.pathsep + os.environ.get("PATH", "")

    class _AfterQtCore(importlib.abc.MetaPathFinder):
        """Once PySide6.QtCore is loaded, make sure Qt's prefix is the bundle (a no-op when
        PySide6 already registered its own qt.conf, as the PyPI wheels do)."""

        def find_spec(self, name, path, target=None):  # type: ignore[no-untyped-def]
            if name != "PySide6.QtCore":
                return None
            sys.meta_path.remove(self)
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is None or spec.loader is None:
                return spec
            loader = spec.loader
            exec_module = loader.exec_module

            def exec_then_relocate(module):  # type: ignore[no-untyped-def]
                exec_module(module)
                from _pyi_rth_utils import qt as qt_rth_utils

                qt_rth_utils.create_embedded_qt_conf("PySide6", qt_dir)

            loader.exec_module = exec_then_relocate  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, _AfterQtCore())


_pyi_rthook()
del _pyi_rthook
