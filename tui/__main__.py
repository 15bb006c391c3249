"""`python -m tibet_facts.tui`: the command line (used by `tibet-facts serve` to start the app)."""

from tibet_facts.tui.cli import main

main()
