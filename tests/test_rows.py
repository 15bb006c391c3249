"""The store's file format (store/db/rows.py), byte for byte: the layout a writer makes, the
rows a reader gets back, and the exact words of each refusal of a damaged file."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tibet_facts.store.db import rows
from tibet_facts.store.db.rows import (
    DAMAGED_HINT,
    NotLines,
    check_store_data,
    dump_chunks,
    empty_store,
    iter_rows,
    parse_store_bytes,
    read_store_file,
    schema_version,
)
from tibet_facts.store.errors import StoreCorrupt, StoreTooNew

P = Path("/x/facts.json")
HINT = "; the file was left as it is (try `tibet-facts restore-backup` or move it away)"
DATA = {"_meta": {"1": {"schema_version": 1}},
        "facts": {"1": {"id": "a", "doc": "d.txt"}, "2": {"id": "b", "doc": "d.txt"}},
        "documents": {}}
LINES = (b'{\n"_meta":{\n"1":{"schema_version":1}\n},\n"facts":{\n"1":{"id":"a","doc":"d.txt"},\n'
         b'"2":{"id":"b","doc":"d.txt"}\n},\n"documents":{\n}\n}\n')


def test_the_hint_and_the_schema() -> None:
    assert DAMAGED_HINT == HINT
    assert (rows.SCHEMA_VERSION, rows.META_TABLE) == (1, "_meta")
    assert empty_store() == {"_meta": {"1": {"schema_version": 1}}}


def test_a_store_is_written_one_row_a_line() -> None:
    chunks = list(dump_chunks(DATA))
    assert b"".join(chunks) == LINES
    # A header or a row a chunk, never the whole file in one buffer.
    assert chunks[:3] == [b"{\n", b'"_meta":{\n', b'"1":{"schema_version":1}\n']
    assert chunks[-1] == b"}\n" and len(chunks) == 11


def test_odd_table_names_and_keys_are_json_strings() -> None:
    data = {'a"b': {7: {"x": 1}}}
    assert b"".join(dump_chunks(data)) == b'{\n"a\\"b":{\n"7":{"x":1}\n}\n}\n'


def test_rows_come_back_as_table_key_row_triples() -> None:
    got = list(iter_rows(io.BytesIO(LINES)))
    assert got == [("_meta", None, None), ("_meta", "1", {"schema_version": 1}),
                   ("facts", None, None), ("facts", "1", {"id": "a", "doc": "d.txt"}),
                   ("facts", "2", {"id": "b", "doc": "d.txt"}), ("documents", None, None)]


def test_repeated_strings_of_rows_are_one_object() -> None:
    got = [row for _, key, row in iter_rows(io.BytesIO(LINES)) if key and "doc" in row]
    assert got[0]["doc"] is got[1]["doc"]
    # Ids are not among the shared fields: two equal ids stay two objects (no lookup cost).
    assert "id" not in rows._SHARED and "doc_id" in rows._SHARED and "encoding" in rows._SHARED


def test_every_shared_field_is_shared() -> None:
    row = b"".join(b'"%s":"v%s",' % (k.encode(), k.encode()) for k in rows._SHARED)[:-1]
    raw = b'{\n"t":{\n"1":{' + row + b'},\n"2":{' + row + b'}\n}\n}\n'
    first, second = [r for _, k, r in iter_rows(io.BytesIO(raw)) if k]
    assert all(first[k] is second[k] for k in rows._SHARED)
    assert first == {k: f"v{k}" for k in rows._SHARED}


def test_a_row_that_is_not_an_object_is_given_as_it_is() -> None:
    raw = b'{\n"t":{\n"1":{"a":1},\n"2":{"b":[1,2]}\n}\n}\n'
    assert [r for _, k, r in iter_rows(io.BytesIO(raw)) if k] == [{"a": 1}, {"b": [1, 2]}]


def test_rows_of_a_refused_table_are_matched_not_parsed() -> None:
    got = list(iter_rows(io.BytesIO(LINES), lambda table: table == "_meta"))
    assert got == [("_meta", None, None), ("_meta", "1", {"schema_version": 1}),
                   ("facts", None, None), ("facts", "1", None), ("facts", "2", None),
                   ("documents", None, None)]


@pytest.mark.parametrize(("raw", "reason"), [
    (b'{"_meta":{}}\n', "first line"),
    (b"{\n}\n}\n", "bytes after the end"),
    (b'{\n"t":[\n', "table"),
    (b'{\n"t":{\n"1":[1]\n}\n}\n', "row"),
    (b'{\n"t":{\n"x":{}\n}\n}\n', "row"),
    (b'{\n"t":{\n"1":{}\n', "not closed"),
    (b'{\n"t":{\n"1":{}\n}\n', "not closed"),
    (b"{\n", "not closed"),
])
def test_a_file_in_another_layout_says_where(raw: bytes, reason: str) -> None:
    with pytest.raises(NotLines) as info:
        list(iter_rows(io.BytesIO(raw)))
    assert info.value.args == (reason,)
    assert issubclass(NotLines, ValueError)


def test_a_closing_brace_with_a_comma_ends_a_table() -> None:
    raw = b'{\n"a":{\n},\n"b":{\n"1":{"k":2}\n}\n}\n'
    assert list(iter_rows(io.BytesIO(raw))) == [("a", None, None), ("b", None, None), ("b", "1", {"k": 2})]


def test_an_escaped_table_name_is_read_back() -> None:
    raw = b'{\n"a\\"b":{\n"12":{}\n}\n}\n'
    assert list(iter_rows(io.BytesIO(raw))) == [('a"b', None, None), ('a"b', "12", {})]


@pytest.mark.parametrize(("raw", "message"), [
    (b"", "store /x/facts.json is empty" + HINT),
    (b" \n\t", "store /x/facts.json is empty" + HINT),
    (b"[1]", "store /x/facts.json is not a tibet-facts store (wrong shape)" + HINT),
    (b'{"a":1}', "store /x/facts.json is not a tibet-facts store (wrong shape)" + HINT),
    (b'{"facts":{}}', "store /x/facts.json has no schema version: not a tibet-facts store" + HINT),
    (b'{"_meta":{"1":{"schema_version":"1"}}}',
     "store /x/facts.json has no schema version: not a tibet-facts store" + HINT),
    (b'{"_meta":{"1":{"schema_version":0}}}',
     "store /x/facts.json has schema 0: not a tibet-facts store" + HINT),
    (b'{"_meta":{"1":{"schema_version":-3}}}',
     "store /x/facts.json has schema -3: not a tibet-facts store" + HINT),
])
def test_a_damaged_store_is_refused_in_words(raw: bytes, message: str) -> None:
    with pytest.raises(StoreCorrupt) as info:
        parse_store_bytes(raw, P)
    assert str(info.value) == message


def test_invalid_json_names_what_the_parser_said() -> None:
    with pytest.raises(StoreCorrupt) as info:
        parse_store_bytes(b'{"_meta": nope', P)
    with pytest.raises(rows.orjson.JSONDecodeError) as parsed:
        rows.orjson.loads(b'{"_meta": nope')
    said = parsed.value.args[0]
    assert str(info.value) == f"store /x/facts.json is not valid JSON ({said[:60]}){HINT}"


def test_a_long_parser_message_is_cut_at_sixty_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    class Parser:  # orjson as the module sees it, with a long complaint
        JSONDecodeError = rows.orjson.JSONDecodeError

        @staticmethod
        def loads(raw: bytes) -> None:
            raise rows.orjson.JSONDecodeError("x" * 100, "", 0)

    monkeypatch.setattr(rows, "orjson", Parser)
    with pytest.raises(StoreCorrupt) as info:
        parse_store_bytes(b"{}", P)
    assert str(info.value) == f"store /x/facts.json is not valid JSON ({'x' * 60}){HINT}"


def test_a_newer_schema_asks_for_an_upgrade() -> None:
    with pytest.raises(StoreTooNew) as info:
        parse_store_bytes(b'{"_meta":{"1":{"schema_version":2}}}', P)
    assert str(info.value) == "store /x/facts.json has schema 2, newer than this tibet-facts (1): upgrade"


def test_the_current_schema_is_accepted_whole() -> None:
    data = {"_meta": {"1": {"schema_version": 1}}, "facts": {"1": {"id": "a"}}}
    assert check_store_data(data, P) is data
    assert parse_store_bytes(b'{"_meta":{"1":{"schema_version":1}},"facts":{}}', P) == {
        "_meta": {"1": {"schema_version": 1}}, "facts": {}}


def test_a_path_with_controls_is_shown_on_one_line() -> None:
    with pytest.raises(StoreCorrupt) as info:
        parse_store_bytes(b"", Path("/x/a\nb\x1b.json"))
    assert str(info.value) == "store /x/a b\ufffd.json is empty" + HINT


def test_the_schema_version_is_the_first_integer_one() -> None:
    assert schema_version({}) is None
    assert schema_version({"_meta": None}) is None
    assert schema_version({"_meta": {"1": "x", "2": {"schema_version": True}}}) == 1  # bool is an int
    assert schema_version({"_meta": {"1": {"other": 1}, "2": {"schema_version": 5}}}) == 5
    assert schema_version({"_meta": {"1": {"schema_version": 3}, "2": {"schema_version": 5}}}) == 3
    assert type(schema_version({"_meta": {"1": {"schema_version": True}}})) is int


def test_a_store_file_in_lines_is_read_a_row_at_a_time(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "facts.json"
    path.write_bytes(LINES)

    def no_whole_parse(raw: bytes, path: Path) -> None:
        raise AssertionError("parsed whole")

    monkeypatch.setattr(rows, "parse_store_bytes", no_whole_parse)
    got = read_store_file(path)
    assert got == {"_meta": {"1": {"schema_version": 1}},
                   "facts": {"1": {"id": "a", "doc": "d.txt"}, "2": {"id": "b", "doc": "d.txt"}},
                   "documents": {}}


@pytest.mark.parametrize("raw", [
    b'{"_meta":{"1":{"schema_version":1}},"facts":{"1":{"id":"a"}}}',
    b'{\n  "_meta": {"1": {"schema_version": 1}},\n  "facts": {"1": {"id": "a"}}\n}\n',
    # Lines at first, then a row that is not JSON: parsed whole, which reads it.
    b'{\n"_meta":{\n"1":{"schema_version":1}\n},\n"facts":{\n"1":{"id" : "a"}\n}\n}\n',
])
def test_a_store_file_in_another_layout_is_parsed_whole(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "facts.json"
    path.write_bytes(raw)
    assert read_store_file(path) == {"_meta": {"1": {"schema_version": 1}}, "facts": {"1": {"id": "a"}}}


def test_a_row_that_is_not_json_in_a_lines_file_is_named_by_the_whole_parse(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_bytes(b'{\n"_meta":{\n"1":{"schema_version":1}\n},\n"facts":{\n"1":{"id":a}\n}\n}\n')
    with pytest.raises(StoreCorrupt) as info:
        read_store_file(path)
    assert str(info.value).startswith(f"store {path} is not valid JSON (")


def test_a_lines_file_that_is_not_utf8_is_parsed_whole(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_bytes(b'{\n"\xff":{\n}\n}\n')
    with pytest.raises(StoreCorrupt) as info:
        read_store_file(path)
    assert str(info.value).startswith(f"store {path} is not valid JSON (")


def test_a_lines_file_of_an_old_schema_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_bytes(b'{\n"_meta":{\n"1":{"schema_version":9}\n}\n}\n')
    with pytest.raises(StoreTooNew) as info:
        read_store_file(path)
    assert str(info.value) == f"store {path} has schema 9, newer than this tibet-facts (1): upgrade"


def test_an_absent_store_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_store_file(tmp_path / "none.json")


def test_a_folder_is_not_a_store_file(tmp_path: Path) -> None:
    with pytest.raises(StoreCorrupt) as info:
        read_store_file(tmp_path)
    assert str(info.value) == f"store {tmp_path} is a folder, not a file"


def test_an_unreadable_store_file_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "facts.json"
    path.write_bytes(LINES)

    def refuse(*args: object, **kw: object) -> None:
        raise PermissionError(13, os.strerror(13))

    monkeypatch.setattr(rows, "open", refuse, raising=False)  # this module's open only
    with pytest.raises(StoreCorrupt) as info:
        read_store_file(path)
    assert str(info.value) == f"cannot read store {path}: Permission denied"
