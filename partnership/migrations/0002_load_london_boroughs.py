"""Load the 33 London local authorities (GSS codes) from partnership/data/london-boroughs.csv."""

from django.db import migrations

from partnership.reference import load_london_boroughs


def load_boroughs(apps, schema_editor):
    load_london_boroughs(apps.get_model("partnership", "Borough"))


def unload_boroughs(apps, schema_editor):
    apps.get_model("partnership", "Borough").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("partnership", "0001_initial")]

    operations = [migrations.RunPython(load_boroughs, unload_boroughs)]
