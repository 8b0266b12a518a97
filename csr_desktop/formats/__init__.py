"""Qt-free file formats: interchange JSON, Excel, PDF and the submission package."""
