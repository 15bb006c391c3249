"""Readers of the documents users actually have: saved web pages, PDFs, Word files, fetched URLs.

Each reader turns a file's bytes into the text the document is read as: the article of a web page
without its menus and footer, a PDF's text layer page by page, a Word file's paragraphs and tables
in order, and every table's rows as sentences (tables.py). That text is what facts point into,
what `show` and the document view display; the original type, and a PDF's pages (where each one
starts in the text), are kept on the document.

Nothing here is imported by a lookup: the libraries (trafilatura, pypdfium2, python-docx, httpx)
cost a few hundred milliseconds to import, and are loaded only when a document is read. Readers
run in a child process (sandbox.py) with a memory and time limit, so that a PDF bomb, a zip bomb
or a page that sends a library into a loop ends in one line naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tibet_facts.store.decode import neutralize_controls, normalize_newlines

# The file types read here, by suffix; anything else is read as plain text by store/decode.py.
KINDS = {".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".docx": "docx"}


@dataclass(slots=True)
class ReadDocument:
    """A document as read: its text, what it says about itself, and where its pages start."""

    text: str
    kind: str  # "html", "pdf" or "docx": the original file's type
    encoding: str = ""  # the charset a web page was decoded from; "" for binary formats
    meta: dict[str, str] = field(default_factory=dict)  # title, date, publisher, language, source
    pages: list[int] = field(default_factory=list)  # a PDF's: the offset where each page starts


def kind_of(path: Path) -> str | None:
    """The reader for a file name, or None for a text file."""
    return KINDS.get(path.suffix.lower())


def clean_block(text: str) -> str:
    """A block of read text as stored: newlines as LF, NFC, each control blanked to a space."""
    return neutralize_controls(normalize_newlines(text))


def joined(blocks: list[str]) -> str:
    """Blocks (paragraphs, headings, table rows) as one text, a blank line between paragraphs."""
    return "\n\n".join(b for b in (block.strip() for block in blocks) if b)


def read_bytes(
    data: bytes, kind: str, name: str, *, charset: str | None = None, url: str | None = None
) -> ReadDocument:
    """Read a document of a known kind in this process; DecodeError (one line) when it cannot."""
    if kind == "html":
        from tibet_facts.store.readers.html import read_html

        return read_html(data, name, charset=charset, url=url)
    if kind == "pdf":
        from tibet_facts.store.readers.pdf import read_pdf

        return read_pdf(data, name)
    from tibet_facts.store.readers.docx import read_docx

    return read_docx(data, name)
