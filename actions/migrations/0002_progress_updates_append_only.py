"""Progress updates are append-only: the database refuses to change or delete one."""

from django.db import migrations

CREATE = """
CREATE FUNCTION actions_progressupdate_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'progress updates are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER actions_progressupdate_append_only
    BEFORE UPDATE OR DELETE ON actions_progressupdate
    FOR EACH ROW EXECUTE FUNCTION actions_progressupdate_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS actions_progressupdate_append_only ON actions_progressupdate;
DROP FUNCTION IF EXISTS actions_progressupdate_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("actions", "0001_initial_action_plans")]

    operations = [migrations.RunSQL(CREATE, DROP)]
