"""Writes to MARAC records, by domain. Each is atomic, takes the acting user and records the
change (ids only) in the same transaction."""

from marac.services.grants import (
    case_agency_grant,
    case_agency_grant_revoke,
    case_full_lens_grant,
    case_full_lens_revoke,
    case_transfer,
    do_not_disclose_add,
    do_not_disclose_remove,
)
from marac.services.maracs import marac_create, marac_member_agency_add, marac_member_agency_leave
from marac.services.meetings import (
    agenda_circulate,
    agenda_item_add,
    agenda_item_mark_heard,
    case_action_close,
    case_action_create,
    meeting_create,
)
from marac.services.referrals import (
    ChildDetails,
    Criteria,
    DashAnswers,
    PerpetratorDetails,
    VictimDetails,
    case_accept,
    case_allocate_idva,
    case_close,
    dash_assess,
    dash_score,
    referral_submit,
)

__all__ = [
    "ChildDetails",
    "Criteria",
    "DashAnswers",
    "PerpetratorDetails",
    "VictimDetails",
    "agenda_circulate",
    "agenda_item_add",
    "agenda_item_mark_heard",
    "case_accept",
    "case_action_close",
    "case_action_create",
    "case_agency_grant",
    "case_agency_grant_revoke",
    "case_allocate_idva",
    "case_close",
    "case_full_lens_grant",
    "case_full_lens_revoke",
    "case_transfer",
    "dash_assess",
    "dash_score",
    "do_not_disclose_add",
    "do_not_disclose_remove",
    "marac_create",
    "marac_member_agency_add",
    "marac_member_agency_leave",
    "meeting_create",
    "referral_submit",
]
