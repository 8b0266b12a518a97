"""Evidence files inside the project: the names other modules import; see `storage/blobs.py`."""

from csr_desktop.core.storage.blobs import (
    CHUNK_SIZE,
    Progress,
    StoredFile,
    file_size,
    input_error,
)

__all__ = ["CHUNK_SIZE", "Progress", "StoredFile", "file_size", "input_error"]
