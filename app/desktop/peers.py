"""Who is at the other end of a local connection: only a process of this same user is ever trusted.

Linux asks the kernel (`SO_PEERCRED`), macOS and the BSDs `LOCAL_PEERCRED`; Windows compares the user of the
process serving (or calling) the named pipe with this process's own. Standard library only (the single-instance
client runs in every CLI command and must start fast); the Windows calls are `ctypes`, behind `WindowsApi` so
tests can stand in for them.
"""

from __future__ import annotations

import os
import socket
import struct
import sys
from typing import Protocol


def unix_peer_uid(fd: int) -> int | None:
    """The user id of the process at the other end of the Unix socket `fd`, or None when the system will not say."""
    with socket.socket(fileno=os.dup(fd)) as sock:
        if hasattr(socket, "SO_PEERCRED"):
            _pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                                  struct.calcsize("3i")))
            return int(uid)
        if hasattr(socket, "LOCAL_PEERCRED"):  # struct xucred: version, uid, ngroups, groups[16]
            raw = sock.getsockopt(0, socket.LOCAL_PEERCRED, struct.calcsize("2Ih16I"))
            return int(struct.unpack_from("2I", raw)[1])
    return None


class WindowsApi(Protocol):
    def pipe_peer_pid(self, handle: int, server: bool) -> int | None:
        """The process id serving the pipe (`server`) or calling it."""

    def user_sid(self, pid: int) -> str | None:
        """The string SID of the user a process runs as."""


def windows_peer_is_ours(handle: int, server: bool, api: WindowsApi | None = None) -> bool:
    """Whether the process at the other end of the pipe `handle` runs as this process's user."""
    api = api or _Win32()
    pid = api.pipe_peer_pid(handle, server)
    if pid is None:
        return False
    theirs, ours = api.user_sid(pid), api.user_sid(os.getpid())
    return theirs is not None and theirs == ours


def peer_is_ours(fd_or_handle: int, server: bool) -> bool:
    """Whether the other end of a connection (a socket fd, or a pipe handle on Windows) is this user's."""
    if sys.platform == "win32":
        return windows_peer_is_ours(fd_or_handle, server)
    uid = unix_peer_uid(fd_or_handle)
    return uid is not None and uid == os.getuid()


class _Win32:  # pragma: no cover - runs on Windows only
    """The real calls: GetNamedPipe*ProcessId, then the process token's user as a string SID."""

    def __init__(self) -> None:
        import ctypes
        from ctypes import wintypes

        self._ctypes = ctypes
        self._wintypes = wintypes
        self._kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
        self._advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]

    def pipe_peer_pid(self, handle: int, server: bool) -> int | None:
        pid = self._wintypes.ULONG()
        call = self._kernel32.GetNamedPipeServerProcessId if server else self._kernel32.GetNamedPipeClientProcessId
        ok = call(self._wintypes.HANDLE(handle), self._ctypes.byref(pid))
        return int(pid.value) if ok else None

    def user_sid(self, pid: int) -> str | None:
        ctypes, wintypes = self._ctypes, self._wintypes
        process = self._kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not process:
            return None
        token = wintypes.HANDLE()
        try:
            if not self._advapi32.OpenProcessToken(process, 0x0008, ctypes.byref(token)):  # TOKEN_QUERY
                return None
            try:
                needed = wintypes.DWORD()
                self._advapi32.GetTokenInformation(token, 1, None, 0, ctypes.byref(needed))  # TokenUser
                buffer = ctypes.create_string_buffer(needed.value)
                if not self._advapi32.GetTokenInformation(token, 1, buffer, needed, ctypes.byref(needed)):
                    return None
                sid = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_void_p))[0]  # TOKEN_USER.User.Sid
                text = wintypes.LPWSTR()
                if not self._advapi32.ConvertSidToStringSidW(ctypes.c_void_p(sid), ctypes.byref(text)):
                    return None
                try:
                    return str(text.value)
                finally:
                    self._kernel32.LocalFree(text)
            finally:
                self._kernel32.CloseHandle(token)
        finally:
            self._kernel32.CloseHandle(process)
