"""The decode ladder: encodings read, binaries and undecodable bytes refused with one line."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tibet_facts.store.decode import decode_document, read_document
from tibet_facts.store.errors import DecodeError
from tibet_facts.store.sanitize import clean_controls, has_controls, safe_text

TEXT = "2025年西藏全区网络零售额280.2亿元，龑䶮𠀀。\nOnline retail sales: 28 billion yuan."


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-32"), "utf-32"),
        (TEXT.encode("gb18030"), "gb18030"),
    ],
)
def test_encodings_read_to_the_same_text(data: bytes, encoding: str) -> None:
    decoded = decode_document(data, "doc.txt")
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_gbk_text_reads_as_gb18030() -> None:
    text = "西藏电子商务进农村综合示范县"
    assert decode_document(text.encode("gbk"), "a.txt").text == text


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "no text"),
        (b"  \n\t ", "no text"),
        (codecs.BOM_UTF8, "no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(100), "binary"),
        ("中文".encode("big5") + b"\xff\xfe\xfd" * 3, "cannot decode"),
    ],
)
def test_bad_input_is_refused_in_one_line(data: bytes, words: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode_document(data, "bad\x1b[2J.txt")
    message = str(info.value)
    assert words in message and "\n" not in message and "\x1b" not in message


def test_paths_that_are_not_files(tmp_path: Path) -> None:
    with pytest.raises(DecodeError, match="no such file"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(DecodeError, match="not a regular file"):
        read_document(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2000)
    with pytest.raises(DecodeError, match="over the limit"):
        read_document(big, max_bytes=1000)


def test_controls_are_replaced_one_for_one() -> None:
    raw = "a\x1b]52;c;aGk=\x07b\u202ec\u200bd\x9be"
    cleaned = clean_controls(raw)
    assert len(cleaned) == len(raw)
    assert not has_controls(cleaned)
    assert "\x1b" not in safe_text(raw) and "\x9b" not in safe_text(raw)


@given(st.binary(max_size=400))
def test_decoder_only_ever_raises_decode_error(data: bytes) -> None:
    try:
        decoded = decode_document(data, "fuzz.bin")
    except DecodeError:
        return
    assert not has_controls(decoded.text)


@given(st.text(max_size=200))
def test_utf8_text_round_trips(text: str) -> None:
    try:
        decoded = decode_document(text.encode("utf-8"), "t.txt")
    except DecodeError:
        return
    assert decoded.text == clean_controls(decoded.text)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected(codec: str) -> None:
    decoded = decode_document(TEXT.encode(codec), "nobom.txt")
    assert decoded.text == TEXT and decoded.encoding == codec
