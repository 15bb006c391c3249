"""`python -m tibet_facts.tui`: the same entry point as the console script."""

from tibet_facts.tui.entry import main

main()
