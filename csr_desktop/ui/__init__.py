"""PySide6 user interface: a thin view on the core that sends it commands."""

from csr_desktop.ui.pyside_fixes import skip_feature_scan

skip_feature_scan()  # before the window's modules are imported: see pyside_fixes
