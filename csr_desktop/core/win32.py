"""The few kernel32 calls `core/system.py` needs on Windows, as plain Python values.

Why apart: the decisions (denied = alive, a changed creation time = dead) live in
`system.WindowsSystem` and are tested on any OS against a fake of `Win32`; this module only
translates ctypes, and is loaded on Windows alone.
"""

from __future__ import annotations

import ctypes
from typing import Any, Protocol

PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
GENERIC_READ = 0x80000000
FILE_SHARE_READ = 0x1
FILE_SHARE_WRITE = 0x2  # not FILE_SHARE_DELETE (0x4): nobody deletes or replaces a held lock
OPEN_EXISTING = 3
FILE_ATTRIBUTE_NORMAL = 0x80
COMPUTER_NAME_DNS_HOSTNAME = 1


class Win32(Protocol):
    def computer_name(self) -> str: ...

    def session_id(self) -> int | None:
        """ProcessIdToSessionId of this process."""
        ...

    def open_process(self, pid: int) -> tuple[int | None, int]:
        """OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION): (handle, 0) or (None, last error)."""
        ...

    def process_created(self, handle: int) -> int | None:
        """GetProcessTimes' creation time (FILETIME as an int), None if it fails."""
        ...

    def exit_code(self, handle: int) -> int | None:
        """GetExitCodeProcess (259 = still running), None if it fails."""
        ...

    def close_handle(self, handle: int) -> None: ...

    def open_without_delete_sharing(self, path: str) -> int:
        """CreateFileW(GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING);
        raises OSError with the Windows error."""
        ...

    def drive_type(self, root: str) -> int:
        """GetDriveTypeW(root)."""
        ...

    def file_attributes(self, path: str) -> int:
        """GetFileAttributesW(path); 0 when it fails (INVALID_FILE_ATTRIBUTES)."""
        ...


class Kernel32:
    """The real calls (Windows only)."""

    def __init__(self) -> None:
        from ctypes import wintypes

        self._w = wintypes
        k: Any = getattr(ctypes, "WinDLL")("kernel32", use_last_error=True)  # noqa: B009 - absent on POSIX for mypy
        handle, dword, pdword = wintypes.HANDLE, wintypes.DWORD, ctypes.POINTER(wintypes.DWORD)
        pft = ctypes.POINTER(wintypes.FILETIME)
        k.OpenProcess.argtypes = [dword, wintypes.BOOL, dword]
        k.OpenProcess.restype = handle
        k.GetProcessTimes.argtypes = [handle, pft, pft, pft, pft]
        k.GetProcessTimes.restype = wintypes.BOOL
        k.GetExitCodeProcess.argtypes = [handle, pdword]
        k.GetExitCodeProcess.restype = wintypes.BOOL
        k.CloseHandle.argtypes = [handle]
        k.CloseHandle.restype = wintypes.BOOL
        k.GetCurrentProcessId.argtypes = []
        k.GetCurrentProcessId.restype = dword
        k.ProcessIdToSessionId.argtypes = [dword, pdword]
        k.ProcessIdToSessionId.restype = wintypes.BOOL
        k.GetComputerNameExW.argtypes = [ctypes.c_int, wintypes.LPWSTR, pdword]
        k.GetComputerNameExW.restype = wintypes.BOOL
        k.CreateFileW.argtypes = [
            wintypes.LPCWSTR,
            dword,
            dword,
            ctypes.c_void_p,
            dword,
            dword,
            handle,
        ]
        k.CreateFileW.restype = handle
        k.GetDriveTypeW.argtypes = [wintypes.LPCWSTR]
        k.GetDriveTypeW.restype = wintypes.UINT
        k.GetFileAttributesW.argtypes = [wintypes.LPCWSTR]
        k.GetFileAttributesW.restype = dword
        self._k = k
        self._invalid = ctypes.c_void_p(-1).value

    def _last_error(self) -> int:
        return int(getattr(ctypes, "get_last_error")())  # noqa: B009 - absent on POSIX for mypy

    def computer_name(self) -> str:
        size = self._w.DWORD(256)
        buf = ctypes.create_unicode_buffer(size.value)
        if not self._k.GetComputerNameExW(COMPUTER_NAME_DNS_HOSTNAME, buf, ctypes.byref(size)):
            import socket

            return socket.gethostname()
        return buf.value

    def session_id(self) -> int | None:
        sid = self._w.DWORD()
        if not self._k.ProcessIdToSessionId(self._k.GetCurrentProcessId(), ctypes.byref(sid)):
            return None
        return int(sid.value)

    def open_process(self, pid: int) -> tuple[int | None, int]:
        h = self._k.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
        if not h:
            return None, self._last_error()
        return int(h), 0

    def process_created(self, handle: int) -> int | None:
        times = [self._w.FILETIME() for _ in range(4)]
        if not self._k.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
            return None
        created = times[0]
        return (int(created.dwHighDateTime) << 32) | int(created.dwLowDateTime)

    def exit_code(self, handle: int) -> int | None:
        code = self._w.DWORD()
        if not self._k.GetExitCodeProcess(handle, ctypes.byref(code)):
            return None
        return int(code.value)

    def close_handle(self, handle: int) -> None:
        self._k.CloseHandle(handle)

    def open_without_delete_sharing(self, path: str) -> int:
        h = self._k.CreateFileW(
            path,
            GENERIC_READ,
            FILE_SHARE_READ | FILE_SHARE_WRITE,
            None,
            OPEN_EXISTING,
            FILE_ATTRIBUTE_NORMAL,
            None,
        )
        if not h or h == self._invalid:
            exc: OSError = getattr(ctypes, "WinError")(self._last_error())  # noqa: B009
            exc.filename = path
            raise exc
        return int(h)

    def drive_type(self, root: str) -> int:
        return int(self._k.GetDriveTypeW(root))

    def file_attributes(self, path: str) -> int:
        attrs = int(self._k.GetFileAttributesW(path))
        return 0 if attrs == 0xFFFFFFFF else attrs
