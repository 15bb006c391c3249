"""The console script's entry point: a ctrl-c while the command line is still being imported
ends quietly with status 130, as one during a command does (no traceback)."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from tibet_facts.tui.cli import main as run
    except KeyboardInterrupt:
        sys.exit(130)
    run()
