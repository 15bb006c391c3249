"""The command line (Typer) and the fact browser (Textual)."""
