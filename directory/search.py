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

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    F,
    FloatField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONArray, Power, Sqrt
from django.utils import timezone

from directory.geography import KM_PER_DEGREE_LATITUDE, Origin
from directory.models import (
    AreaExtent,
    LocationType,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
    Vocabulary,
)
from directory.published import Published, published
from directory.querysets import open_at_sql, public_sql, sql_filter
from directory.selectors import RESULT_SQL, Result
from partnership.models import Borough

MAX_QUERY_LENGTH = 200
SEARCH_CONFIG = "english"
TYPO_SIMILARITY = 0.35
_WORD = re.compile(r"[a-z0-9]+")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalise(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed, length capped."""
    return " ".join(_WORD.findall(_plain(text)))[:MAX_QUERY_LENGTH]


def words_of(text: str) -> set[str]:
    """Every word of a text (for the typo-correction vocabulary)."""
    return {w for w in _WORD.findall(_plain(text)) if 2 <= len(w) <= 60}


def corrected_words(text: str, directory: Published | None = None) -> list[str]:
    """The query's words, each unknown one replaced by the closest known word (if any is close),
    with the taxonomy's phrases ("safe house", "coercive control") kept together as one token."""
    words = normalise(text).split()
    if not words:
        return []
    corrections = _corrections(list(dict.fromkeys(words)))
    return _phrases([corrections.get(w) or w for w in words], directory or published())


def _phrases(words: list[str], directory: Published) -> list[str]:
    """Join runs of words that form a taxonomy phrase into one quoted token."""
    phrases = directory.phrases  # longest first
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


# In one statement: for each word that no published text has (and that is long enough and all
# letters to be a misspelling), the most similar word that one has.
_CORRECTIONS_SQL = """
SELECT typed, (
    SELECT word FROM directory_searchword
    WHERE similarity(word, typed) >= %s AND word %% typed
    ORDER BY similarity(word, typed) DESC, word LIMIT 1
)
FROM unnest(%s::text[], %s::boolean[]) AS query (typed, correctable)
WHERE correctable AND NOT EXISTS (SELECT FROM directory_searchword WHERE word = typed)
"""


def _corrections(words: list[str]) -> dict[str, str | None]:
    correctable = [len(w) >= 4 and w.isalpha() for w in words]
    if not any(correctable):
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_CORRECTIONS_SQL, [TYPO_SIMILARITY, words, correctable])
        return dict(cursor.fetchall())


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
    # The reference data the form was built from, so one request reads it once.
    directory: Published | None = field(default=None, compare=False, repr=False)


def _directory(filters: Filters) -> Published:
    return filters.directory or published()


@dataclass
class TextMatch:
    """How the free text is applied: the words (after typo correction) and AND or OR."""

    words: list[str]
    any_word: bool = False

    @property
    def terms(self) -> str:
        """The words as `websearch_to_tsquery` reads them."""
        return (" or " if self.any_word else " ").join(self.words)

    @property
    def query(self) -> SearchQuery | None:
        if not self.words:
            return None
        return SearchQuery(self.terms, config=SEARCH_CONFIG, search_type="websearch")


# -- filter codes ---------------------------------------------------------------------------------
# Every filter is answered from `Service.filter_codes`, integers the GIN index holds beside the
# words. A code is its kind's base plus a number that never changes: a taxonomy term's or a
# borough's id, a language code read in base 36, or a fixed number for the wide areas and the
# flags; so codes need no table of their own. Integers rather than text ("borough:hackney"):
# counting facets unnests the codes of every candidate service, and integers compare and group
# at a fraction of the cost.

KIND = 1_000_000
VOCABULARY_BASE = {
    Vocabulary.SERVICE_TYPE: 1 * KIND,
    Vocabulary.ABUSE_TYPE: 2 * KIND,
    Vocabulary.POPULATION: 3 * KIND,
}
BOROUGH_BASE, AREA_BASE, LANGUAGE_BASE, FLAG_BASE = 4 * KIND, 5 * KIND, 6 * KIND, 7 * KIND
AREA_CODES = {AreaExtent.LONDON: AREA_BASE + 1, AreaExtent.NATIONAL: AREA_BASE + 2}
WIDE_CODES = list(AREA_CODES.values())
FLAG_CODES = {"free": FLAG_BASE + 1, "self_referral": FLAG_BASE + 2, "open_24h": FLAG_BASE + 3}


def term_code(term: TaxonomyTerm) -> int:
    return VOCABULARY_BASE[term.vocabulary] + term.id


def borough_code(borough_id: int) -> int:
    return BOROUGH_BASE + borough_id


def language_code(language: str) -> int:
    """ISO 639 codes are two or three letters: at most 36³, well inside a kind."""
    return LANGUAGE_BASE + int(language, 36)


def language_of(code: int) -> str:
    number, letters = code - LANGUAGE_BASE, ""
    while number:
        number, digit = divmod(number, 36)
        letters = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + letters
    return letters


def filter_codes_of(
    service: Service, terms: list[TaxonomyTerm], areas: list[ServiceArea]
) -> list[int]:
    """The codes a service matches (kept by `services`, read by the filters and the facets)."""
    codes = [term_code(t) for t in terms]
    for area in areas:
        if area.extent == AreaExtent.BOROUGH:
            codes.append(borough_code(area.borough_id))
        else:
            codes.append(AREA_CODES[area.extent])
    codes += [language_code(language) for language in service.languages]
    flags = {
        "free": service.is_free,
        "self_referral": service.accepts_self_referral,
        "open_24h": service.open_24_7,
    }
    codes += [FLAG_CODES[name] for name, value in flags.items() if value]
    return sorted(set(codes))


def _code_sets(filters: Filters) -> dict[str, list[int]]:
    """Each chosen filter group answered by codes: a service passes with any one of them."""
    sets: dict[str, list[int]] = {}
    if filters.borough is not None:
        sets["borough"] = [borough_code(filters.borough.id), *WIDE_CODES]
    for name in TAXONOMY_FACETS:
        term = getattr(filters, name)
        if term is not None:
            sets[name] = [term_code(term)]
    if filters.language:
        sets["language"] = [language_code(filters.language)]
    for name, code in FLAG_CODES.items():
        if getattr(filters, name):
            sets[name] = [code]
    return sets


def _fixed_codes(filters: Filters) -> tuple[list[int] | None, list[int] | None]:
    """Conditions that are not facet groups (the ORUK API's taxonomy parameters): codes a
    service must have all of, and codes it must have one of."""
    every = [term_code(t) for t in filters.terms] if filters.terms else None
    one_of = None
    if filters.vocabularies:
        terms = _directory(filters).terms.values()
        one_of = [term_code(t) for t in terms if t.vocabulary in filters.vocabularies]
    return every, one_of


def _filtered(filters: Filters, text: TextMatch | None, base: QuerySet | None = None) -> QuerySet:
    """The services matching the text and every filter, as a queryset (the ORUK API's, and
    the page's when it counts nothing), by the same conditions as the facet statement."""
    services = base if base is not None else Service.objects.public()
    for condition in [*_where(filters, text), *_groups(filters).values()]:
        services = services.filter(sql_filter(condition))
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
    words = corrected_words(filters.text, _directory(filters))
    text = TextMatch(words) if words else None
    total = _filtered(filters, text, base).count()
    if text is not None and total == 0 and len(words) > 1:
        text = TextMatch(words, any_word=True)
        total = _filtered(filters, text, base).count()
    return _ranked(filters, text, base, total)


@dataclass
class Found:
    """One page of the search page's results in order, with the facets and the total counted
    in the same statement."""

    text: TextMatch | None
    facets: dict[str, dict]
    results: list[Result]

    @property
    def total(self) -> int:
        return self.facets["total"]


def search_page(filters: Filters, page: slice) -> Found:
    """`search` and `facet_counts` for the search page, with one page of results (as `search`
    orders them) read by the statement that counts the facets."""
    words = corrected_words(filters.text, _directory(filters))
    text = TextMatch(words) if words else None
    found = _found(filters, text, page)
    if text is not None and found.total == 0 and len(words) > 1:
        found = _found(filters, TextMatch(words, any_word=True), page)
    return found


def _found(filters: Filters, text: TextMatch | None, page: slice) -> Found:
    facets, results = _facets_and_page(filters, text, page)
    if results is None:  # counted without reading the services: read the page alone
        results = _page_alone(filters, text, page)
    return Found(text, facets, results)


def _ranked(filters: Filters, text: TextMatch | None, base: QuerySet | None, total: int) -> Results:
    return Results(_ordered(filters, text, _filtered(filters, text, base)), text, total)


def _ordered(filters: Filters, text: TextMatch | None, services: QuerySet) -> QuerySet:
    """Nearest first when a postcode is given, then best match, then by name."""
    ordering: list = []
    if filters.origin is not None:
        services = with_distance(services, filters.origin)
        ordering.append(F("distance_km").asc(nulls_last=True))
    if text and text.query is not None:
        services = services.annotate(rank=SearchRank(F("search_vector"), text.query))
        ordering.append(F("rank").desc())
    ordering += ["name", "pk"]
    return services.order_by(*ordering)


TAXONOMY_FACETS = {
    "service_type": Vocabulary.SERVICE_TYPE,
    "abuse": Vocabulary.ABUSE_TYPE,
    "population": Vocabulary.POPULATION,
}
FLAG_FACETS = ["free", "self_referral", "open_24h", "open_now"]
FACET_GROUPS = ["borough", *TAXONOMY_FACETS, "language", *FLAG_FACETS]
_FACET_OF_VOCABULARY = {vocabulary: name for name, vocabulary in TAXONOMY_FACETS.items()}


def facet_counts(filters: Filters, text: TextMatch | None) -> dict[str, dict]:
    """Per filter group, the number of results each of its values would give (and under
    "total", the number of results)."""
    return _facets_and_page(filters, text, None)[0]


def _facets_and_page(
    filters: Filters, text: TextMatch | None, page: slice | None
) -> tuple[dict[str, dict], list[Result] | None]:
    """The facets and, when `page` is given, that page of results (None when the services
    were not read: nothing typed and nothing chosen).

    One statement: the services the text matches that fail at most one chosen filter are
    materialised once, with whether they pass each group's filter, then every group's values
    are counted from them with the other groups' filters applied, and the page is ordered from
    those that pass them all. When nothing was typed and at most one filter chosen, a group
    with no other filter counts every public service: that is the same for everyone, so it
    comes from `published().facets` instead.
    """
    groups = _groups(filters)
    browsing = text is None and len(groups) <= 1 and not (filters.terms or filters.vocabularies)
    if not browsing:
        return _counted(filters, text, groups, _fail_at_most_one(filters, groups), page=page)
    everyone = _directory(filters).facets
    if not groups:
        open_now = Service.objects.public().open_at(filters.now).count()
        return {**everyone, "open_now": open_now}, None
    [(group, condition)] = groups.items()
    counts, results = _counted(filters, None, groups, condition, page=page)
    if group != "open_now":
        counts[group] = everyone[group]
    return counts, results


def facets_of_everyone(directory: Published) -> dict[str, dict]:
    """Every group's counts over all public services, with no filter (for `published`)."""
    return _counted(Filters(directory=directory), None, {}, _TRUE)[0]


def _counted(
    filters: Filters,
    text: TextMatch | None,
    groups: dict[str, Condition],
    candidates: Condition,
    page: slice | None = None,
) -> tuple[dict[str, dict], list[Result] | None]:
    cte, params = _matched(filters, text, groups, candidates)
    others = {name: _others_pass(groups, name) for name in [*FACET_GROUPS, "all"]}
    params = [*params, WIDE_CODES, WIDE_CODES]
    listed = ""
    if page is not None:
        # Only column names are formatted in: the values are the CTE's parameters.
        passing = RawSQL(f"SELECT id FROM matched WHERE {others['all']}", [])  # noqa: S608, S611  # nosec B608 B611
        passes_all = Service.objects.filter(pk__in=passing)
        page_sql, page_params = _page_sql(filters, text, passes_all, page)
        listed = "UNION ALL\n" + page_sql
        params += page_params
    with connection.cursor() as cursor:
        cursor.execute(_FACET_SQL.format(cte=cte, page=listed, **others), params)
        rows = cursor.fetchall()
    counts = {code: n for code, n, _card, _km in rows if code != PAGE}
    facets = _facets_from(counts, _directory(filters))
    return facets, _results_of(rows) if page is not None else None


def _page_alone(filters: Filters, text: TextMatch | None, page: slice) -> list[Result]:
    sql, params = _page_sql(filters, text, _filtered(filters, text), page)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _results_of(cursor.fetchall())


def _page_sql(
    filters: Filters, text: TextMatch | None, services: QuerySet, page: slice
) -> tuple[str, list]:
    """One page of `services` in the search's order, as rows (PAGE, position, what the result
    shows, distance)."""
    km = F("distance_km") if filters.origin is not None else Value(None, FloatField())
    ordered = _ordered(filters, text, services).values(item=JSONArray("pk", km))[page]
    sql, params = ordered.query.sql_with_params()
    return _PAGE_SQL.format(page=sql, result=RESULT_SQL), list(params)


def _results_of(rows: list[tuple]) -> list[Result]:
    cards = sorted((n, card, km) for code, n, card, km in rows if code == PAGE)
    return [Result.read(json.loads(card), km) for _n, card, km in cards]


# -- the search's conditions, in SQL --------------------------------------------------------------
# Written over `directory_service` from the codes above and the rules of `querysets`
# (`public_sql`, `open_at_sql`): the facet statement uses them as they are, the querysets
# through `sql_filter`, so each condition is written once.

Condition = tuple[str, list]
_TRUE: Condition = ("TRUE", [])
_OVERLAP = "directory_service.filter_codes && %s::integer[]"


def _groups(filters: Filters) -> dict[str, Condition]:
    """Each chosen filter group's condition (the facet groups), by group name."""
    groups = {name: (_OVERLAP, [codes]) for name, codes in _code_sets(filters).items()}
    if filters.open_now:
        groups["open_now"] = open_at_sql(filters.now)
    return groups


def _where(filters: Filters, text: TextMatch | None) -> list[Condition]:
    """The conditions that are not facet groups: the text and the ORUK API's taxonomy."""
    where = []
    if text is not None and text.words:
        words = "directory_service.search_vector @@ websearch_to_tsquery(%s::regconfig, %s)"
        where.append((words, [SEARCH_CONFIG, text.terms]))
    every, one_of = _fixed_codes(filters)
    if every is not None:
        where.append(("directory_service.filter_codes @> %s::integer[]", [every]))
    if one_of is not None:
        where.append((_OVERLAP, [one_of]))
    return where


def _joined(conditions: Iterable[Condition], joiner: str, empty: Condition) -> Condition:
    parts = list(conditions)
    if not parts:
        return empty
    sql = f" {joiner} ".join(f"({part})" for part, _params in parts)
    return sql, [value for _part, params in parts for value in params]


def _fail_at_most_one(filters: Filters, groups: dict[str, Condition]) -> Condition:
    """Only a service failing at most one chosen filter can count in some group. With two
    filters answered by codes that is having any of their codes: one scan of the index."""
    if len(groups) < 2:
        return _TRUE
    code_sets = _code_sets(filters)
    if len(groups) == 2 and len(code_sets) == 2:
        return _OVERLAP, [[code for codes in code_sets.values() for code in codes]]
    others = (
        _joined((c for name, c in groups.items() if name != skipped), "AND", _TRUE)
        for skipped in groups
    )
    return _joined(others, "OR", _TRUE)


def _matched(
    filters: Filters, text: TextMatch | None, groups: dict[str, Condition], candidates: Condition
) -> Condition:
    """The facet statement's CTE: the public services the text matches among `candidates`,
    with their codes and whether each passes each group's filter (and is open now)."""
    flags = {**groups}
    if "open_now" not in flags:
        flags["open_now"] = open_at_sql(filters.now)
    columns = ", ".join(f"({sql}) AS passes_{name}" for name, (sql, _params) in flags.items())
    where = [public_sql(), candidates, *_where(filters, text)]
    condition, condition_params = _joined(where, "AND", _TRUE)
    sql = (
        f"SELECT directory_service.id, directory_service.filter_codes, {columns} "  # noqa: S608  # nosec B608
        f"FROM directory_service WHERE {condition}"
    )
    return sql, [value for _sql, params in flags.values() for value in params] + condition_params


def _others_pass(groups: dict[str, Condition], group: str) -> str:
    columns = [f"passes_{name}" for name in groups if name != group]
    return " AND ".join(columns) or "TRUE"


# Rows of the facet statement that are not a code's count.
WIDE, OPEN_NOW, TOTAL, PAGE = -1, -2, -3, -4

# Each facet code counts the services passing every other group's filter. A service available
# London-wide or nationally counts once for every borough ("wide"), never twice. The counts that
# are not per code come from one pass, unpivoted into rows (with negative codes). Only integer
# constants are formatted in here; the values are parameters.
_FACET_SQL = f"""
WITH matched AS MATERIALIZED ({{cte}})
SELECT code, count(*), NULL::jsonb, NULL::float
FROM (SELECT unnest(matched.filter_codes) AS code, * FROM matched) AS coded
WHERE CASE code / {KIND}
    WHEN {VOCABULARY_BASE[Vocabulary.SERVICE_TYPE] // KIND} THEN {{service_type}}
    WHEN {VOCABULARY_BASE[Vocabulary.ABUSE_TYPE] // KIND} THEN {{abuse}}
    WHEN {VOCABULARY_BASE[Vocabulary.POPULATION] // KIND} THEN {{population}}
    WHEN {BOROUGH_BASE // KIND} THEN {{borough}} AND NOT coded.filter_codes && %s::integer[]
    WHEN {LANGUAGE_BASE // KIND} THEN {{language}}
    WHEN {FLAG_BASE // KIND} THEN CASE code
        WHEN {FLAG_CODES["free"]} THEN {{free}}
        WHEN {FLAG_CODES["self_referral"]} THEN {{self_referral}}
        WHEN {FLAG_CODES["open_24h"]} THEN {{open_24h}}
        ELSE FALSE END
    ELSE FALSE
    END
GROUP BY code
UNION ALL
SELECT name, n, NULL, NULL FROM (
    SELECT
        count(*) FILTER (WHERE {{borough}} AND matched.filter_codes && %s::integer[]) AS wide,
        count(*) FILTER (WHERE {{open_now}} AND passes_open_now) AS open_now,
        count(*) FILTER (WHERE {{all}}) AS total
    FROM matched
) AS once, LATERAL (
    VALUES ({WIDE}, wide), ({OPEN_NOW}, open_now), ({TOTAL}, total)
) AS counted (name, n)
{{page}}"""  # noqa: S608  # nosec B608

# A page of results: `{page}` gives their ids and distances in order, `{result}` what each shows.
_PAGE_SQL = f"""SELECT {PAGE}, listed.position, {{result}}, (listed.item ->> 1)::float
FROM unnest(ARRAY({{page}})) WITH ORDINALITY AS listed (item, position)
JOIN directory_service s ON s.id = (listed.item ->> 0)::uuid
JOIN directory_organisation o ON o.id = s.organisation_id
"""  # noqa: S608  # nosec B608


def _facets_from(counts: dict[int, int], directory: Published) -> dict[str, dict]:
    """The facets by group and value (term codes, borough slugs, language codes)."""
    terms = {term.id: term for term in directory.terms.values()}
    facets: dict[str, dict] = {name: {} for name in TAXONOMY_FACETS}
    local: dict[int, int] = {}
    languages: dict[str, int] = {}
    for code, n in counts.items():
        kind = code // KIND * KIND
        if kind in VOCABULARY_BASE.values() and (term := terms.get(code - kind)) is not None:
            facets[_FACET_OF_VOCABULARY[term.vocabulary]][term.code] = n
        elif kind == BOROUGH_BASE:
            local[code - kind] = n
        elif kind == LANGUAGE_BASE:
            languages[language_of(code)] = n
    wide = counts.get(WIDE, 0)
    facets["borough"] = {
        slug: wide + local.get(borough.id, 0) for slug, borough in directory.boroughs.items()
    }
    facets["language"] = languages
    for name, code in [*FLAG_CODES.items(), ("open_now", OPEN_NOW), ("total", TOTAL)]:
        facets[name] = counts.get(code, 0)
    return facets
