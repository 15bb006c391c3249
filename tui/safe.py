"""Untrusted text for widgets: always a Rich Text with control characters removed, never markup."""

from __future__ import annotations

from rich.text import Text

from tibet_facts.store.sanitize import safe_text


def to_text(value: object, style: str = "", *, single_line: bool = True) -> Text:
    """A Text that renders exactly the characters given (minus controls), whatever brackets it holds."""
    return Text(safe_text(value, single_line=single_line), style=style, no_wrap=False)
