from .declarations import (
    enrolment_attach_declaration,
    enrolment_mark_declaration_received,
)
from .eligibility import eligibility_problems, quota_for
from .enrolment import (
    edition_set_capacity,
    enrolment_approve,
    enrolment_create,
    enrolment_move,
    enrolment_reject,
    enrolment_withdraw,
    enrolments_expire,
    enrolments_promote,
    quota_set_size,
)
from .quotas import quota_save, quota_voivodeships_problems

__all__ = [
    "edition_set_capacity",
    "eligibility_problems",
    "enrolment_approve",
    "enrolment_attach_declaration",
    "enrolment_create",
    "enrolment_mark_declaration_received",
    "enrolment_move",
    "enrolment_reject",
    "enrolment_withdraw",
    "enrolments_expire",
    "enrolments_promote",
    "quota_for",
    "quota_save",
    "quota_set_size",
    "quota_voivodeships_problems",
]
