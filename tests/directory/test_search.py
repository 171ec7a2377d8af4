"""The public search: a golden set of queries, filters, facet counts, postcodes and bad input."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import search
from directory.search import Filters
from tests.directory.conftest import location

pytestmark = pytest.mark.django_db

RESULT = re.compile(r'<h3 class="govuk-heading-m govuk-!-margin-bottom-1"><a [^>]*>([^<]*)</a>')


def names(client, query: str) -> list[str]:
    response = client.get(f"/find-support/?{query}")
    assert response.status_code == 200
    return [unescape(n) for n in RESULT.findall(response.content.decode())]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=DV", {"idva", "refuge", "helpline", "havering-outreach"}),
        ("q=domestic+violence", {"idva", "refuge", "helpline", "havering-outreach"}),
        ("q=coercive+control", {"idva", "refuge", "helpline", "havering-outreach"}),
        ("q=safe+house", {"refuge"}),
        ("q=shelter", {"refuge"}),
        ("q=refuje", {"refuge"}),
        ("q=councelling", {"counselling"}),
        ("q=counseling", {"counselling"}),
        ("q=rape", {"counselling"}),
        ("q=fm", {"fm"}),
        ("q=forced+marrige", {"fm"}),
        ("q=Havering+refuge", {"refuge"}),
    ],
)
def test_search_golden_set(client, golden, query, expected):
    """Synonyms of the taxonomy and misspellings find the services they mean, and only those."""
    assert set(names(client, query)) == {golden[key].name for key in expected}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("borough=havering", {"refuge", "havering-outreach", "helpline", "fm"}),
        ("borough=hackney", {"counselling", "helpline", "fm"}),
        ("q=refuge&borough=havering", {"refuge"}),
        ("q=refuge&borough=westminster", set()),
        ("type=st-idva", {"idva"}),
        ("abuse=at-sexual-violence", {"counselling"}),
        ("population=pop-men", {"havering-outreach"}),
        ("language=ur", {"fm"}),
        ("free=1&borough=hackney", {"helpline", "fm"}),
        ("open_24h=1", {"refuge", "helpline"}),
        (
            "self_referral=on&abuse=at-domestic-abuse&borough=havering",
            {"havering-outreach", "helpline"},
        ),
    ],
)
def test_filters_combine_with_and(client, golden, query, expected):
    assert set(names(client, query)) == {golden[key].name for key in expected}


def test_open_now_uses_london_time(golden):
    """Open now means a schedule covering this minute of this day in London."""
    saturday_night = datetime(2026, 11, 28, 23, 30, tzinfo=ZoneInfo("Europe/London"))
    tuesday_morning = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    at_night = search.search(Filters(open_now=True, now=saturday_night)).services
    in_office_hours = search.search(Filters(open_now=True, now=tuesday_morning)).services
    assert {s.name for s in at_night} == {golden["refuge"].name, golden["helpline"].name}
    assert len(in_office_hours) == 6


FACET_QUERIES = ["", "q=abuse", "borough=havering", "q=advice&free=1", "type=st-idva&open_24h=1"]


@pytest.mark.parametrize("base", FACET_QUERIES)
def test_facet_counts_equal_result_counts(client, golden, base):
    """Every count shown beside a filter value equals the results that choosing it gives."""
    response = client.get(f"/find-support/?{base}")
    form = response.context["form"]
    checked = 0
    for name in form.FILTER_FIELDS:
        for value, label in form.fields[name].choices:
            if not value:
                continue
            shown = int(re.search(r"\((\d+)\)$", label).group(1))
            query = "&".join(p for p in [base, f"{name}={value}"] if p)
            query = re.sub(rf"(^|&){name}=[^&]*&", r"\1", query)  # choosing replaces the value
            response = client.get(f"/find-support/?{query}")
            assert response.context["total"] == shown, (name, value)
            checked += 1
    for name in form.FLAG_FIELDS:
        shown = int(re.search(r"\((\d+)\)$", form.fields[name].label).group(1))
        query = "&".join(p for p in [base, f"{name}=1"] if p)
        assert client.get(f"/find-support/?{query}").context["total"] == shown, name
    assert checked > 60


@pytest.mark.parametrize("query", [*FACET_QUERIES, "borough=havering&type=st-refuge", "open_now=1"])
def test_the_total_is_the_number_of_results_listed(client, golden, query):
    """The page counts its total with the facets: it equals the services the page lists."""
    response = client.get(f"/find-support/?{query}")
    assert response.context["total"] == len(RESULT.findall(response.content.decode()))


@pytest.mark.parametrize("postcode", ["RM1 3BB", "rm13bb", "RM1", " rm1  3bb "])
def test_postcode_orders_by_approximate_distance(client, golden, postcode):
    """Any form of a postcode in the same district gives the same order, nearest first."""
    response = client.get("/find-support/", {"postcode": postcode, "abuse": "at-domestic-abuse"})
    content = response.content.decode()
    found = [unescape(n) for n in RESULT.findall(content)]
    assert found[:2] == [golden["havering-outreach"].name, golden["idva"].name]
    # Services without a public address (the refuge, the helpline) come after, by name.
    assert found[2:] == sorted([golden["refuge"].name, golden["helpline"].name])
    assert "approximate" in content
    assert "About 0.0 miles away (approximate)" in content


def test_distance_order_for_a_district(client, golden):
    found = names(client, "postcode=E8")
    assert found[0] == golden["counselling"].name


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("postcode=not+a+postcode", "Enter a real postcode"),
        ("postcode=M1+1AE", "Enter a London postcode"),
        ("borough=atlantis", "Choose a borough in the list"),
        ("type=st-nonsense", "Choose a type of support in the list"),
        ("abuse=%00", "Choose a type of abuse in the list"),
        ("language=klingon", "Choose a language in the list"),
    ],
)
def test_bad_input_gives_a_govuk_error_message(client, golden, query, message):
    response = client.get(f"/find-support/?{query}")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="govuk-error-summary"' in content
    assert message in content
    assert "<title>Search results (error)" in content


@pytest.mark.parametrize(
    "query", ["page=999", "page=-3", "page=abc", "free=banana", "q=" + "x" * 500]
)
def test_odd_parameters_never_give_a_server_error(client, golden, query):
    assert client.get(f"/find-support/?{query}").status_code == 200


def test_a_page_past_the_end_is_empty(client, golden):
    response = client.get("/find-support/?page=50")
    assert response.context["services"] == []
    assert "There are no more results" in response.content.decode()


def test_no_results_still_shows_the_national_helplines(client, golden):
    response = client.get("/find-support/?q=xylophone+zebra+quartz")
    content = response.content.decode()
    assert "No services match your search" in content
    assert golden["helpline"].name in content
    assert golden["helpline"].phones.first().number in content


def test_page_titles_never_contain_the_search(client, golden):
    response = client.get("/find-support/?q=UniqueSearchWord&postcode=E8+1AA")
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
    assert "UniqueSearchWord".lower() not in title.lower()
    assert "E8" not in title


def test_results_page_query_count_does_not_grow(client, make_service):
    """Twenty results cost the same number of queries as two."""

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/find-support/?q=support").status_code == 200
        return len(queries)

    for n in range(2):
        make_service(f"Support service {n}", locations=[location((51.5, -0.1))])
    few = count_queries()
    for n in range(2, 30):
        make_service(f"Support service {n}", locations=[location((51.5, -0.1))])
    assert count_queries() == few


@pytest.mark.parametrize(
    "query",
    ["", "borough=westminster", "q=support", "q=support&borough=westminster&type=st-counselling"],
)
def test_a_search_page_costs_a_handful_of_queries(client, make_service, query):
    """The directory's version, the spelling check, and one statement for the facets, the
    total and the page of results (with their phones, areas and opening hours): never a
    query per result."""
    for n in range(25):
        make_service(
            f"Support service {n}",
            taxonomy=["st-counselling"],
            schedules=[{"weekdays": [0, 1], "opens_at": "09:00", "closes_at": "17:00"}],
            phones=[{"number": f"020 7946 1{n:03d}", "description": ""}],
        )
    client.get(f"/find-support/?{query}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/find-support/?{query}")
    assert len(response.context["services"]) == 20
    assert len(queries) <= 3, [q["sql"][:80] for q in queries]


def test_filters_follow_a_published_change_of_terms_and_areas(client, make_service, actor):
    """Publishing a draft that moves a service to another borough and type moves it in the
    filters and the facet counts at once."""
    from directory.services import service_edit, service_publish

    service = make_service("Moving outreach", taxonomy=["st-outreach"], areas=["westminster"])
    assert names(client, "borough=westminster&type=st-outreach") == [service.name]
    data = {"name": service.name, "description": "Moved.", "taxonomy": ["st-idva"]}
    service_edit(acting_user=actor, service=service, data={**data, "areas": ["hackney"]})
    assert names(client, "borough=westminster&type=st-outreach") == [service.name]  # a draft
    service_publish(acting_user=actor, service=service)
    assert names(client, "borough=westminster&type=st-outreach") == []
    assert names(client, "borough=hackney&type=st-idva") == [service.name]
    form = client.get("/find-support/?borough=hackney").context["form"]
    assert dict(form.fields["type"].choices)["st-idva"] == "Independent advocacy (IDVA/ISVA) (1)"


def test_language_choices_follow_what_is_published(client, make_service, actor):
    """The languages offered are cached with the directory: publishing or withdrawing a
    service changes them at once."""
    from directory.services import service_publish, service_withdraw

    def languages() -> set[str]:
        form = client.get("/find-support/").context["form"]
        return {value for value, _label in form.fields["language"].choices if value}

    make_service("English outreach", languages=["en"])
    assert languages() == {"en"}
    somali = make_service("Somali outreach", languages=["so"], publish=False)
    assert languages() == {"en"}
    service_publish(acting_user=actor, service=somali)
    assert languages() == {"en", "so"}
    assert "Somali (1)" in client.get("/find-support/").content.decode()
    service_withdraw(acting_user=actor, service=somali)
    assert languages() == {"en"}


def test_drafts_and_stale_services_are_not_public(client, make_service):
    published = make_service("Published outreach")
    draft = make_service("Draft outreach", publish=False)
    stale = make_service("Stale outreach", checked_days_ago=400)
    flagged = make_service("Flagged outreach", checked_days_ago=200)
    found = names(client, "q=outreach")
    assert set(found) == {published.name, flagged.name}
    for hidden in (draft, stale):
        assert client.get(hidden.get_absolute_url()).status_code == 404
        assert client.get(f"/api/oruk/services/{hidden.pk}").status_code == 404


def test_pruning_old_change_records_keeps_the_directory_current(client, make_service, actor):
    """The daily prune forgets change records older than a day (here one left by an earlier
    transaction) and moves the version on, so it never repeats one seen before; searches
    before and after it see every change."""
    from datetime import timedelta

    from django.utils import timezone

    from directory.models import DirectoryChange
    from directory.services import directory_changes_prune, service_withdraw

    kept = make_service("Kept outreach", languages=["en"])
    gone = make_service("Gone outreach", languages=["so"])
    DirectoryChange.objects.create(transaction=1, changed_at=timezone.now() - timedelta(days=2))
    assert set(names(client, "q=outreach")) == {kept.name, gone.name}
    assert "Somali" in client.get("/find-support/").content.decode()
    day_ago = timezone.now() - timedelta(days=1)
    recent = DirectoryChange.objects.filter(changed_at__gte=day_ago).count()
    assert recent >= 1  # at least this transaction's own
    newest = DirectoryChange.objects.latest("id").id
    assert directory_changes_prune() >= 1
    assert not DirectoryChange.objects.filter(transaction=1).exists()
    assert not DirectoryChange.objects.filter(changed_at__lt=day_ago).exists()
    assert DirectoryChange.objects.count() == recent  # this transaction's row, renewed
    assert DirectoryChange.objects.latest("id").id > newest
    service_withdraw(acting_user=actor, service=gone)
    assert names(client, "q=outreach") == [kept.name]
    assert "Somali" not in client.get("/find-support/").content.decode()


def test_result_fields_read_in_sql_agree_with_the_service_page(make_service):
    """A result's areas, opening hours and phone are read in SQL with the page of results
    (`selectors.RESULT_SQL`); the service page reads them through the models. Both must say
    the same, for every kind of area and for all-day and midnight-closing hours."""
    from directory.models import Service
    from directory.selectors import area_names, opening_times, with_display_relations

    service = make_service(
        "Mixed areas outreach",
        areas=["westminster", "hackney", "london", "national"],
        schedules=[
            {"weekdays": [0, 2], "opens_at": "09:00", "closes_at": "17:30"},
            {"weekdays": [5], "opens_at": "18:00", "closes_at": "00:00"},
            {"weekdays": [6], "opens_at": "00:00", "closes_at": "00:00"},
        ],
    )
    [listed] = search.search_page(Filters(text="mixed areas outreach"), slice(0, 20)).results
    page = with_display_relations(Service.objects.filter(pk=service.pk)).get()
    assert listed.id == service.pk
    assert listed.areas == area_names(page)
    assert set(listed.areas) == {"Westminster", "Hackney", "London", "England"}
    assert listed.opening == opening_times(page)
    assert listed.first_phone == page.phones.filter(contact__isnull=True).first().number
    assert listed.organisation == page.organisation.name


def test_a_result_shows_what_the_service_offers(client, make_service):
    """Each result: its name linking to its page, organisation, description cut to forty
    words, first phone as a `tel:` link, opening hours, areas and tags, every value escaped."""
    words = " ".join(f"word{n}" for n in range(60))
    service = make_service(
        "Cards <b>outreach</b>",
        description=f"Help & {words}",
        areas=["hackney", "london"],
        schedules=[{"weekdays": [0, 1, 2, 3, 4], "opens_at": "09:00", "closes_at": "17:30"}],
        phones=[{"number": "+44 20 7946 0999", "description": ""}],
        is_free=True,
        accepts_self_referral=True,
    )
    content = client.get("/find-support/?q=cards").content.decode()
    assert f'<a class="govuk-link" href="{service.get_absolute_url()}">' in content
    assert "Cards &lt;b&gt;outreach&lt;/b&gt;" in content
    assert "<b>outreach" not in content
    assert f'<p class="govuk-body">Help &amp; {" ".join(words.split()[:38])} …</p>' in content
    phone = '<a class="govuk-link" href="tel:+442079460999">+44 20 7946 0999</a>'
    assert f"<li>Phone: {phone}</li>" in content
    assert "<li>Open: Monday to Friday, 9am to 5:30pm</li>" in content
    assert "<li>For people in: Hackney, London</li>" in content
    assert '<strong class="govuk-tag govuk-tag--green">Free</strong>' in content
    assert '<strong class="govuk-tag govuk-tag--grey">Contact them yourself</strong>' in content
    assert "Open 24 hours</strong>" not in content
    assert "miles away" not in content


SAME_ANSWER = [
    Filters(text="abuse"),
    Filters(text="support advice refuge", borough=None),
    Filters(text="counselling", free=True, self_referral=True),
    Filters(open_now=True, open_24h=True),
    Filters(text="helpline", language="ur", open_now=True),
]


@pytest.mark.parametrize("moment", ["saturday night", "tuesday morning"])
def test_the_page_finds_what_search_finds(golden, moment):
    """The search page counts and lists in one statement of its own (the candidates failing at
    most one filter, the page ordered from those passing all); the ORUK API asks `search`, a
    queryset over the same conditions. For every combination both find the same services in
    the same order, open-now and filters included."""
    from directory.published import published
    from directory.search import TAXONOMY_FACETS

    now = {
        "saturday night": datetime(2026, 11, 28, 23, 30, tzinfo=ZoneInfo("Europe/London")),
        "tuesday morning": datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/London")),
    }[moment]
    directory = published()
    terms = directory.terms
    combinations = [
        *SAME_ANSWER,
        Filters(borough=directory.boroughs["havering"], abuse=terms["at-domestic-abuse"]),
        Filters(text="refuge", borough=directory.boroughs["havering"], open_now=True),
        Filters(service_type=terms["st-idva"], population=terms["pop-men"], free=True),
        Filters(terms=(terms["at-domestic-abuse"],), vocabularies=("population",)),
    ]
    checked = 0
    for filters in combinations:
        filters = Filters(**{**filters.__dict__, "now": now, "directory": directory})
        expected = [s.pk for s in search.search(filters).services]
        found = search.search_page(filters, slice(0, 100))
        assert [r.id for r in found.results] == expected, filters
        assert found.total == len(expected)
        checked += bool(expected)
    assert checked >= 5
    assert set(TAXONOMY_FACETS) <= set(found.facets)


def test_public_and_open_now_read_as_their_rules_say(golden, make_service):
    """`querysets.public_sql` selects what `public()` selects, and `open_at_sql` the services
    with a schedule covering that minute of that day in London (read here from the schedules
    themselves), every day of a week at four hours."""
    from directory.models import MIDNIGHT, Schedule, Service
    from directory.querysets import open_at_sql, public_sql, sql_filter

    hidden = [
        make_service("A draft", publish=False),
        make_service("Stale for a year", checked_days_ago=400),
        make_service("Closed for good", status="defunct"),
    ]
    shown = make_service("Closed for now", status="temporarily closed")

    def ids(condition) -> set:
        return set(Service.objects.filter(sql_filter(condition)).values_list("pk", flat=True))

    public = ids(public_sql())
    assert public == set(Service.objects.public().values_list("pk", flat=True))
    assert shown.pk in public
    assert not public & {service.pk for service in hidden}
    schedules = list(Schedule.objects.all())
    opened = set()
    for day in range(22, 29):
        for hour in (0, 9, 17, 23):
            moment = datetime(2026, 11, day, hour, 30, tzinfo=ZoneInfo("Europe/London"))
            minute = moment.time()
            expected = {
                s.service_id
                for s in schedules
                if moment.weekday() in s.weekdays
                and s.opens_at <= minute
                and (s.closes_at > minute or s.closes_at == MIDNIGHT)
            }
            assert ids(open_at_sql(moment)) == expected, moment
            opened |= expected
    assert golden["refuge"].pk in opened


def test_pruning_every_change_record_never_brings_back_an_old_version(make_service):
    """A process that last searched before a day of changes must not see, after the prune has
    forgotten them all, the version it saw first."""
    from datetime import timedelta

    from django.utils import timezone

    from directory.models import DirectoryChange
    from directory.published import directory_version
    from directory.services import directory_changes_prune

    DirectoryChange.objects.all().delete()
    first = directory_version()
    make_service("Changed outreach")
    DirectoryChange.objects.update(changed_at=timezone.now() - timedelta(days=2))
    directory_changes_prune()
    assert directory_version() != first
