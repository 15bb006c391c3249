"""Rebuild: re-extract every stored document from its stored text, and say what changed.

A rebuild runs after an upgrade of the extraction. It must never lose a user's facts: it reads
each document's text from the store (the snapshot's metadata carries none), compares the new
facts with the old ones by id (a fact's id is its document and the place of its number, so a
fact found again keeps its id and its corrections), and refuses a result that drops more than
half of the facts unless forced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tibet_facts.store.errors import TibetFactsError
from tibet_facts.store.model import Fact
from tibet_facts.store.repository import FactStore

if TYPE_CHECKING:
    from tibet_facts.store.corpus import Source

# A rebuild that keeps fewer than this share of the facts is more likely a fault than an upgrade.
KEEP_AT_LEAST = 0.5


class RebuildRefused(TibetFactsError):
    """The new extraction would drop too many facts; nothing was written."""

    exit_code = 1


@dataclass
class RebuildReport:
    """What a rebuild found, fact ids compared between the old and the new extraction."""

    before: int = 0
    after: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    corrections_kept: int = 0
    corrections_orphaned: list[str] = field(default_factory=list)
    skipped_documents: list[str] = field(default_factory=list)
    committed: bool = False

    def lines(self) -> list[str]:
        """The summary a person reads: counts first, then the corrections."""
        out = [f"facts before {self.before}, after {self.after}: {len(self.added)} added, "
               f"{len(self.removed)} removed, {len(self.changed)} changed, {self.unchanged} unchanged",
               f"corrections re-applied {self.corrections_kept}, "
               f"without their fact {len(self.corrections_orphaned)}"]
        out += [f"kept the old facts of {name}: its text is not in the store" for name in self.skipped_documents]
        if not self.committed:
            out.append("nothing written")
        return out


def _sources(store: FactStore) -> tuple[list[Source], list[str]]:
    """A Source for every document whose text the store holds; names of the others."""
    from tibet_facts.store.corpus import Source, front_matter

    sources: list[Source] = []
    skipped: list[str] = []
    for meta in store.documents.values():
        doc = store.document(meta.id)
        if doc is None or not doc.text:
            skipped.append(meta.name)
            continue
        sources.append(Source(doc, front_matter(doc.text)[1]))
    return sources, skipped


def _compare(old: dict[str, Fact], new: dict[str, Fact], report: RebuildReport) -> None:
    report.added = sorted(set(new) - set(old))
    report.removed = sorted(set(old) - set(new))
    both = set(old) & set(new)
    report.changed = sorted(i for i in both if old[i].to_dict() != new[i].to_dict())
    report.unchanged = len(both) - len(report.changed)


def rebuild(store: FactStore, *, force: bool = False, dry_run: bool = False) -> RebuildReport:
    """Re-extract every stored document; commit unless it drops over half the facts (and not
    forced) or dry_run. Corrections are kept as they are, keyed by fact id."""
    from tibet_facts.store.ingest import extract_sources

    snap = store.snapshot
    old = {f.id: f for f in store.facts}
    sources, skipped = _sources(store)
    facts_per = extract_sources(sources)
    by_doc = {s.document.id: f for s, f in zip(sources, facts_per, strict=True)}
    kept_docs = {f.doc_id for f in old.values()} - set(by_doc)
    new = {f.id: f for facts in by_doc.values() for f in facts}
    new.update((i, f) for i, f in old.items() if f.doc_id in kept_docs)
    report = RebuildReport(before=len(old), after=len(new), skipped_documents=sorted(skipped))
    _compare(old, new, report)
    report.corrections_kept = sum(1 for i in snap.corrections if i in new)
    report.corrections_orphaned = sorted(i for i in snap.corrections if i not in new)
    if report.before and report.after < report.before * KEEP_AT_LEAST and not force:
        raise RebuildRefused(f"rebuild would keep {report.after} of {report.before} facts; "
                             f"nothing written (--force to commit it)")
    if not dry_run:
        store.replace_facts(by_doc)
        report.committed = True
    return report
