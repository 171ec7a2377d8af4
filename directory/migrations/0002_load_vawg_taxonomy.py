from django.db import migrations


def load(apps, schema_editor):
    from directory.reference import load_taxonomy

    load_taxonomy(apps.get_model("directory", "TaxonomyTerm"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
