"""Word files (.docx): paragraphs and tables in the order the document has them.

python-docx reads the body; a table becomes sentences (tables.py) with the paragraph just above
it as its caption. A .docx is a zip: before python-docx opens it, the sizes its members declare
are added up and a file that would unpack to more than UNPACKED_MAX is refused (a zip bomb).
Python's zipfile never inflates a member past its declared size, so the declared sizes bound
what is read. The core properties give the title, the author (as publisher) and a creation date.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from tibet_facts.store.errors import DecodeError
from tibet_facts.store.readers import ReadDocument, clean_block, joined
from tibet_facts.store.readers.tables import add_table

UNPACKED_MAX = 100 << 20
MEMBERS_MAX = 10_000
TEMPLATE_CREATED = "2013-12-23T23:15:00"  # python-docx's default template's creation time


def check_zip(data: bytes, name: str) -> None:
    """Refuse a file that is not a zip, or that would unpack to too much (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DecodeError(f"{name}: not a readable Word file ({exc})") from None
    unpacked = sum(m.file_size for m in members)
    if len(members) > MEMBERS_MAX or unpacked > UNPACKED_MAX:
        raise DecodeError(
            f"{name}: unpacks to {unpacked >> 20} MB in {len(members)} parts, over the limit "
            f"of {UNPACKED_MAX >> 20} MB (a zip bomb?); not read"
        )


def read_docx(data: bytes, name: str) -> ReadDocument:
    """A Word file's text and metadata; DecodeError naming the file when it cannot be read."""
    check_zip(data, name)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DecodeError(f"{name}: not a readable Word file ({type(exc).__name__})") from None
    text = joined([clean_block(b) for b in body_blocks(document)])
    if not text.strip():
        raise DecodeError(f"{name}: no text in the Word file")
    return ReadDocument(text=text, kind="docx", meta=core_meta(document.core_properties))


def body_blocks(document: Any) -> list[str]:
    """Paragraphs a block each, tables as sentences, in the body's order."""
    from docx.table import Table

    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            add_table(blocks, table_grid(item))
        elif item.text.strip():
            blocks.append(item.text)
    return blocks


def table_grid(table: Any) -> list[list[str]]:
    """A table's cells row by row; a merged cell once (python-docx repeats it for each column)."""
    grid = []
    for row in table.rows:
        cells: list[str] = []
        last = None
        for cell in row.cells:
            if cell._tc is not last:
                cells.append(cell.text)
            last = cell._tc
        grid.append(cells)
    return grid


def core_meta(props: Any) -> dict[str, str]:
    """title, publisher (the author) and the creation date, a weak date (see corpus.make_source);
    not the values python-docx's own template carries (a file it made without setting them)."""
    created = props.created.isoformat() if props.created else ""
    meta = {
        "title": " ".join((props.title or "").split()),
        "publisher": " ".join((props.author or "").split()),
        "created": "" if created.startswith(TEMPLATE_CREATED) else created[:10],
    }
    return {key: value for key, value in meta.items() if value and value != "python-docx"}
