"""The data protection lead's handling of access alerts (`marac.oversight`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from marac.models import AccessAlertReview
from marac.oversight import Alert
from marac.services.recording import stamp
from partnership.models import Partnership, User
from partnership.services import record_change


@transaction.atomic
def access_alert_handle(
    *, acting_user: User, partnership: Partnership, alert: Alert, note: str = ""
) -> AccessAlertReview:
    """Mark an alert as looked into, with what was found."""
    if AccessAlertReview.objects.filter(partnership=partnership, key=alert.key).exists():
        raise ValidationError("This alert has already been handled.")
    review = AccessAlertReview(
        partnership=partnership,
        key=alert.key,
        kind=alert.kind,
        subject_id=alert.user_id,
        day=alert.day,
        note=note.strip(),
    )
    stamp(review, acting_user, new=True)
    review.save()
    record_change(
        actor=acting_user,
        action="access_alert_handle",
        obj=review,
        partnership=partnership,
        detail={"kind": alert.kind, "subject": alert.user_id, "day": alert.day.isoformat()},
    )
    return review
