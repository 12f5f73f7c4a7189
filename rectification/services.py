"""The one door for writes in rectification: every service, by concept, importable from here."""

from rectification.acceptance import Inspection, UnsatisfiedItem, acceptance_record, supervision_visit_record
from rectification.cases import (
    case_open_by_hand,
    case_transition,
    case_update,
    category_set_by_hand,
    workgroup_member_add,
    workgroup_member_remove,
)
from rectification.categories import (
    helper_assign,
    liaison_assign,
    liaison_end,
    pairing_create,
    showcase_designate,
)
from rectification.ledger import (
    evidence_upload,
    measure_create,
    measure_delete,
    measure_update,
    problem_create,
    problem_delete,
    problem_update,
    progress_note_add,
    project_create,
    project_delete,
    project_update,
    target_create,
    target_delete,
    target_update,
)
from rectification.subscriber import grades_catch_up, handle_grade_finalized

__all__ = [
    "Inspection",
    "UnsatisfiedItem",
    "acceptance_record",
    "case_open_by_hand",
    "case_transition",
    "case_update",
    "category_set_by_hand",
    "evidence_upload",
    "grades_catch_up",
    "handle_grade_finalized",
    "helper_assign",
    "liaison_assign",
    "liaison_end",
    "measure_create",
    "measure_delete",
    "measure_update",
    "pairing_create",
    "problem_create",
    "problem_delete",
    "problem_update",
    "progress_note_add",
    "project_create",
    "project_delete",
    "project_update",
    "showcase_designate",
    "supervision_visit_record",
    "target_create",
    "target_delete",
    "target_update",
    "workgroup_member_add",
    "workgroup_member_remove",
]
