"""The organization tree, members, committee positions and terms, restructuring history and roles."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from treebeard.mp_tree import MP_Node

from organizations.models.kinds import OrgKind
from organizations.roles import PERMISSION_LABELS, Role


class OrgField(models.TextChoices):
    RURAL = "rural", "农村"
    COMMUNITY = "community", "社区"
    ORGAN = "organ", "机关"
    INSTITUTION = "institution", "事业单位"
    STATE_ENTERPRISE = "state_enterprise", "国有企业"
    PRIVATE_ENTERPRISE = "private_enterprise", "非公企业"
    SOCIAL_ORG = "social_org", "社会组织"
    SCHOOL = "school", "学校"


class OrgLevel(models.TextChoices):
    DISTRICT = "district", "区委"
    TOWNSHIP = "township", "乡镇(街道)党(工)委"
    GRASSROOTS = "grassroots", "基层党组织"


# Kinds that are graded in the annual classification when they sit under a township committee
# (source part 1 §一: 含总支下的各类党支部; a party group is never graded).
GRADED_KINDS = frozenset({OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH, OrgKind.JOINT_BRANCH})


class Organization(MP_Node):
    """A node of the tree: depth 1 is the district, depth 2 a township committee, deeper the grassroots.

    The materialized path (treebeard) makes "this subtree" one indexed prefix query: ``path LIKE 'p%'``.
    """

    # treebeard's own columns, declared again only to name them in Chinese (the admin prints them)
    path = models.CharField("树路径", max_length=255, unique=True)
    depth = models.PositiveIntegerField("层级")
    numchild = models.PositiveIntegerField("下级组织数", default=0)
    code = models.CharField("组织代码", max_length=32, unique=True)
    name = models.CharField("组织名称", max_length=120)
    kind = models.CharField("组织类别", max_length=24, choices=OrgKind.choices)
    field = models.CharField("领域", max_length=24, choices=OrgField.choices, blank=True)
    units_covered = models.PositiveSmallIntegerField(
        "覆盖单位数", default=1, help_text="联合党支部覆盖的单位数(一般不超过5个)"
    )
    established_on = models.DateField("成立日期", null=True, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    is_graded = models.BooleanField("参加分类定级", default=False)
    # Maintained counts (issue 15): written by organizations.services.counts.counts_refresh, which every service that
    # adds, removes, moves or changes the status of a member, or assigns or ends a position, calls in its transaction;
    # `manage.py organizations_recount` checks and repairs them. District-wide pages read these instead of a GROUP BY
    # over every member.
    member_count = models.PositiveIntegerField("现有党员数", default=0, editable=False)
    full_member_count = models.PositiveIntegerField("正式党员数", default=0, editable=False)
    seat_count = models.PositiveIntegerField("班子成员数", default=0, editable=False)
    address = models.CharField("地址", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["path"]
        permissions = [(perm.value, label) for perm, label in PERMISSION_LABELS.items()]
        indexes = [
            # LIKE 'prefix%' on PostgreSQL needs a pattern opclass to use an index (ignored elsewhere).
            models.Index(fields=["path"], name="org_path_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["is_graded", "path"], name="org_graded_path_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> OrgLevel:
        if self.depth == 1:
            return OrgLevel.DISTRICT
        if self.depth == 2:
            return OrgLevel.TOWNSHIP
        return OrgLevel.GRASSROOTS

    @property
    def level_label(self) -> str:
        return self.level.label

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    def township_path(self) -> str:
        """Path prefix of the township this organization belongs to (itself if it is one)."""
        return self.path[: 2 * self.steplen]

    def is_in_subtree_of(self, other: Organization) -> bool:
        return self.path.startswith(other.path)


class OrganizationUserObjectPermission(UserObjectPermissionBase):
    """guardian direct foreign key: role grants join to the tree in one query."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name="用户")
    permission = models.ForeignKey(Permission, on_delete=models.CASCADE, verbose_name="权限")
    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE, verbose_name="党组织")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "党组织用户权限"
        verbose_name_plural = "党组织用户权限"


class OrganizationGroupObjectPermission(GroupObjectPermissionBase):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, verbose_name="用户组")
    permission = models.ForeignKey(Permission, on_delete=models.CASCADE, verbose_name="权限")
    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE, verbose_name="党组织")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "党组织用户组权限"
        verbose_name_plural = "党组织用户组权限"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", "研究生"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    HIGH_SCHOOL = "high_school", "高中/中专"
    JUNIOR = "junior", "初中及以下"


class MemberStatus(models.TextChoices):
    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


class Member(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name="所在党组织", on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=16, choices=Education.choices)
    occupation = models.CharField("职业", max_length=60, blank=True)
    joined_on = models.DateField("入党日期")
    status = models.CharField("党员类别", max_length=16, choices=MemberStatus.choices, default=MemberStatus.FULL)
    full_member_on = models.DateField("转正日期", null=True, blank=True)
    is_migrant = models.BooleanField("流动党员", default=False)
    migrant_note = models.CharField("外出去向", max_length=120, blank=True)
    under_party_probation = models.BooleanField(
        "留党察看期内", default=False, help_text="留党察看期间没有表决权、选举权和被选举权"
    )
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    left_on = models.DateField("离开日期", null=True, blank=True)
    left_reason = models.CharField("离开原因", max_length=60, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="member", verbose_name="党员账号"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        ordering = ["organization__path", "name", "pk"]
        indexes = [models.Index(fields=["organization", "status"], name="member_org_status_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


# A member's own record: the fields the member form edits and the audit records (with the organization).
MEMBER_RECORD_FIELDS = tuple(
    "name gender ethnicity birth_date education occupation joined_on status full_member_on is_migrant migrant_note "
    "under_party_probation id_number phone left_on left_reason".split()
)


def mask_id_number(value: str) -> str:
    """110101********123X: the region and the last four stay, the birth date is hidden."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


class CommitteeTerm(models.Model):
    """One term of an organization's committee (届): when it was elected, how many seats, when it ends (B6)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="terms", verbose_name="党组织"
    )
    elected_on = models.DateField("选举日期")
    ends_on = models.DateField("届满日期")
    seats = models.PositiveSmallIntegerField("委员职数")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "班子任期"
        verbose_name_plural = "班子任期"
        ordering = ["organization", "-elected_on", "-pk"]
        indexes = [models.Index(fields=["ends_on"], name="term_ends_idx")]

    def __str__(self) -> str:
        return f"{self.organization} {self.elected_on:%Y}届"


class Post(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    COMMITTEE_MEMBER = "committee_member", "委员"
    FIRST_SECRETARY = "first_secretary", "第一书记"


class Position(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="positions", verbose_name="党组织"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="positions", verbose_name="党员")
    post = models.CharField("职务", max_length=24, choices=Post.choices)
    term = models.ForeignKey(
        CommitteeTerm, on_delete=models.SET_NULL, null=True, blank=True, related_name="positions", verbose_name="任期"
    )
    started_on = models.DateField("任职日期")
    ended_on = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        verbose_name = "班子职务"
        verbose_name_plural = "班子职务"
        ordering = ["organization", "ended_on", "post", "started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "member", "post"],
                condition=Q(ended_on__isnull=True),
                name="position_one_open_post_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_post_display()} {self.member}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class ChangeKind(models.TextChoices):
    CREATED = "created", "成立"
    RENAMED = "renamed", "更名"
    UPGRADED = "upgraded", "升格/改设"
    SUB_CREATED = "sub_created", "设立下属组织"
    MEMBERS_MOVED = "members_moved", "党员调整"
    DISSOLVED = "dissolved", "撤销"


class OrgChange(models.Model):
    """Restructuring history: the old name and kind stay readable after an upgrade, rename or split."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="changes", verbose_name="党组织"
    )
    kind = models.CharField("变更类型", max_length=20, choices=ChangeKind.choices)
    old_name = models.CharField("原名称", max_length=120, blank=True)
    new_name = models.CharField("新名称", max_length=120, blank=True)
    old_kind = models.CharField("原类别", max_length=24, choices=OrgKind.choices, blank=True)
    new_kind = models.CharField("新类别", max_length=24, choices=OrgKind.choices, blank=True)
    effective_on = models.DateField("生效日期")
    note = models.TextField("说明", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name="操作人"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "组织设置变更"
        verbose_name_plural = "组织设置变更"
        ordering = ["organization", "-effective_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_kind_display()} {self.effective_on}"


class MemberTransfer(models.Model):
    """Where a member belonged before: every move between organizations is kept."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers", verbose_name="党员")
    from_org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="transfers_out", verbose_name="转出组织"
    )
    to_org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="transfers_in", verbose_name="转入组织"
    )
    moved_on = models.DateField("调整日期")
    reason = models.CharField("原因", max_length=200, blank=True)
    change = models.ForeignKey(
        OrgChange, on_delete=models.SET_NULL, null=True, blank=True, related_name="transfers", verbose_name="组织调整"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name="操作人"
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name="记录时间")

    class Meta:
        verbose_name = "党员组织关系调整"
        verbose_name_plural = "党员组织关系调整"
        ordering = ["-moved_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.member} {self.from_org} → {self.to_org} {self.moved_on}"


class RoleAssignment(models.Model):
    """The record of a grant: who holds which role where, who granted it and when.

    The permissions themselves live in guardian's object-permission rows written by ``role_grant``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments", verbose_name="用户"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="role_assignments", verbose_name="党组织"
    )
    role = models.CharField("角色", max_length=24, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="授予人",
    )
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "角色授予"
        verbose_name_plural = "角色授予"
        ordering = ["organization__path", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=Q(revoked_at__isnull=True),
                name="role_one_active_grant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# The workflow's models, in their own module (import them from there); imported here so that Django finds them.
from organizations.models import reorganization  # noqa: E402, F401
