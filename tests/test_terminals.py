"""SSH-like terminals (U5): the browser starts, moves and quits cleanly under every common TERM,
with no COLORTERM (as over a plain SSH session), and restores the terminal when it leaves."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from tests.ptyrun import PtyProgram
from tibet_facts.store.repository import FactStore

EXE = str(Path(sys.executable).parent / "tibet-facts")


def _session(env: dict[str, str], keys: list[bytes], ready: bytes) -> tuple[bytes, int | None]:
    """Run the browser on a pty: wait until `ready` is painted, type keys, return output and exit code."""
    program = PtyProgram([EXE], env)
    program.drain(15, ready)
    program.type(keys, 0.4)
    status = program.wait()
    return bytes(program.out), status


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
    """Run the browser on a pty until it has painted, send it a signal, return output and exit code."""
    program = PtyProgram([EXE], env)
    program.drain(15, b"facts")
    program.signal(sig)
    status = program.wait()
    return bytes(program.out), status


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


def _env(store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "NO_COLOR", "TEXTUAL_DRIVER")}
    env.update(TERM="xterm-256color", TIBET_FACTS_STORE=str(store), COLUMNS="80", LINES="24")
    return env


def test_the_browser_on_a_damaged_store_says_so_and_quits_with_65(tmp_path: Path) -> None:
    store = tmp_path / "facts.json"
    store.write_text("{not json")
    output, status = _session(_env(store), [b"q"], ready=b"cannot open the store")
    assert b"cannot open the store" in output
    assert status == 65
    assert store.read_text() == "{not json"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_browser_whose_terminal_is_gone_still_ends_on_a_signal(sample_store: FactStore,
                                                                 sig: signal.Signals) -> None:
    """The terminal stops being read (its tmux server died, its SSH link hangs): the loop may
    block in a write, and the signal must still end the process, within EXIT_GRACE."""
    import time

    program = PtyProgram([EXE], _env(sample_store.path))
    program.drain(15, b"facts")
    for _ in range(200):  # keys whose echoes nobody reads: the pty's buffer fills
        try:
            os.write(program.fd, b"\x1b[B\x1b[A")
        except OSError:
            break
    started = time.monotonic()
    program.signal(sig)
    deadline = started + 8
    status = None
    while time.monotonic() < deadline:
        done, code = os.waitpid(program.pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(code)
            break
        time.sleep(0.05)
    if status is None:
        program.signal(signal.SIGKILL)
        os.waitpid(program.pid, 0)
    os.close(program.fd)
    assert status == 128 + sig, "the browser outlived the signal"
