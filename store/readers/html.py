"""Web pages: the article without the page around it, and what the page says about itself.

A saved news page is mostly not the article: menus, a ticker, ads, related links, a footer, and
scripts holding numbers of their own. trafilatura (with htmldate for the date) finds the article
and reads the page's metadata: its title without the site's suffix, the publication date, the
site's name, the canonical URL. Its output tree is written out here block by block, a blank line
between paragraphs, each table as sentences (tables.py), so that the document's text is the
article as a person reads it, and facts point into that text.

The charset is the one the caller was told (an HTTP header), else the page's BOM or its
`<meta charset>`, else what the text decoder finds (UTF-8, GB18030): a page saved as GBK that
says so reads right, and a page that names a wrong single-byte charset over UTF-8 bytes too.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from tibet_facts.store.decode import decode_document, looks_binary, sniff_bom
from tibet_facts.store.errors import DecodeError
from tibet_facts.store.readers import ReadDocument, clean_block, joined
from tibet_facts.store.readers.tables import add_table

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I
)
_LANG = re.compile(r"""<html\b[^>]{0,500}?\blang\s*=\s*["']?([A-Za-z]{2})""", re.I)
# GB2312 and GBK pages often hold characters only GB18030 has: read them with the superset.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
_SINGLE_BYTE = {"latin-1", "iso8859-1", "cp1252", "ascii"}
HEAD_BYTES = 4096


def declared_charset(data: bytes, given: str | None) -> str | None:
    """The charset to decode with: a BOM's, else the given one, else the page's <meta>; None
    when none is declared (or the declared one is unknown) and the decoder should find it."""
    if sniff_bom(data):
        return None  # the decoder reads the BOM itself, as the HTML standard says it must
    name = given
    if not name:
        m = _META_CHARSET.search(data[:HEAD_BYTES])
        name = m.group(1).decode("ascii") if m else None
    if not name:
        return None
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    return _SUPERSETS.get(canonical, canonical)


def decode_page(data: bytes, name: str, charset: str | None = None) -> tuple[str, str]:
    """The page as text and the charset it was read in; DecodeError when it is not text."""
    if looks_binary(data) and not sniff_bom(data):  # an explicit charset skips the decoder's check
        raise DecodeError(f"{name}: binary data, not a web page")
    declared = declared_charset(data, charset)
    if declared in _SINGLE_BYTE and _is_utf8(data):
        declared = None  # a page that calls its UTF-8 bytes latin-1 (a CMS default)
    if declared:
        try:
            decoded = decode_document(data, name, encoding=declared)
            return decoded.text, decoded.encoding
        except DecodeError:
            pass  # a wrong declaration: the decoder's own ladder decides
    decoded = decode_document(data, name)
    return decoded.text, decoded.encoding


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_html(
    data: bytes, name: str, *, charset: str | None = None, url: str | None = None
) -> ReadDocument:
    """A web page's article and metadata; DecodeError naming the file when it holds no text."""
    page, encoding = decode_page(data, name, charset)
    found = _extract(page, url)
    if found is None or found.body is None:
        raise DecodeError(f"{name}: no article text found in the page")
    blocks = [clean_block(b) for b in body_blocks(found.body)]
    meta = page_meta(found, page, url)
    title = meta.get("title", "")
    if title and (not blocks or blocks[0].strip() != title):
        blocks.insert(0, clean_block(title))  # the headline frames the figures under it
    text = joined(blocks)
    if not text.strip():
        raise DecodeError(f"{name}: no article text found in the page")
    return ReadDocument(text=text, kind="html", encoding=encoding, meta=meta)


def _extract(page: str, url: str | None) -> Any:
    """trafilatura's article and metadata: precise first (no boilerplate), then with recall for
    a page so bare that precision finds nothing in it."""
    import trafilatura

    options: dict[str, Any] = {
        "url": url,
        "include_tables": True,
        "include_comments": False,
        "include_images": False,
        "include_links": False,
        "include_formatting": False,
        "with_metadata": True,
        "deduplicate": False,
    }
    found: Any = trafilatura.bare_extraction(page, favor_precision=True, **options)
    if found is None or found.body is None or not "".join(found.body.itertext()).strip():
        found = trafilatura.bare_extraction(page, favor_recall=True, **options)
    return found


def warm_up() -> None:
    """One small extraction: trafilatura's first call sets itself up (~0.3 s), which a reader
    process forked after this one need not repeat."""
    _extract("<html><body><article><p>warm up 1</p></article></body></html>", None)


def page_meta(found: Any, page: str, url: str | None) -> dict[str, str]:
    """title, date, publisher, source (the canonical URL, else the one fetched) and language."""
    meta = {
        "title": found.title or "",
        "date": found.date or "",
        "publisher": found.sitename or found.hostname or "",
        "source": url or found.url or "",
        "language": _language(page),
    }
    return {key: " ".join(value.split()) for key, value in meta.items() if value}


def _language(page: str) -> str:
    """zh or en from <html lang>; "" for any other (the text then decides)."""
    m = _LANG.search(page[:HEAD_BYTES])
    lang = m.group(1).lower() if m else ""
    return lang if lang in ("zh", "en") else ""


def body_blocks(body: Any) -> list[str]:
    """trafilatura's output tree as blocks of text: headings and paragraphs, a list's items a line
    each, a table as sentences."""
    blocks: list[str] = []
    for element in body:
        if element.tag == "table":
            add_table(blocks, table_grid(element))
        elif element.tag == "list":
            blocks.append("\n".join(element_text(item) for item in element.iter("item")))
        else:
            blocks.append(element_text(element))
    return blocks


def table_grid(table: Any) -> list[list[str]]:
    """A table's cells, row by row."""
    return [[element_text(cell) for cell in row.iter("cell")] for row in table.iter("row")]


def element_text(element: Any) -> str:
    """An element's text, a line break where the page broke the line."""
    for lb in element.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    return "".join(element.itertext()).strip()
