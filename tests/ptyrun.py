"""A program on a pseudo-terminal, for tests that look at the bytes a real terminal would get."""

from __future__ import annotations

import os
import pty
import select
import signal
import time


class PtyProgram:
    """Start a program on a pty; read what it writes, type keys, end it, get its exit status."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child
            os.execvpe(args[0], args, env)
        self.out = bytearray()
        self.status: int | None = None

    def drain(self, seconds: float, until: bytes | None = None) -> None:
        """Read for up to `seconds`, or until `until` has been written."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if until is not None and until in self.out:
                return
            if select.select([self.fd], [], [], 0.05)[0]:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.out.extend(chunk)

    def type(self, keys: list[bytes], pause: float) -> None:
        for key in keys:
            os.write(self.fd, key)
            self.drain(pause)

    def wait(self, timeout: float = 10.0) -> int | None:
        """Its exit status once it ends by itself within `timeout`; killed and None otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.status is None:
            self.drain(0.2)
            done, code = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.status = os.waitstatus_to_exitcode(code)
        if self.status is None:
            self.signal(signal.SIGKILL)
            os.waitpid(self.pid, 0)
        self.drain(0.2)
        os.close(self.fd)
        return self.status

    def signal(self, sig: int) -> None:
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            pass
