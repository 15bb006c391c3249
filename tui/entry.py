"""The console script's entry point: a ctrl-c while the command line is still being imported
ends quietly with status 130, as one during a command does (no traceback); running out of
memory there is one line too."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from tibet_facts.tui.cli import main as run
    except KeyboardInterrupt:
        sys.exit(130)
    except MemoryError:  # a memory limit (ulimit -v) too low even to load the command line
        sys.stderr.write("tibet-facts: out of memory while starting (the memory limit is too low)\n")
        sys.exit(70)
    run()
