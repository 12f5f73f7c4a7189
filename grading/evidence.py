"""Evidence for a grade: the records other apps keep (meetings, dues…) offered to grading's pages, without grading
importing those apps (issue 16, deliver 5).

An app calls ``register_evidence_provider(fn)`` in its ``AppConfig.ready``. A provider takes organization ids and a
year and returns, for each organization it knows something of, a list of ``Evidence``: one figure each (e.g. "支委会
10/12 次"), what is missing, and a link to the records. Grading asks ``evidence_for(org_ids, year)`` once per page (a
provider answers for all the ids in a few queries, never one per organization) and puts each figure beside the
template items whose text or guidance names its records (``evidence_for_item``: the words of ``Evidence.keywords``,
e.g. an item whose guidance says "查支部党员大会、支委会、党小组会和党课记录" gets the 三会一课 figures).

The score stays a person's judgment: evidence is shown, prefilled where a form has room for it, never scored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    """One figure of evidence for one organization's year.

    ``label``: what is counted, in Chinese ("支委会"); ``value``: the figure ("10/12 次", "95%"); ``detail``: what is
    missing ("缺3月、5月"), empty when nothing is; ``shortfall``: the figure falls short of what is required;
    ``url``: the page of the records (scoped like every page: a reader out of scope gets 404 there);
    ``keywords``: words that, found in a template item's text or guidance, put this figure beside that item;
    ``sentence``: the figure as a sentence a self-report may start from (附件1), empty when it has none.
    """

    source: str
    label: str
    value: str
    detail: str = ""
    shortfall: bool = False
    url: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)
    sentence: str = ""


EvidenceProvider = Callable[[Sequence[int], int], Mapping[int, Sequence[Evidence]]]
_providers: list[EvidenceProvider] = []


def register_evidence_provider(fn: EvidenceProvider) -> EvidenceProvider:
    """Add a provider (idempotent: registering the same function twice keeps one)."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def evidence_for(org_ids: Iterable[int], year: int) -> dict[int, list[Evidence]]:
    """Every provider's evidence for these organizations and year: {org id: [Evidence, …]} (every id present)."""
    ids = list(dict.fromkeys(org_ids))
    found: dict[int, list[Evidence]] = {pk: [] for pk in ids}
    if not ids:
        return found
    for provider in list(_providers):
        for pk, items in provider(ids, year).items():
            if pk in found:
                found[pk].extend(items)
    return found


def evidence_for_item(evidence: Sequence[Evidence], *texts: str) -> list[Evidence]:
    """The figures whose keywords appear in an item's text or guidance (in the providers' order)."""
    haystack = " ".join(t for t in texts if t)
    return [e for e in evidence if any(word and word in haystack for word in e.keywords)]


def self_report_sentences(evidence: Sequence[Evidence]) -> str:
    """The sentences a self-report (附件1) may start from: one per figure that has one, in order."""
    return "".join(e.sentence for e in evidence if e.sentence)
