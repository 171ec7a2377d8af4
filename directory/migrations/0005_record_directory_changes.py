from django.db import migrations, models

# Any statement changing services, taxonomy terms or boroughs replaces its transaction's row
# with a new id, so the count of rows and the newest id change with every change, committed
# or in progress, and roll back with it. Concurrent writers never wait for each other here.
TABLES = ["directory_service", "directory_taxonomyterm", "partnership_borough"]
FUNCTION = """
CREATE FUNCTION directory_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM directory_directorychange WHERE transaction = txid_current();
    INSERT INTO directory_directorychange (transaction, changed_at)
    VALUES (txid_current(), now());
    RETURN NULL;
END
$$
"""
TRIGGER = (
    "CREATE TRIGGER {table}_directory_change "
    "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION directory_record_change()"
)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_add_service_filter_keys"),
        ("partnership", "0005_add_user_unlocked_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectoryChange",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("transaction", models.BigIntegerField(db_index=True)),
                ("changed_at", models.DateTimeField()),
            ],
        ),
        migrations.RunSQL(FUNCTION, "DROP FUNCTION directory_record_change()"),
        *(
            migrations.RunSQL(
                TRIGGER.format(table=table), f"DROP TRIGGER {table}_directory_change ON {table}"
            )
            for table in TABLES
        ),
    ]
