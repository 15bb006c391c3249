"""Make untrusted document text safe to store and to show.

Document text is data. Terminal control sequences (ESC, C1, OSC 52 clipboard writes, title
changes) and bidi overrides must never reach the screen, and Rich/Textual markup must never be
parsed from it. `clean_controls` runs at ingest and keeps offsets (one placeholder per removed
character); `safe_text` runs again at render for anything else (file names, titles, errors).
"""

from __future__ import annotations

import re

# C0 except \t and \n, DEL, C1, and the Unicode format/bidi controls that reorder or hide text.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
PLACEHOLDER = " "


def clean_controls(text: str) -> str:
    """Replace each control character with one space, so offsets into the text stay valid."""
    return _CONTROLS.sub(PLACEHOLDER, text)


def safe_text(text: object, *, single_line: bool = False) -> str:
    """Any value as text with no control characters; newlines folded when single_line."""
    out = _CONTROLS.sub("\ufffd", str(text))
    if single_line:
        out = out.replace("\n", " ").replace("\t", " ")
    return out


def has_controls(text: str) -> bool:
    """True when text holds a character clean_controls would remove (for tests and checks)."""
    return bool(_CONTROLS.search(text))
