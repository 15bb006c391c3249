"""The store against a model (F6): random sequences of ingests, re-ingests, corrections, reopens,
lost indexes and writes by another handle; after every step the store, opened through its index
and through its JSON alike, holds exactly what the model says was committed."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from tibet_facts.store.db.index import index_path
from tibet_facts.store.model import Correction, Document, Fact, doc_id_for, fact_id
from tibet_facts.store.repository import FactStore

REGIONS = ["西藏自治区", "昌都市", "拉萨市"]


def make_doc(n: int) -> tuple[Document, list[Fact]]:
    text = f"第{n}篇。" + "".join(f"指标{k}为{n * 10 + k}亿元。" for k in range(3))
    doc = Document(id=doc_id_for(text), name=f"{n:03d}.txt", title=f"doc {n}", text=text)
    facts = []
    for k in range(3):
        number = str(n * 10 + k)
        start = text.index(f"为{number}亿元") + 1
        end = start + len(number) + 2
        facts.append(Fact(id=fact_id(doc.id, start, end), doc_id=doc.id, doc=doc.name, start=start, end=end,
                          quote=text[start:end], value=float(number), unit="亿元", base_value=float(number) * 1e8,
                          base_unit="CNY", metric_zh=f"指标{k}", region=REGIONS[k], region_path=[REGIONS[0]]))
    return doc, facts


class StoreMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="tf-model-"))
        self.path = self.folder / "facts.json"
        self.store = FactStore.open(self.path)
        self.facts: dict[str, Fact] = {}  # the model: committed facts by id
        self.texts: dict[str, str] = {}
        self.corrections: dict[str, Correction] = {}

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(n=st.integers(0, 6))
    def ingest(self, n: int) -> None:
        doc, facts = make_doc(n)
        self.store.add([doc], facts)
        if doc.id not in self.texts:
            self.texts[doc.id] = doc.text
            self.facts.update((f.id, f) for f in facts)

    @rule(data=st.data(), rejected=st.booleans(), region=st.sampled_from([None, *REGIONS]))
    def correct(self, data: st.DataObject, rejected: bool, region: str | None) -> None:
        if not self.facts:
            return
        target = data.draw(st.sampled_from(sorted(self.facts)))
        corr = Correction(fact_id=target, rejected=rejected, region=region)
        self.store.set_correction(corr)
        self.corrections[target] = corr

    @rule()
    def reopen(self) -> None:
        self.store = FactStore.open(self.path)

    @rule()
    def lose_the_index(self) -> None:
        index_path(self.path).unlink(missing_ok=True)

    @rule(n=st.integers(7, 9))
    def another_handle_writes(self, n: int) -> None:
        """A second process commits; ours must notice and build on it, not overwrite it."""
        other = FactStore.open(self.path)
        doc, facts = make_doc(n)
        added = other.add([doc], facts)
        if doc.id not in self.texts:
            assert added.documents == 1 and self.store.changed_on_disk()
            self.texts[doc.id] = doc.text
            self.facts.update((f.id, f) for f in facts)
        else:
            assert added.documents == 0

    def expected_visible(self) -> dict[str, Fact]:
        out = {}
        for fid, fact in self.facts.items():
            corr = self.corrections.get(fid)
            if corr is None:
                out[fid] = fact
            elif not corr.rejected:
                out[fid] = corr.apply(fact)
        return out

    @invariant()
    def store_matches_model(self) -> None:
        for opened in (FactStore.open(self.path), self._from_json()):
            assert {f.id: f for f in opened.facts} == self.facts, "the extracted facts"
            visible = {f.id: f for f in opened.visible_facts()}
            assert visible == self.expected_visible(), "corrections applied, rejected hidden"
            for doc_id, text in self.texts.items():
                doc = opened.document(doc_id)
                assert doc is not None and doc.text == text

    def _from_json(self) -> FactStore:
        """The same store read the slow way, as if the index were gone."""
        saved = self.folder / "index.saved"
        index = index_path(self.path)
        had = index.exists()
        if had:
            shutil.copy2(index, saved)
            index.unlink()
        try:
            store = FactStore.open(self.path)
            store.facts  # noqa: B018 - read everything while the index is away
        finally:
            if had:
                shutil.copy2(saved, index)
        return store


# CI runs 30 sequences; HYPOTHESIS_PROFILE=soak runs 1,000.
_SOAK = os.environ.get("HYPOTHESIS_PROFILE") == "soak"
StoreMachine.TestCase.settings = settings(max_examples=1000 if _SOAK else 30, stateful_step_count=12, deadline=None)
TestStoreModel = StoreMachine.TestCase


def test_model_doc_is_well_formed() -> None:
    doc, facts = make_doc(3)
    assert all(doc.text[f.start:f.end] == f.quote for f in facts)
    assert replace(facts[0]) == facts[0]
