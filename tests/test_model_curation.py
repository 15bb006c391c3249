"""The records (store/model.py) and the checking and sharing of corrections (store/curation.py),
rebuild's report (store/rebuild.py), text safety and quantities: exact values of every field."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tibet_facts.store import curation
from tibet_facts.store.errors import TibetFactsError
from tibet_facts.store.model import CORRECTABLE, Correction, Document, Fact, doc_id_for, fact_id, years_in
from tibet_facts.store.quantify import read_quantities
from tibet_facts.store.rebuild import RebuildReport
from tibet_facts.store.sanitize import clean_controls, has_controls, safe_text

FACT = Fact(id="i", doc_id="d", doc="n.txt", start=3, end=5, quote="q", value=1.5, unit="亿元",
            base_value=1.5e8, base_unit="CNY", region="西藏自治区", region_en="Tibet Autonomous Region",
            region_path=["西藏自治区"])
EMPTY = {"fact_id": "a", "rejected": False, "metric_zh": None, "metric_en": None, "region": None,
         "period": None, "topic": None, "metric_id": None, "kind": None}


def test_ids_are_stable_hashes() -> None:
    assert fact_id("d", 1, 2) == "ef792cc4c698"
    assert doc_id_for("abc") == "ba7816bf8f01cfea"
    assert doc_id_for("") == "e3b0c44298fc1c14"
    big = "藏" * ((1 << 20) + 5)  # hashed a piece at a time: the same digest as at once
    import hashlib
    assert doc_id_for(big) == hashlib.sha256(big.encode()).hexdigest()[:16]


def test_years_of_a_period() -> None:
    assert years_in("2021..2025") == (2021, 2025)
    assert years_in("as of 2019-08") == (2019,)
    assert years_in("12020 1899 2100") == ()
    assert replace(FACT, period="2021..2025").year == 2021
    assert replace(FACT, period="unknown").year is None


def test_a_facts_defaults_and_dict() -> None:
    assert FACT.to_dict() == {
        "id": "i", "doc_id": "d", "doc": "n.txt", "start": 3, "end": 5, "quote": "q", "value": 1.5,
        "unit": "亿元", "base_value": 1.5e8, "base_unit": "CNY", "metric_zh": "", "metric_en": "",
        "metric_id": "", "region": "西藏自治区", "region_en": "Tibet Autonomous Region",
        "region_path": ["西藏自治区"], "period": "unknown", "topic": "economy_general", "kind": "level",
        "qualifier": "exact", "quote_start": 0, "sentence_start": 0, "sentence_end": 0, "page": 0}
    data = FACT.to_dict()
    assert data["region_path"] is not FACT.region_path  # a copy: the record is never shared
    assert Fact.from_dict({**data, "from_a_newer_version": 1}) == FACT
    assert Fact.from_dict(data) == FACT


def test_a_documents_defaults_and_pages() -> None:
    doc = Document(id="d", name="n")
    assert doc.to_dict() == {"id": "d", "name": "n", "title": "", "publisher": "unknown", "date": "unknown",
                             "language": "zh", "source": "", "encoding": "utf-8", "file_type": "text",
                             "pages": [], "text": ""}
    assert doc.page_at(5) == 0
    paged = replace(doc, pages=[0, 10, 20])
    assert [paged.page_at(i) for i in (0, 9, 10, 19, 20, 99)] == [1, 1, 2, 2, 3, 3]


def test_a_correction_merges_field_by_field() -> None:
    assert CORRECTABLE == ("metric_zh", "metric_en", "metric_id", "region", "period", "topic", "kind")
    base = Correction(fact_id="a")
    assert base.to_dict() == EMPTY and base.is_empty() and base.fields() == {}
    one = base.merged({"region": "昌都市", "rejected": 1})
    assert one.to_dict() == {**EMPTY, "region": "昌都市", "rejected": True}
    assert one.rejected is True and not one.is_empty()
    two = one.merged({"topic": "ecommerce", "rejected": 0, "region": ""})
    assert two.to_dict() == {**EMPTY, "topic": "ecommerce"}
    assert two.fields() == {"topic": "ecommerce"} and not two.is_empty()
    assert Correction(fact_id="a", rejected=True).is_empty() is False
    with pytest.raises(KeyError):
        base.merged({"value": 1})


def test_a_correction_applies_to_a_copy() -> None:
    corr = Correction(fact_id="i", region="昌都市", topic="ecommerce", kind="rate")
    got = corr.apply(FACT)
    assert got.to_dict() == {**FACT.to_dict(), "region": "昌都市", "region_en": "Qamdo",
                             "region_path": ["西藏自治区", "昌都市"], "topic": "ecommerce", "kind": "rate"}
    assert FACT.region == "西藏自治区"
    unknown = Correction(fact_id="i", region="某地").apply(FACT)
    assert (unknown.region, unknown.region_en, unknown.region_path) == ("某地", "某地", ["某地"])
    same = Correction(fact_id="i", region="西藏自治区").apply(replace(FACT, region_en="kept"))
    assert same.region_en == "kept"


# --- curation -----------------------------------------------------------------------------

def test_places_are_checked_and_named_officially() -> None:
    assert curation.check_region("Qamdo") == "昌都市"
    with pytest.raises(curation.CorrectionError) as info:
        curation.check_region("Nowhere")
    assert str(info.value) == "unknown place 'Nowhere'" and info.value.exit_code == 2
    with pytest.raises(curation.CorrectionError) as info:
        curation.check_region("Qamdoo")
    assert str(info.value).startswith("unknown place 'Qamdoo' (closest: Qamdo, ")


@pytest.mark.parametrize("period", ["2025", "2025-08", "2021..2025", "2025-01..2025-08", "as of 2025-08",
                                    "unknown", "1999", "as of 2020"])
def test_good_periods(period: str) -> None:
    assert curation.check_period(period) == period


@pytest.mark.parametrize("period", ["2025-13", "2025-00", "1899", "2101", "as of", "2025..", "25", "2025 ",
                                    "xunknown", "2025-1"])
def test_bad_periods(period: str) -> None:
    with pytest.raises(curation.CorrectionError) as info:
        curation.check_period(period)
    assert str(info.value) == (f"period {period!r}: wants 2025, 2025-08, 2021..2025, 2025-01..2025-08, "
                               "'as of 2025-08' or unknown")


def test_topics_and_kinds_are_in_their_vocabularies() -> None:
    with pytest.raises(curation.CorrectionError) as info:
        curation.checked({"kind": "levl"})
    assert str(info.value) == "unknown kind 'levl' (closest: level); one of level, change, rate, share"
    with pytest.raises(curation.CorrectionError) as info:
        curation.checked({"topic": "zzz"})
    assert str(info.value).startswith("unknown topic 'zzz'; one of ecommerce, logistics, ")
    with pytest.raises(curation.CorrectionError) as info:
        curation.checked({"value": "1"})
    assert str(info.value) == "value cannot be corrected"


def test_changes_are_cleaned_and_checked() -> None:
    got = curation.checked({"region": " Qamdo ", "metric_en": " a\nb\x1b ", "topic": "ecommerce",
                            "kind": "rate", "period": "", "rejected": True, "metric_zh": None})
    assert got == {"region": "昌都市", "metric_en": "a b\ufffd", "topic": "ecommerce", "kind": "rate",
                   "period": "", "rejected": True, "metric_zh": None}


def test_corrections_are_shared_as_sorted_json() -> None:
    text = curation.dump({"b": Correction("b", rejected=True), "a": Correction("a", region="昌都市")})
    assert text.endswith("}\n") and "昌都市" in text and text.count("\n ") == 26
    assert json.loads(text) == {"format": "tibet-facts corrections", "version": 1, "corrections": [
        {**EMPTY, "region": "昌都市"}, {**EMPTY, "fact_id": "b", "rejected": True}]}


def test_a_corrections_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(curation.dump({"a": Correction("a", region="昌都市", kind="rate"),
                                   "b": Correction("b", rejected=True)}), encoding="utf-8")
    assert [c.to_dict() for c in curation.load(path)] == [
        {**EMPTY, "region": "昌都市", "kind": "rate"}, {**EMPTY, "fact_id": "b", "rejected": True}]
    path.write_text('[{"fact_id": 7, "topic": "ecommerce", "region": null}]', encoding="utf-8")
    assert [c.to_dict() for c in curation.load(path)] == [{**EMPTY, "fact_id": "7", "topic": "ecommerce"}]


@pytest.mark.parametrize(("content", "message"), [
    ("{", "{path} is not a corrections file (JSONDecodeError)"),
    ('{"x": 1}', "{path} is not a corrections file (KeyError)"),
    ("[1]", "{path} is not a corrections file (TypeError)"),
    ('[{"region": "x"}]', "{path} is not a corrections file (KeyError)"),
    ('[{"fact_id": "a", "region": "Nowhere"}]', "{path}: unknown place 'Nowhere'"),
    ('[{"fact_id": "a", "value": 1}]', "{path}: value cannot be corrected"),
    ("3", "{path} is not a corrections file (TypeError)"),
])
def test_a_bad_corrections_file_is_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "c.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TibetFactsError) as info:
        curation.load(path)
    assert str(info.value) == message.format(path=path)


def test_an_unreadable_corrections_file_says_why(tmp_path: Path) -> None:
    with pytest.raises(TibetFactsError) as info:
        curation.load(tmp_path / "none.json")
    assert str(info.value) == f"cannot read {tmp_path / 'none.json'}: No such file or directory"
    assert type(info.value) is TibetFactsError


# --- rebuild's report, text safety, quantities ----------------------------------------------

def test_a_rebuild_report_in_words() -> None:
    report = RebuildReport(before=5, after=4, added=["x"], removed=["a", "b"], changed=["c"], unchanged=2,
                           corrections_kept=3, corrections_orphaned=["o"], skipped_documents=["s.txt"])
    assert report.lines() == ["facts before 5, after 4: 1 added, 2 removed, 1 changed, 2 unchanged",
                              "corrections re-applied 3, without their fact 1",
                              "kept the old facts of s.txt: its text is not in the store",
                              "nothing written"]
    report.committed = True
    assert report.lines()[-1] == "kept the old facts of s.txt: its text is not in the store"
    assert RebuildReport(committed=True).lines() == [
        "facts before 0, after 0: 0 added, 0 removed, 0 changed, 0 unchanged",
        "corrections re-applied 0, without their fact 0"]


def test_controls_are_blanked_or_replaced() -> None:
    text = "a\x00b\tc\nd\x1b[2Je\x7f\x9f\u200b\u202e\u2066\ufeff\ufffbf"
    assert clean_controls(text) == "a b\tc\nd [2Je       f"
    assert len(clean_controls(text)) == len(text)
    assert safe_text(text) == "a\ufffdb\tc\nd\ufffd[2Je" + "\ufffd" * 7 + "f"
    assert safe_text(text, single_line=True) == "a\ufffdb c d\ufffd[2Je" + "\ufffd" * 7 + "f"
    assert safe_text(12) == "12"
    assert has_controls("x\u2060") and not has_controls("x\t\ny\u2065") and not has_controls("")


def test_quantities_with_offsets_into_the_text_as_given() -> None:
    got = read_quantities("收入１２．５亿元。")
    assert got == [{"start": 2, "end": 6, "unit_end": 8, "text": "１２．５", "value": 12.5, "unit": "亿元",
                    "base_value": 1.25e9, "base_unit": "CNY", "qualifier": "exact",
                    "role": "amount", "low_high": ""}]
    assert read_quantities("") == []
