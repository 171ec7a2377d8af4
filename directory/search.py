"""Public search over published services, in PostgreSQL (shared by the page and the ORUK API).

- Free text: a stored, weighted `tsvector` (name A, description B, taxonomy names, synonyms,
  organisation and areas C) so "DV", "coercive control" or "safe house" find the services
  tagged with the term whose synonyms they are. Words are ANDed; if nothing matches, ORed.
- Typos: a query word that appears in no published text is replaced by the most similar word
  that does (pg_trgm over `SearchWord`), so "councelling" and "refuje" still find services.
- Filters are ANDed. Facet counts for each filter group apply every *other* filter, so a count
  equals the number of results that choosing it gives.
- Distance: from the centre of the searcher's postcode district to the nearest public,
  non-confidential location. Confidential locations take no part.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Power, Sqrt
from django.utils import timezone

from directory.geography import KM_PER_DEGREE_LATITUDE, Origin
from directory.models import (
    AreaExtent,
    LocationType,
    SearchWord,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
    Vocabulary,
)
from partnership.models import Borough

MAX_QUERY_LENGTH = 200
SEARCH_CONFIG = "english"
TYPO_SIMILARITY = 0.35
_WORD = re.compile(r"[a-z0-9]+")
WIDE = [AreaExtent.LONDON, AreaExtent.NATIONAL]


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalise(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed, length capped."""
    return " ".join(_WORD.findall(_plain(text)))[:MAX_QUERY_LENGTH]


def words_of(text: str) -> set[str]:
    """Every word of a text (for the typo-correction vocabulary)."""
    return {w for w in _WORD.findall(_plain(text)) if 2 <= len(w) <= 60}


def corrected_words(text: str) -> list[str]:
    """The query's words, each unknown one replaced by the closest known word (if any is close),
    with the taxonomy's phrases ("safe house", "coercive control") kept together as one token."""
    words = normalise(text).split()
    if not words:
        return []
    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    unknown = [w for w in dict.fromkeys(words) if w not in known and len(w) >= 4 and w.isalpha()]
    corrections = {w: _closest_word(w) for w in unknown}
    return _phrases([corrections.get(w) or w for w in words])


def _phrases(words: list[str]) -> list[str]:
    """Join runs of words that form a taxonomy phrase into one quoted token."""
    phrases = sorted(_taxonomy_phrases(), key=len, reverse=True)
    tokens: list[str] = []
    index = 0
    while index < len(words):
        for phrase in phrases:
            size = len(phrase)
            if words[index : index + size] == list(phrase):
                tokens.append('"' + " ".join(phrase) + '"')
                index += size
                break
        else:
            tokens.append(words[index])
            index += 1
    return tokens


def _taxonomy_phrases() -> set[tuple[str, ...]]:
    phrases = set()
    for synonyms in TaxonomyTerm.objects.values_list("synonyms", flat=True):
        for synonym in synonyms:
            words = tuple(normalise(synonym).split())
            if len(words) > 1:
                phrases.add(words)
    return phrases


def _closest_word(word: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM directory_searchword WHERE similarity(word, %s) >= %s "
            "AND word %% %s ORDER BY similarity(word, %s) DESC, word LIMIT 1",
            [word, TYPO_SIMILARITY, word, word],
        )
        row = cursor.fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class Filters:
    """A parsed public search. Every field is optional; filters combine with AND."""

    text: str = ""
    borough: Borough | None = None
    service_type: TaxonomyTerm | None = None
    abuse: TaxonomyTerm | None = None
    population: TaxonomyTerm | None = None
    language: str = ""
    free: bool = False
    self_referral: bool = False
    open_24h: bool = False
    open_now: bool = False
    origin: Origin | None = None
    now: datetime = field(default_factory=timezone.now)
    terms: tuple[TaxonomyTerm, ...] = ()
    vocabularies: tuple[str, ...] = ()


@dataclass
class TextMatch:
    """How the free text is applied: the words (after typo correction) and AND or OR."""

    words: list[str]
    any_word: bool = False

    @property
    def query(self) -> SearchQuery | None:
        if not self.words:
            return None
        joiner = " or " if self.any_word else " "
        return SearchQuery(joiner.join(self.words), config=SEARCH_CONFIG, search_type="websearch")


def _filtered(filters: Filters, text: TextMatch | None, base: QuerySet | None = None) -> QuerySet:
    services = base if base is not None else Service.objects.public()
    query = text.query if text else None
    if query is not None:
        services = services.filter(search_vector=query)
    return _with_flags(_with_terms(services, filters), filters)


def _with_terms(services: QuerySet, filters: Filters) -> QuerySet:
    if filters.borough is not None:
        services = services.covering_borough(filters.borough.pk)
    for term in (filters.service_type, filters.abuse, filters.population, *filters.terms):
        if term is not None:
            services = services.with_term(term.pk)
    if filters.vocabularies:
        through = Service.taxonomy_terms.through
        services = services.filter(
            Exists(
                through.objects.filter(
                    service_id=OuterRef("pk"), taxonomyterm__vocabulary__in=filters.vocabularies
                )
            )
        )
    return services


def _with_flags(services: QuerySet, filters: Filters) -> QuerySet:
    if filters.language:
        services = services.filter(languages__contains=[filters.language])
    if filters.free:
        services = services.filter(is_free=True)
    if filters.self_referral:
        services = services.filter(accepts_self_referral=True)
    if filters.open_24h:
        services = services.filter(open_24_7=True)
    if filters.open_now:
        services = services.open_at(filters.now)
    return services


def with_distance(services: QuerySet, origin: Origin) -> QuerySet:
    """Annotate `distance_km` to the nearest public, non-confidential physical location."""
    km = Sqrt(
        Power((F("location__latitude") - Value(origin.latitude)) * KM_PER_DEGREE_LATITUDE, 2)
        + Power(
            (F("location__longitude") - Value(origin.longitude)) * origin.km_per_degree_longitude,
            2,
        )
    )
    nearest = (
        ServiceAtLocation.objects.filter(
            service_id=OuterRef("pk"),
            location__confidential=False,
            location__location_type=LocationType.PHYSICAL,
            location__latitude__isnull=False,
            location__longitude__isnull=False,
        )
        .annotate(km=km)
        .order_by("km")
        .values("km")[:1]
    )
    return services.annotate(distance_km=Subquery(nearest, output_field=FloatField()))


@dataclass
class Results:
    services: QuerySet
    text: TextMatch | None
    total: int


def search(filters: Filters, *, base: QuerySet | None = None) -> Results:
    """The matching services, best first (nearest first when a postcode is given).

    The text's words are all required; if no service has them all, any of them will do.
    """
    words = corrected_words(filters.text)
    text = TextMatch(words) if words else None
    services = _filtered(filters, text, base)
    total = services.count()
    if text is not None and total == 0 and len(words) > 1:
        text = TextMatch(words, any_word=True)
        services = _filtered(filters, text, base)
        total = services.count()
    ordering: list = []
    if filters.origin is not None:
        services = with_distance(services, filters.origin)
        ordering.append(F("distance_km").asc(nulls_last=True))
    if text and text.query is not None:
        services = services.annotate(rank=SearchRank(F("search_vector"), text.query))
        ordering.append(F("rank").desc())
    ordering += ["name", "pk"]
    return Results(services.order_by(*ordering), text, total)


TAXONOMY_FACETS = {
    "service_type": Vocabulary.SERVICE_TYPE,
    "abuse": Vocabulary.ABUSE_TYPE,
    "population": Vocabulary.POPULATION,
}
FLAG_FACETS = ["free", "self_referral", "open_24h", "open_now"]


def facet_counts(filters: Filters, text: TextMatch | None) -> dict[str, dict]:
    """Per filter group, the number of results each of its values would give."""
    counts: dict[str, dict] = {}
    for name, vocabulary in TAXONOMY_FACETS.items():
        # Grouped from the (filtered) services, so the planner starts from the few that match.
        rows = (
            _filtered(replace(filters, **{name: None}), text)
            .order_by()
            .filter(taxonomy_terms__vocabulary=vocabulary)
            .values_list("taxonomy_terms__code")
            .annotate(n=Count("pk"))
        )
        counts[name] = dict(rows)
    counts["borough"] = _borough_counts(_filtered(replace(filters, borough=None), text))
    counts["language"] = _language_counts(_filtered(replace(filters, language=""), text))
    for flag in FLAG_FACETS:
        counts[flag] = _filtered(replace(filters, **{flag: True}), text).count()
    return counts


def _borough_counts(services: QuerySet) -> dict[str, int]:
    wide_area = ServiceArea.objects.filter(service_id=OuterRef("pk"), extent__in=WIDE)
    wide = services.filter(Exists(wide_area)).count()
    local = dict(
        ServiceArea.objects.filter(
            service_id__in=services.exclude(Exists(wide_area)).values("pk"),
            extent=AreaExtent.BOROUGH,
        )
        .values_list("borough__slug")
        .annotate(n=Count("service_id"))
    )
    return {
        slug: wide + local.get(slug, 0) for slug in Borough.objects.values_list("slug", flat=True)
    }


def _language_counts(services: QuerySet) -> dict[str, int]:
    rows = (
        services.order_by()
        .annotate(language=Func(F("languages"), function="unnest"))
        .values_list("language")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def known_languages() -> list[str]:
    """Language codes that at least one public service offers."""
    rows = (
        Service.objects.public()
        .order_by()
        .annotate(language=Func(F("languages"), function="unnest"))
        .values_list("language", flat=True)
        .distinct()
    )
    return sorted(rows)
