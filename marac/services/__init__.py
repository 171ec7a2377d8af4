"""Writes to MARAC records, by domain. Each is atomic, takes the acting user and records the
change (ids only) in the same transaction."""

from marac.services.exports import (
    case_export_create,
    case_export_download,
    case_exports_expire,
)
from marac.services.grants import (
    case_agency_grant,
    case_agency_grant_revoke,
    case_full_lens_grant,
    case_full_lens_revoke,
    do_not_disclose_add,
    do_not_disclose_remove,
)
from marac.services.maracs import marac_create, marac_member_agency_add, marac_member_agency_leave
from marac.services.meetings import (
    AgreedAction,
    agenda_circulate,
    agenda_item_add,
    agenda_item_mark_heard,
    case_action_close,
    case_action_create,
    meeting_actions_record,
    meeting_create,
    meeting_record_heard,
)
from marac.services.oversight import access_alert_handle
from marac.services.referrals import (
    ChildDetails,
    Criteria,
    DashAnswers,
    PerpetratorDetails,
    VictimDetails,
    case_accept,
    case_allocate_idva,
    case_close,
    cases_accept,
    cases_allocate_idva,
    dash_assess,
    dash_score,
    referral_submit,
)
from marac.services.retention import legal_hold_lift, legal_hold_set, marac_data_purge
from marac.services.transfers import (
    case_transfer,
    case_transfer_accept,
    case_transfer_decline,
    case_transfer_request,
)

__all__ = [
    "access_alert_handle",
    "AgreedAction",
    "cases_accept",
    "cases_allocate_idva",
    "meeting_actions_record",
    "meeting_record_heard",
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
    "case_export_create",
    "case_export_download",
    "case_exports_expire",
    "case_transfer",
    "case_transfer_accept",
    "case_transfer_decline",
    "case_transfer_request",
    "dash_assess",
    "legal_hold_lift",
    "legal_hold_set",
    "marac_data_purge",
    "dash_score",
    "do_not_disclose_add",
    "do_not_disclose_remove",
    "marac_create",
    "marac_member_agency_add",
    "marac_member_agency_leave",
    "meeting_create",
    "referral_submit",
]
