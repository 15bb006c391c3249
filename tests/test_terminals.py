"""SSH-like terminals (U5): the browser starts, moves and quits cleanly under every common TERM,
with no COLORTERM (as over a plain SSH session), and restores the terminal when it leaves."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from tibet_facts.store.repository import FactStore

EXE = str(Path(sys.executable).parent / "tibet-facts")


def _session(env: dict[str, str], keys: list[bytes], ready: bytes) -> tuple[bytes, int | None]:
    """Run the browser on a pty: wait until `ready` is painted, type keys, return output and exit code."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(EXE, [EXE], env)
    out = bytearray()

    def drain(seconds: float, until: bytes | None = None) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if until is not None and until in out:
                return
            ready_fds, _, _ = select.select([fd], [], [], 0.05)
            if ready_fds:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                out.extend(chunk)

    drain(15, ready)
    for key in keys:
        os.write(fd, key)
        drain(0.4)
    status = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        drain(0.2)
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(code)
            break
    if status is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    drain(0.2)
    os.close(fd)
    return bytes(out), status


@pytest.mark.parametrize("term", ["xterm-256color", "xterm", "screen", "tmux-256color", "linux", "vt100"])
def test_browser_starts_moves_and_quits_under_each_term(sample_store: FactStore, term: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "NO_COLOR", "TEXTUAL_DRIVER")}
    env.update(TERM=term, TIBET_FACTS_STORE=str(sample_store.path), COLUMNS="80", LINES="24")
    # down, down, up, the help screen and back, then quit
    output, status = _session(env, [b"\x1b[B", b"\x1b[B", b"\x1b[A", b"?", b"\x1b", b"q"], ready=b"facts")
    assert status == 0, output[-400:]
    assert b"\x1b[?1049h" in output, "the browser uses the alternate screen"
    tail = output[output.rindex(b"\x1b[?1049l"):] if b"\x1b[?1049l" in output else b""
    assert tail, "the alternate screen is left on quit"
    assert b"\x1b[?25h" in output[-200:], "the cursor is shown again"
    assert b"Traceback" not in output


def _signalled(env: dict[str, str], sig: signal.Signals) -> tuple[bytes, int | None]:
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(EXE, [EXE], env)
    out = bytearray()
    deadline = time.monotonic() + 15
    while b"facts" not in out and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.05)[0]:
            try:
                out.extend(os.read(fd, 65536))
            except OSError:
                break
    os.kill(pid, sig)
    status = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 0.05)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            out.extend(chunk)
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(code)
            break
    if status is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)
    return bytes(out), status


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signals_end_the_browser_and_restore_the_terminal(sample_store: FactStore, sig: signal.Signals) -> None:
    """U6: a signal (the SSH session closing, a kill, ctrl-c sent from outside) ends the browser
    and the terminal gets its normal screen and cursor back."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "NO_COLOR", "TEXTUAL_DRIVER")}
    env.update(TERM="xterm-256color", TIBET_FACTS_STORE=str(sample_store.path), COLUMNS="80", LINES="24")
    output, status = _signalled(env, sig)
    assert status == 128 + sig, "the browser ended, reporting the signal in its exit status"
    assert b"\x1b[?1049l" in output[output.rindex(b"\x1b[?1049h"):], "the normal screen is back"
    assert b"Traceback" not in output
