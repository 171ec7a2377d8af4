"""What the public search reads on every request that depends only on the published directory:
the taxonomy, the boroughs, the taxonomy's phrases, the languages services offer and each
filter's counts over every public service (the facets when nothing is typed or chosen).

It is kept in each process and rebuilt when the directory changes. "Changes" is read from
`DirectoryChange`, which database triggers write on any change to services, taxonomy terms or
boroughs (one row per transaction, renewed by every statement), so the version is exact and
transactional: one cheap query per request, and no write path can forget to invalidate it.
Nothing the public typed or chose is part of the key or the value (DESIGN §5), and nothing
goes to Redis, so the public pages do not depend on it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from django.db import connection

from directory.models import TaxonomyTerm, Vocabulary
from directory.querysets import hidden_before
from partnership.models import Borough


@dataclass(frozen=True)
class Published:
    terms: dict[str, TaxonomyTerm]  # by code, in vocabulary and position order
    boroughs: dict[str, Borough]  # by slug, in name order
    phrases: tuple[tuple[str, ...], ...]  # multi-word synonyms, longest first
    languages: list[str]  # codes at least one public service offers
    facets: dict[str, dict]  # each filter group's counts over every public service, and "total"

    def terms_of(self, vocabulary: str) -> list[TaxonomyTerm]:
        return [t for t in self.terms.values() if t.vocabulary == vocabulary]

    @property
    def service_types(self) -> list[TaxonomyTerm]:
        return self.terms_of(Vocabulary.SERVICE_TYPE)


_lock = threading.Lock()
_built: tuple[tuple, Published] | None = None


def published() -> Published:
    """The published directory's reference data, rebuilt only after the directory changed (or
    the day changed: services become hidden twelve months after their last check)."""
    global _built
    key = (directory_version(), hidden_before())
    built = _built
    if built is not None and built[0] == key:
        return built[1]
    with _lock:
        if _built is None or _built[0] != key:
            _built = (key, _build())
        return _built[1]


def directory_version() -> tuple[int, int | None]:
    """Changes so far (committed, or this transaction's latest statement)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(id) FROM directory_directorychange")
        count, newest = cursor.fetchone()
    return count, newest


def _build() -> Published:
    from directory.search import facets_of_everyone, normalise

    terms = {t.code: t for t in TaxonomyTerm.objects.order_by("vocabulary", "position")}
    phrases = {
        words
        for term in terms.values()
        for synonym in term.synonyms
        if len(words := tuple(normalise(synonym).split())) > 1
    }
    reference = Published(
        terms=terms,
        boroughs={b.slug: b for b in Borough.objects.order_by("name")},
        phrases=tuple(sorted(phrases, key=len, reverse=True)),
        languages=[],
        facets={},
    )
    facets = facets_of_everyone(reference)
    del facets["open_now"]  # changes by the minute: counted with each search
    return replace(reference, languages=sorted(facets["language"]), facets=facets)
