"""Access events are append-only and DASH assessments are kept as submitted (DESIGN §5).

The access-event trigger refuses every UPDATE and DELETE (TRUNCATE is left to the owner role:
the portal's app role is granted INSERT and SELECT only there). The DASH trigger refuses any
UPDATE except re-encryption of its encrypted columns by `rotate_field_keys`; a DASH row goes
only with its case, when retention purges it.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION marac_refuse_access_event_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'marac_accessevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER marac_accessevent_append_only
    BEFORE UPDATE OR DELETE ON marac_accessevent
    FOR EACH ROW EXECUTE FUNCTION marac_refuse_access_event_change();

CREATE FUNCTION marac_keep_dash_as_submitted() RETURNS trigger AS $$
BEGIN
    IF NEW.case_id IS DISTINCT FROM OLD.case_id
        OR NEW.version IS DISTINCT FROM OLD.version
        OR NEW.assessed_on IS DISTINCT FROM OLD.assessed_on
        OR NEW.assessor_id IS DISTINCT FROM OLD.assessor_id
        OR NEW.agency_id IS DISTINCT FROM OLD.agency_id
        OR NEW.answers IS DISTINCT FROM OLD.answers
        OR NEW.score IS DISTINCT FROM OLD.score
        OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'a DASH assessment is kept as submitted: add a new version instead'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER marac_dashassessment_as_submitted
    BEFORE UPDATE ON marac_dashassessment
    FOR EACH ROW EXECUTE FUNCTION marac_keep_dash_as_submitted();
"""

REVERSE = """
DROP TRIGGER IF EXISTS marac_dashassessment_as_submitted ON marac_dashassessment;
DROP FUNCTION IF EXISTS marac_keep_dash_as_submitted();
DROP TRIGGER IF EXISTS marac_accessevent_append_only ON marac_accessevent;
DROP FUNCTION IF EXISTS marac_refuse_access_event_change();
"""


class Migration(migrations.Migration):
    dependencies = [("marac", "0003_case_records_meetings_and_access")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]

