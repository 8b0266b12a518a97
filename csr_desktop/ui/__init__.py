"""PySide6 user interface: a thin view on the core that sends it commands."""
