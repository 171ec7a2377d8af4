import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

# The same keys as `directory.search.filter_keys_of`, for the services already stored.
BACKFILL = """
UPDATE directory_service AS s SET filter_keys = ARRAY(
    SELECT DISTINCT key FROM (
        SELECT t.vocabulary || ':' || t.code AS key
        FROM directory_service_taxonomy_terms AS st
        JOIN directory_taxonomyterm AS t ON t.id = st.taxonomyterm_id
        WHERE st.service_id = s.id
        UNION ALL
        SELECT CASE WHEN a.extent = 'borough' THEN 'borough:' || b.slug ELSE 'area:' || a.extent END
        FROM directory_servicearea AS a
        LEFT JOIN partnership_borough AS b ON b.id = a.borough_id
        WHERE a.service_id = s.id
        UNION ALL
        SELECT 'language:' || code FROM unnest(s.languages) AS code
        UNION ALL
        SELECT 'flag:free' WHERE s.is_free
        UNION ALL
        SELECT 'flag:self-referral' WHERE s.accepts_self_referral
        UNION ALL
        SELECT 'flag:open-24-7' WHERE s.open_24_7
    ) AS keys
    ORDER BY key
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_index_areas_and_taxonomy_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="filter_keys",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=80),
                blank=True,
                default=list,
                editable=False,
                help_text="What the public search's filters match, as `kind:value` keys "
                "(filter_keys_of).",
                size=None,
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        # One GIN index over the words and the filter keys replaces the words' own index.
        migrations.RemoveIndex(model_name="service", name="service_search_vector"),
        migrations.AddIndex(
            model_name="service",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector", "filter_keys"], name="service_search"
            ),
        ),
        migrations.RunSQL("ANALYZE directory_service", migrations.RunSQL.noop),
    ]
