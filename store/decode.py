"""Turn a document's bytes into text, or refuse it with a reason that names the file.

The decode ladder (shared/RELIABILITY.md): an explicit encoding wins; then a BOM (UTF-32 before
UTF-16, since the UTF-32-LE BOM starts with the UTF-16-LE one); binary data is refused; then
strict UTF-8; then strict GB18030 when the result reads as Chinese text. Never latin-1, never
errors="ignore": a wrong guess would store garbage that looks like facts.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tibet_facts.store.errors import DecodeError
from tibet_facts.store.sanitize import clean_controls, safe_text

MAX_BYTES = 20 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]{0,2000}>", re.S | re.I)
_BLOCK_TAG = re.compile(r"</?(p|div|br|li|h[1-6]|tr|section|article)\b", re.I)


@dataclass(frozen=True, slots=True)
class Decoded:
    """A document's text, sanitized, with the encoding it was read in."""

    text: str
    encoding: str


def sniff_bom(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or more than about 1 % C0 controls (other than tab, LF, CR, FF) mean binary."""
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(1, len(sample) // 100)


def _mostly_chinese(text: str) -> bool:
    """A GB18030 reading is accepted only if it reads as CJK, ASCII and CJK punctuation."""
    if not text:
        return False
    good = sum(1 for ch in text if ch.isascii() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return good / len(text) >= 0.95


def _bare_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: accepted only when it reads as Chinese/ASCII text with no controls."""
    if len(data) < 8 or len(data) % 2 or b"\x00" not in data[:4096]:
        return None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _mostly_chinese(text) and not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text[:4096]):
            return name
    return None


def _decode_bytes(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise DecodeError(f"cannot decode {name} as {encoding}: {exc}") from None
    bom = sniff_bom(data)
    if bom:
        try:
            text = data.decode(bom)
        except UnicodeDecodeError as exc:
            raise DecodeError(f"cannot decode {name}: bad {bom} at offset {exc.start}") from None
        return text.lstrip("\ufeff"), bom
    bare = _bare_utf16(data)
    if bare:
        return data.decode(bare), bare
    if looks_binary(data):
        raise DecodeError(f"{name}: binary data, not a text document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first = exc
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if _mostly_chinese(text):
        return text, "gb18030"
    byte = data[first.start]
    raise DecodeError(
        f"cannot decode {name}: not UTF-8 or GB18030 (byte 0x{byte:02x} at offset {first.start}); pass --encoding"
    )


def normalize_newlines(text: str) -> str:
    """CRLF and CR become LF; NFC so that composed and decomposed forms compare alike."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def strip_html(text: str) -> str:
    """Tags out, block tags as line breaks, entities decoded: an HTML page read as its text."""
    text = _BLOCK_TAG.sub(lambda m: "\n" + m.group(0), text)
    return html.unescape(_TAG.sub("", text))


def decode_document(data: bytes, name: str = "<bytes>", *, encoding: str | None = None,
                    is_html: bool = False) -> Decoded:
    """Bytes -> sanitized text; raises DecodeError (one line, naming the file) and nothing else."""
    shown = safe_text(name, single_line=True)
    return _cleaned(_decoded(data, shown, encoding), shown, is_html)


def _decoded(data: bytes, shown: str, encoding: str | None) -> tuple[str, str]:
    if not data or data.isspace():  # not data.strip(): that copies a huge file
        raise DecodeError(f"{shown}: no text (empty file)")
    return _decode_bytes(data, shown, encoding)


def _cleaned(decoded: tuple[str, str], shown: str, is_html: bool) -> Decoded:
    text, used = decoded
    text = normalize_newlines(text)
    if is_html:
        text = strip_html(text)
    text = clean_controls(text)
    if not text or text.isspace():
        raise DecodeError(f"{shown}: no text (only white space)")
    return Decoded(text=text, encoding=used)


def read_document(path: Path, *, encoding: str | None = None, max_bytes: int = MAX_BYTES) -> Decoded:
    """Read and decode one file, refusing what is not a regular readable file of sane size."""
    shown = safe_text(str(path), single_line=True)
    try:
        if not path.exists():
            raise DecodeError(f"{shown}: no such file")
        if not path.is_file():
            raise DecodeError(f"{shown}: not a regular file")
        size = path.stat().st_size
        if size > max_bytes:
            raise DecodeError(f"{shown}: {size} bytes is over the limit of {max_bytes} (pass --max-bytes)")
        data = path.read_bytes()
    except OSError as exc:
        raise DecodeError(f"{shown}: cannot read ({exc.strerror or exc})") from None
    decoded = _decoded(data, shown, encoding)
    del data  # the bytes go before the text is cleaned (a huge file is not held three times)
    return _cleaned(decoded, shown, path.suffix.lower() in {".html", ".htm"})
