"""Roles and permissions, declared once.

A role is held at an organization and covers that organization's whole subtree, never its siblings or
ancestors. Granting a role writes django-guardian object permissions on the organization (one row per
permission in ``ROLE_PERMISSIONS``); every scope check reads those rows back, so there is exactly one
source of truth for "what may this user do where".
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    BRANCH_SECRETARY = "branch_secretary", "支部书记"
    TOWNSHIP_STAFF = "township_staff", "乡镇(街道)组织干事"
    DISTRICT_STAFF = "district_staff", "区委组织部"
    LIAISON_LEADER = "liaison_leader", "挂点联系领导"
    VIEWER = "viewer", "查阅(纪检、督查)"


class Perm(StrEnum):
    """Object-permission codenames on Organization (declared in ``Organization.Meta.permissions``)."""

    VIEW_RECORDS = "view_records"
    VIEW_PERSONAL_DATA = "view_personal_data"
    EDIT_ROSTER = "edit_roster"
    EXPORT_ROSTER = "export_roster"
    IMPORT_ROSTER = "import_roster"
    RESTRUCTURE = "restructure"
    GRANT_ROLES = "grant_roles"
    READ_AUDIT = "read_audit"
    # Annual classification (grading)
    SELF_ASSESS = "self_assess"
    SCORE_GRADES = "score_grades"
    REVIEW_GRADES = "review_grades"
    RAISE_OBJECTION = "raise_objection"
    REQUEST_REGRADE = "request_regrade"
    # Differentiated management and rectification
    MANAGE_CASES = "manage_cases"
    REPORT_PROGRESS = "report_progress"
    SUPERVISE = "supervise"
    # Elections
    ELECTION_MANAGE = "election_manage"
    ELECTION_VILLAGE_STEPS = "election_village_steps"
    ELECTION_COUNTY = "election_county"
    # Circulars (通知公告)
    SEND_CIRCULARS = "send_circulars"
    # Membership transfers (组织关系转接): the committee over the sender issues the 介绍信 and records the 回执
    TRANSFER_LETTER = "transfer_letter"


PERMISSION_LABELS: dict[Perm, str] = {
    Perm.VIEW_RECORDS: "查看组织、党员和记录",
    Perm.VIEW_PERSONAL_DATA: "查看身份证号和电话",
    Perm.EDIT_ROSTER: "维护党员名册和班子职务",
    Perm.EXPORT_ROSTER: "导出名册",
    Perm.IMPORT_ROSTER: "导入名册",
    Perm.RESTRUCTURE: "调整组织设置",
    Perm.GRANT_ROLES: "授予角色",
    Perm.READ_AUDIT: "查阅操作日志",
    Perm.SELF_ASSESS: "填报自查自评(附件1–3)并提交",
    Perm.SCORE_GRADES: "乡镇初审:退回、评分(附件4)、初定等次、公示、报送",
    Perm.REVIEW_GRADES: "区委审定等次、处理异议、年底复核定级",
    Perm.RAISE_OBJECTION: "提出异议",
    Perm.REQUEST_REGRADE: "申请复核(提档升级或降级)",
    Perm.MANAGE_CASES: "挂点联系、结对共建和整改台账管理",
    Perm.REPORT_PROGRESS: "报告整改进展、上传佐证材料",
    Perm.SUPERVISE: "确定示范点、整顿立案与验收、督查、通报",
    Perm.ELECTION_MANAGE: "换届选举:立项、乡镇环节、候选人审查、批复结果",
    Perm.ELECTION_VILLAGE_STEPS: "换届选举:村级环节、选举登记、推荐和计票录入",
    Perm.ELECTION_COUNTY: "换届选举:县级环节(资格联审、书记人选审定)",
    Perm.SEND_CIRCULARS: "向下级党组织发送通知公告、提醒回复",
    Perm.TRANSFER_LETTER: "组织关系转接:开具介绍信、登记回执",
}

_ALL = frozenset(Perm)
_DISTRICT_ONLY = frozenset({Perm.REVIEW_GRADES, Perm.SUPERVISE, Perm.ELECTION_COUNTY})
# The township's own work that the district does not do in its place (DESIGN.md roles × actions).
_TOWNSHIP_ONLY = frozenset({Perm.SCORE_GRADES, Perm.RAISE_OBJECTION, Perm.REQUEST_REGRADE})

# The roles × actions table of DESIGN.md. The scope is always the subtree where the role was granted.
ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.BRANCH_SECRETARY: frozenset(
        {
            Perm.VIEW_RECORDS,
            Perm.VIEW_PERSONAL_DATA,
            Perm.EDIT_ROSTER,
            Perm.EXPORT_ROSTER,
            Perm.SELF_ASSESS,
            Perm.RAISE_OBJECTION,
            Perm.REPORT_PROGRESS,
            Perm.ELECTION_VILLAGE_STEPS,
        }
    ),
    Role.TOWNSHIP_STAFF: _ALL - _DISTRICT_ONLY - {Perm.SELF_ASSESS},
    Role.DISTRICT_STAFF: _ALL - _TOWNSHIP_ONLY - {Perm.SELF_ASSESS},
    Role.LIAISON_LEADER: frozenset({Perm.VIEW_RECORDS, Perm.REPORT_PROGRESS}),
    Role.VIEWER: frozenset({Perm.VIEW_RECORDS, Perm.EXPORT_ROSTER}),
}

# Which roles a holder of GRANT_ROLES may hand out below them: township staff grant branch secretaries in
# their subtree; district staff grant everything.
GRANTABLE_ROLES: dict[Role, frozenset[Role]] = {
    Role.TOWNSHIP_STAFF: frozenset({Role.BRANCH_SECRETARY}),
    Role.DISTRICT_STAFF: frozenset(Role),
}

# Order in which a person's home page is chosen when they hold several roles: the widest view wins.
HOME_PRIORITY: tuple[Role, ...] = (
    Role.DISTRICT_STAFF,
    Role.TOWNSHIP_STAFF,
    Role.VIEWER,
    Role.BRANCH_SECRETARY,
    Role.LIAISON_LEADER,
)
