"""Filter keys become integer codes (`directory.search.filter_codes_of`): counting facets
unnests them for every candidate service, and integers compare and group far more cheaply
than "borough:hackney" text. The codes are computed from the keys already stored, with the
encoding of `directory.search` as it stands at this migration."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

KIND = 1_000_000
VOCABULARY_BASE = {"service-type": 1 * KIND, "abuse-type": 2 * KIND, "population": 3 * KIND}
BOROUGH_BASE, AREA_BASE, LANGUAGE_BASE, FLAG_BASE = 4 * KIND, 5 * KIND, 6 * KIND, 7 * KIND
FIXED = {
    "area:london": AREA_BASE + 1,
    "area:national": AREA_BASE + 2,
    "flag:free": FLAG_BASE + 1,
    "flag:self-referral": FLAG_BASE + 2,
    "flag:open-24-7": FLAG_BASE + 3,
}

BACKFILL = """
UPDATE directory_service AS s SET filter_codes = ARRAY(
    SELECT DISTINCT coded.code
    FROM unnest(s.filter_keys) AS kept (key)
    JOIN unnest(%s::text[], %s::integer[]) AS coded (key, code) ON coded.key = kept.key
    ORDER BY coded.code
)
WHERE cardinality(s.filter_keys) > 0
"""


def codes_from_keys(apps, schema_editor):
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    Borough = apps.get_model("partnership", "Borough")
    codes = dict(FIXED)
    for term in TaxonomyTerm.objects.all():
        codes[f"{term.vocabulary}:{term.code}"] = VOCABULARY_BASE[term.vocabulary] + term.id
    for borough in Borough.objects.all():
        codes[f"borough:{borough.slug}"] = BOROUGH_BASE + borough.id
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT unnest(filter_keys) FROM directory_service")
        for (key,) in cursor.fetchall():
            kind, _, value = key.partition(":")
            if kind == "language" and value.isalnum():
                codes[key] = LANGUAGE_BASE + int(value, 36)
        keys = list(codes)
        cursor.execute(BACKFILL, [keys, [codes[key] for key in keys]])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0006_index_services_by_name"),
        ("partnership", "0002_load_london_boroughs"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="filter_codes",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.IntegerField(),
                blank=True,
                default=list,
                editable=False,
                help_text="What the public search's filters match, as codes "
                "(search.filter_codes_of).",
                size=None,
            ),
        ),
        migrations.RunPython(codes_from_keys, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(model_name="service", name="service_search"),
        migrations.RemoveField(model_name="service", name="filter_keys"),
        migrations.AddIndex(
            model_name="service",
            index=django.contrib.postgres.indexes.GinIndex(
                fastupdate=False, fields=["search_vector", "filter_codes"], name="service_search"
            ),
        ),
        migrations.RunSQL("ANALYZE directory_service", migrations.RunSQL.noop),
    ]
