"""A city-sized, deterministic dataset: ``build_scale(orgs=N)`` (``manage.py load_scale --orgs N``).

Shape: one root (规模测试市委, code ``S``) over ``T = max(2, round(sqrt(N) / 2))`` townships (10 at 400 graded
organizations, 35 at 5,000), each holding its share of exactly N graded organizations: branches, joint branches and
every twelfth unit a general branch with sub-branches; some branches have party groups (not graded). About 30 members
per graded organization (150,000 at 5,000), a committee term and a secretary for each, accounts for the district,
every township and every graded organization's secretary (password ``SCALE_PASSWORD``), guardian rows written in
bulk exactly as ``role_grant`` would write them.

Grading: a finished campaign (``FINISHED_YEAR``: every assessment 已定级, with 附件1–4 content, item scores at the self
and township levels, one notice per township, grade records) and the next year's campaign open with every assessment
in draft (the load test's deadline day). Rectification: each final grade applied (category, ``GradeApplication``, so
the catch-up sweep finds nothing to do) and an open case with problems and measures for every 较差 organization.
Elections: a 换届选举 project for every organization whose committee term ends within half a year or has ended
(opened by its township's staff, with the year's 32 steps, spread over the six phases, the steps of passed phases
done, the voter roll registered from 部署启动 on).

Everything random comes from one ``random.Random(seed)``; every date counts from
``organizations.demo.plan.REFERENCE_DATE``.
Names, ID numbers, phones and tree paths come from ``organizations.demo`` (``PersonFactory``, the same name lists,
treebeard's own ``_get_path``). Rows go in with PostgreSQL ``COPY`` (ids taken from the sequence in one query), or
``bulk_create`` on other databases: no per-row saves. Run it into an empty database of its own::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/partybuild_scale python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/partybuild_scale python manage.py load_scale --orgs 5000
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection, models, transaction
from django.utils import timezone

from grading.models import (
    Assessment,
    AssessmentStatus,
    AttendeeCategory,
    Campaign,
    CampaignStatus,
    EvaluationMeeting,
    GradeRecord,
    Item,
    ItemScore,
    MeetingTallyRow,
    Notice,
    ScoreLevel,
    SelfReport,
)
from grading.rules import grades as grading_rules
from grading.services.assessments import good_share_of
from grading.services.campaigns import campaign_create, campaign_open
from organizations.demo.people import PersonFactory
from organizations.demo.plan import (
    COMMUNITY_NAMES,
    COMPANY_HEADS,
    COMPANY_TRADES,
    REFERENCE_DATE,
    STREETS,
    TOWNS,
    VILLAGE_HEADS,
    VILLAGE_TAILS,
)
from organizations.models import (
    CommitteeTerm,
    Member,
    MemberStatus,
    Organization,
    OrganizationUserObjectPermission,
    OrgField,
    OrgKind,
    Position,
    Post,
    RoleAssignment,
)
from organizations.roles import ROLE_PERMISSIONS, Role
from organizations.rules import term_end
from organizations.services.tree import default_is_graded
from rectification.models import (
    Case,
    CaseSource,
    CategoryAssignment,
    CategorySource,
    GradeApplication,
    Measure,
    Problem,
    WorkGroupMember,
)
from rectification.rules.cases import Phase
from rectification.rules.ledger import MeasureStatus, ProblemCategory, ProblemSource

ROOT_CODE = "S"
ROOT_NAME = "规模测试市委"
SEED = 20261206
SCALE_PASSWORD = "scale12345"
FINISHED_YEAR = 2025
OPEN_YEAR = 2026
MEMBERS_PER_ORG = 30
ROOT_NAME_FORMAT = "{name}({orgs}个参评组织)"


class ScaleError(Exception):
    """The database is not one this command may fill (it holds other data)."""


@dataclass
class ScaleSummary:
    created: bool
    orgs: int = 0
    townships: int = 0
    organizations: int = 0
    members: int = 0
    accounts: int = 0
    assessments: int = 0
    item_scores: int = 0
    grades: dict[str, int] = field(default_factory=dict)
    open_cases: int = 0
    elections: str = ""
    seconds: float = 0.0
    steps: list[tuple[str, float]] = field(default_factory=list)


def scale_root() -> Organization | None:
    return Organization.objects.filter(code=ROOT_CODE, depth=1).first()


def township_count(orgs: int) -> int:
    return max(2, round(math.sqrt(orgs) / 2))


# --- bulk writing ------------------------------------------------------------------------------------------------


def copy_insert(model: type[models.Model], objs: Sequence[models.Model], batch: int = 20000) -> None:
    """Insert ``objs`` (unsaved instances) with COPY on PostgreSQL, ids drawn from the table's sequence in one
    query and set on the instances; ``bulk_create`` elsewhere. ``auto_now`` fields get their value as in a save."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=1000)
        return
    meta = model._meta
    table = meta.db_table
    fields = list(meta.concrete_fields)
    for obj in objs:  # foreign keys to objects that got their id after this one was built (as bulk_create does)
        obj._prepare_related_fields_for_save(operation_name="copy_insert")
    need = [o for o in objs if o.pk is None]
    with connection.cursor() as cur:
        if need:
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, meta.pk.column, len(need)],
            )
            for obj, (pk,) in zip(need, cur.fetchall(), strict=True):
                obj.pk = pk
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
        for start in range(0, len(objs), batch):
            with cur.cursor.copy(sql) as copy:
                for obj in objs[start : start + batch]:
                    copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = "default"


# --- the plan ----------------------------------------------------------------------------------------------------


@dataclass
class Unit:
    code: str
    name: str
    kind: str
    field: str
    established_on: date
    size: int = 0
    children: list[Unit] = field(default_factory=list)
    org: Organization | None = None

    def walk(self) -> Iterable[Unit]:
        yield self
        for child in self.children:
            yield from child.walk()


# Fields of a town's and of a street's units, with weights (villages dominate towns, communities streets).
TOWN_FIELDS = [
    (OrgField.RURAL, 60),
    (OrgField.COMMUNITY, 8),
    (OrgField.ORGAN, 8),
    (OrgField.INSTITUTION, 6),
    (OrgField.SCHOOL, 6),
    (OrgField.PRIVATE_ENTERPRISE, 8),
    (OrgField.SOCIAL_ORG, 4),
]
STREET_FIELDS = [
    (OrgField.COMMUNITY, 45),
    (OrgField.ORGAN, 10),
    (OrgField.INSTITUTION, 8),
    (OrgField.SCHOOL, 8),
    (OrgField.STATE_ENTERPRISE, 6),
    (OrgField.PRIVATE_ENTERPRISE, 17),
    (OrgField.SOCIAL_ORG, 6),
]
UNIT_SUFFIX = {
    OrgField.RURAL: "村",
    OrgField.COMMUNITY: "社区",
    OrgField.ORGAN: "机关",
    OrgField.INSTITUTION: "服务中心",
    OrgField.SCHOOL: "学校",
    OrgField.STATE_ENTERPRISE: "国有公司",
    OrgField.SOCIAL_ORG: "协会",
}


class _Planner:
    def __init__(self, orgs: int, rng: random.Random) -> None:
        self.orgs = orgs
        self.rng = rng
        self.places = sorted({h + t for h in VILLAGE_HEADS for t in VILLAGE_TAILS if h != t})

    def day(self, first: int, last: int) -> date:
        start = date(first, 1, 1)
        return start + timedelta(days=self.rng.randrange((date(last, 12, 31) - start).days + 1))

    def unit_name(self, town: str, fld: str) -> str:
        rng = self.rng
        if fld == OrgField.RURAL:
            return f"{rng.choice(self.places)}村"
        if fld == OrgField.COMMUNITY:
            return f"{town}{rng.choice(COMMUNITY_NAMES)}社区"
        if fld == OrgField.PRIVATE_ENTERPRISE:
            return f"广西{rng.choice(COMPANY_HEADS)}{rng.choice(COMPANY_TRADES)}有限公司"
        return f"{town}{rng.choice(self.places)}{UNIT_SUFFIX[fld]}"

    def plan(self) -> Unit:
        root = Unit(
            ROOT_CODE, ROOT_NAME_FORMAT.format(name=ROOT_NAME, orgs=self.orgs), OrgKind.COMMITTEE, "", date(1984, 10, 1)
        )
        count = township_count(self.orgs)
        base, extra = divmod(self.orgs, count)
        for t in range(count):
            street = t % 3 == 2
            names = STREETS if street else TOWNS
            town = names[t % len(names)].removesuffix("镇").removesuffix("街道")
            if t >= len(TOWNS) + len(STREETS):
                town = f"{self.rng.choice(self.places)}{'街道' if street else '镇'}"
            label = f"{town}{'街道党工委' if street else '镇党委'}"
            township = Unit(
                f"{ROOT_CODE}{t + 1:03d}",
                label,
                OrgKind.WORKING_COMMITTEE if street else OrgKind.COMMITTEE,
                "",
                self.day(1984, 2004),
            )
            self.fill(township, town, base + (1 if t < extra else 0), STREET_FIELDS if street else TOWN_FIELDS)
            root.children.append(township)
        return root

    def fill(self, township: Unit, town: str, quota: int, weights: list[tuple[str, int]]) -> None:
        rng = self.rng
        fields, w = zip(*weights, strict=True)
        left, j = quota, 0
        while left > 0:
            j += 1
            code = f"{township.code}-{j:03d}"
            fld = rng.choices(fields, weights=w)[0]
            place = self.unit_name(town, fld)
            if j % 12 == 2 and left >= 4:  # a general branch with 2–3 sub-branches (all graded)
                subs = min(rng.randint(2, 3), left - 1)
                unit = Unit(code, f"{place}党总支", OrgKind.GENERAL_BRANCH, fld, self.day(1960, 2000))
                unit.children = [
                    Unit(
                        f"{code}-{k:02d}",
                        f"{place}第{'一二三'[k - 1]}党支部",
                        OrgKind.BRANCH,
                        fld,
                        self.day(2000, 2020),
                    )
                    for k in range(1, subs + 1)
                ]
                left -= 1 + subs
            elif j % 9 == 5 and fld == OrgField.PRIVATE_ENTERPRISE:
                unit = Unit(code, f"{town}非公企业联合党支部{j}", OrgKind.JOINT_BRANCH, fld, self.day(2012, 2023))
                left -= 1
            else:
                unit = Unit(code, f"{place}党支部", OrgKind.BRANCH, fld, self.day(1960, 2020))
                if j % 15 == 4:  # party groups: in the tree, never graded
                    unit.children = [
                        Unit(
                            f"{code}-G{g}",
                            f"{place}第{'一二'[g - 1]}党小组",
                            OrgKind.PARTY_GROUP,
                            fld,
                            self.day(2010, 2022),
                        )
                        for g in (1, 2)
                    ]
                left -= 1
            township.children.append(unit)


# --- the build ---------------------------------------------------------------------------------------------------


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime(hour, 0)))


def elections_have_models() -> bool:
    try:
        return apps.is_installed("elections") and bool(list(apps.get_app_config("elections").get_models()))
    except LookupError:
        return False


ELECTION_WINDOW_DAYS = 180  # projects for the terms ending within half a year (A13's reminder), and overdue ones


def election_summary() -> str:
    from elections.models import ElectionProject, Step, Voter

    phases: dict[str, int] = {}
    for status in ElectionProject.objects.values_list("status", flat=True):
        phases[status] = phases.get(status, 0) + 1
    by_phase = ", ".join(f"{k} {v}" for k, v in sorted(phases.items()))
    return (
        f"{sum(phases.values())} election projects ({by_phase}), {Step.objects.count()} steps, "
        f"{Voter.objects.count()} voters registered"
    )


def build_scale(*, orgs: int, seed: int = SEED, log: Callable[[str], None] = lambda s: None) -> ScaleSummary:
    """Build the dataset once. An existing scale root built for the same N: nothing changes. Anything else in the
    database (another tree, another size): ``ScaleError`` (use a database of its own)."""
    started = time.perf_counter()
    root = scale_root()
    if root is not None:
        if root.name == ROOT_NAME_FORMAT.format(name=ROOT_NAME, orgs=orgs):
            return summarize(root, created=False, seconds=time.perf_counter() - started)
        raise ScaleError(f"这个数据库已有另一规模的测试数据({root.name}):请换一个数据库(DATABASE_URL)")
    if Organization.objects.exists() or get_user_model().objects.exists():
        raise ScaleError(
            "数据库里已有组织或账号:规模测试数据只写入空数据库,请用单独的 DATABASE_URL,例如 "
            "postgres://postgres@127.0.0.1:5432/partybuild_scale(先 migrate)"
        )
    builder = _Builder(orgs=orgs, seed=seed, log=log)
    with transaction.atomic():
        root = builder.build()
    if connection.vendor == "postgresql":
        # Fresh statistics: right after a bulk load the planner believes the tables are empty (rows=1) and picks
        # nested loops over thousands of rows (the district overview took 300 ms instead of 150 ms before this).
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        builder.step("analyze")
    summary = summarize(root, created=True, seconds=time.perf_counter() - started)
    summary.steps = builder.steps
    summary.elections = builder.elections_note
    return summary


def summarize(root: Organization, *, created: bool, seconds: float) -> ScaleSummary:
    finished = Campaign.objects.filter(year=FINISHED_YEAR).first()
    grades: dict[str, int] = {}
    assessments = item_scores = 0
    if finished is not None:
        rows = Assessment.objects.filter(campaign=finished).values_list("final_grade", flat=True)
        for g in rows:
            grades[g] = grades.get(g, 0) + 1
        assessments = len(rows)
        item_scores = ItemScore.objects.filter(assessment__campaign=finished).count()
    orgs = Organization.objects.filter(path__startswith=root.path)
    return ScaleSummary(
        created=created,
        orgs=orgs.filter(is_graded=True).count(),
        townships=orgs.filter(depth=2).count(),
        organizations=orgs.count(),
        members=Member.objects.filter(organization__path__startswith=root.path).count(),
        accounts=get_user_model().objects.count(),
        assessments=assessments,
        item_scores=item_scores,
        grades=grades,
        open_cases=Case.objects.exclude(phase=Phase.ACCEPTED).count(),
        elections=election_summary() if elections_have_models() else "skipped: the elections app has no models yet",
        seconds=seconds,
    )


class _Builder:
    def __init__(self, *, orgs: int, seed: int, log: Callable[[str], None]) -> None:
        self.orgs = orgs
        self.rng = random.Random(seed)
        self.people = PersonFactory(self.rng, REFERENCE_DATE)
        self.log = log
        self.steps: list[tuple[str, float]] = []
        self.elections_note = ""
        self._t = time.perf_counter()

    def step(self, name: str) -> None:
        now = time.perf_counter()
        self.steps.append((name, now - self._t))
        self.log(f"  {name}: {now - self._t:.1f} s")
        self._t = now

    def build(self) -> Organization:
        plan = _Planner(self.orgs, self.rng).plan()
        root = Organization.objects.add_root(
            {
                "code": plan.code,
                "name": plan.name,
                "kind": plan.kind,
                "established_on": plan.established_on,
                "is_graded": False,
            }
        )
        plan.org = root
        units = self.write_tree(plan)
        self.step("organizations")
        self.write_members(units)
        self.step("members")
        self.write_committees(units)
        self.step("committees")
        self.write_accounts(plan, units)
        self.step("accounts and roles")
        finished = self.write_finished_campaign(plan, units)
        self.step("finished campaign")
        self.write_rectification(finished)
        self.step("rectification")
        campaign = campaign_create(actor=self.district_user, year=OPEN_YEAR)
        campaign_open(actor=self.district_user, campaign=campaign)
        self.step("open campaign")
        if elections_have_models():
            self.elections_note = self.write_elections()
        else:
            self.elections_note = "skipped: the elections app has no models yet"
        self.step("elections")
        self.log(f"  elections: {self.elections_note}")
        return root

    # --- elections ---

    def write_elections(self) -> str:
        """换届选举 projects for every organization whose committee term ends within ELECTION_WINDOW_DAYS of the
        reference date (or has ended): the township opened them (created_by its staff account) with the year's 32
        steps, spread over the six phases; the steps of the phases already passed are done, and from 部署启动 on
        the voter roll is registered from the roster as ``elections.services.voters.voters_register`` does it (full
        members due, probationary members and those under 留党察看 listed without a vote)."""
        from elections.models import ElectionMethod, ElectionProject, Step, Voter, VoterStatus
        from elections.models.project import PHASE_ORDER
        from elections.models.project import Phase as ElectionPhase
        from elections.rules.votes import VoterFacts, counts_toward_due
        from elections.services.steps import ensure_step_templates

        today = self.people.today
        running = [p for p in PHASE_ORDER if p != ElectionPhase.CLOSED]
        width = 2 * Organization.steplen
        townships = {o.path: o for o in Organization.objects.filter(depth=2)}
        templates: dict[int, list[Any]] = {}
        projects: list[ElectionProject] = []
        for term in sorted(self.terms, key=lambda t: t.organization.path):
            if term.ends_on > today + timedelta(days=ELECTION_WINDOW_DAYS):
                continue
            org = term.organization
            election_date = max(term.ends_on, today) + timedelta(days=self.rng.randint(14, 120))
            project = ElectionProject(
                organization=org,
                township=townships[org.path[:width]],
                year=election_date.year,
                status=self.rng.choice(running),
                method=ElectionMethod.DIRECT if self.rng.random() < 0.5 else ElectionMethod.INDIRECT,
                seats=term.seats,
                previous_seats=term.seats,
                election_date=election_date,
                term=term,
                created_by=self.township_accounts.get(org.path[:width]),
            )
            projects.append(project)
            templates.setdefault(election_date.year, ensure_step_templates(election_date.year))
        copy_insert(ElectionProject, projects)
        steps: list[Step] = []
        voters: list[Voter] = []
        for project in projects:
            reached = PHASE_ORDER.index(project.status)
            for t in templates[project.year]:
                due = project.election_date + timedelta(days=t.due_offset_days)
                done = PHASE_ORDER.index(t.phase) < reached
                steps.append(Step(project=project, template=t, due_on=due, done_on=min(due, today) if done else None))
            if reached == 0:
                continue
            for m in self.members_by_org.get(project.organization.pk, []):
                if m.left_on is not None:
                    continue
                full = m.status == MemberStatus.FULL
                eligible = counts_toward_due(VoterFacts(m.name, full, m.under_party_probation))
                voters.append(
                    Voter(
                        project=project,
                        member=m,
                        status=VoterStatus.DUE if eligible else VoterStatus.INELIGIBLE,
                        is_migrant=m.is_migrant,
                        note="" if eligible else ("留党察看期间" if m.under_party_probation else "预备党员"),
                    )
                )
        copy_insert(Step, steps)
        copy_insert(Voter, voters)
        return election_summary()

    # --- tree, members, committees ---

    def write_tree(self, plan: Unit) -> list[Unit]:
        rows: list[Organization] = []

        def place(node: Unit, parent_path: str, depth: int) -> None:
            for position, child in enumerate(sorted(node.children, key=lambda c: c.code), start=1):
                path = Organization._get_path(parent_path, depth, position)
                child.org = Organization(
                    path=path,
                    depth=depth,
                    numchild=len(child.children),
                    code=child.code,
                    name=child.name,
                    kind=child.kind,
                    field=child.field,
                    established_on=child.established_on,
                    is_graded=default_is_graded(kind=child.kind, depth=depth),
                )
                rows.append(child.org)
                place(child, path, depth + 1)

        assert plan.org is not None
        place(plan, plan.org.path, plan.org.depth + 1)
        rows.sort(key=lambda o: o.path)
        copy_insert(Organization, rows)
        Organization.objects.filter(pk=plan.org.pk).update(numchild=len(plan.children))
        units = [u for u in plan.walk() if u is not plan]
        graded = sum(1 for u in units if u.org is not None and u.org.is_graded)
        assert graded == self.orgs, (graded, self.orgs)
        return units

    def write_members(self, units: list[Unit]) -> None:
        leaves = [u for u in units if u.org is not None and u.org.is_graded and u.kind != OrgKind.GENERAL_BRANCH]
        avg = MEMBERS_PER_ORG * self.orgs / max(1, len(leaves))
        low, high = max(3, round(avg * 0.4)), max(4, round(avg * 1.6))
        members: list[Member] = []
        self.members_by_org: dict[int, list[Member]] = defaultdict(list)
        for unit in leaves:
            assert unit.org is not None
            for i in range(self.rng.randint(low, high)):
                probationary = i >= 3 and self.rng.random() < 0.055
                member = self.people.member(unit.org, unit.field, probationary=probationary)
                members.append(member)
                self.members_by_org[unit.org.pk].append(member)
        copy_insert(Member, members)
        self.member_count = len(members)

    def write_committees(self, units: list[Unit]) -> None:
        terms: list[CommitteeTerm] = []
        crews: list[tuple[CommitteeTerm, list[Member]]] = []
        for unit in units:
            org = unit.org
            if org is None or not org.is_graded:
                continue
            pool = [m for sub in unit.walk() if sub.org is not None for m in self.members_by_org.get(sub.org.pk, [])]
            full = [m for m in pool if m.status == MemberStatus.FULL and not m.under_party_probation]
            seats = min(5 if len(full) >= 30 else 3 if len(full) >= 7 else 1, len(full))
            if seats == 0:
                continue
            elected = max(self.people.today - timedelta(days=self.rng.randint(60, 1700)), org.established_on)
            term = CommitteeTerm(
                organization=org,
                elected_on=elected,
                seats=seats,
                ends_on=term_end(elected_on=elected, kind=org.kind, field=org.field),
            )
            terms.append(term)
            crews.append((term, self.rng.sample(full, seats)))
        copy_insert(CommitteeTerm, terms)
        self.terms = terms
        positions = [
            Position(
                organization=term.organization,
                member=m,
                term=term,
                started_on=term.elected_on,
                post=Post.SECRETARY if i == 0 else Post.COMMITTEE_MEMBER,
            )
            for term, crew in crews
            for i, m in enumerate(crew)
        ]
        copy_insert(Position, positions)
        self.secretaries = {p.organization.pk: p.member for p in positions if p.post == Post.SECRETARY}

    def write_accounts(self, plan: Unit, units: list[Unit]) -> None:
        user_model = get_user_model()
        password = make_password(SCALE_PASSWORD)
        grants: list[tuple[Any, Organization, Role]] = []
        users: list[Any] = []

        def account(username: str, org: Organization, role: Role, person: tuple[str, str] | None = None) -> Any:
            surname, given = person or self.people.name()
            user = user_model(
                username=username,
                password=password,
                first_name=f"{surname}{given}",  # 姓名, one field (core.names)
                date_joined=_at(REFERENCE_DATE),
            )
            users.append(user)
            grants.append((user, org, role))
            return user

        assert plan.org is not None
        self.district_user = account("district", plan.org, Role.DISTRICT_STAFF)
        self.township_accounts: dict[str, Any] = {}
        for i, township in enumerate(plan.children, start=1):
            assert township.org is not None
            user = account(f"township{i:03d}", township.org, Role.TOWNSHIP_STAFF)
            self.township_accounts[township.org.path] = user
        graded = sorted((u.org for u in units if u.org is not None and u.org.is_graded), key=lambda o: o.path)
        for i, org in enumerate(graded, start=1):
            secretary = self.secretaries.get(org.pk)
            person = (secretary.name[0], secretary.name[1:]) if secretary is not None else None
            account(f"branch{i:05d}", org, Role.BRANCH_SECRETARY, person)
        copy_insert(user_model, users)
        # What role_grant writes, in bulk: the assignment and guardian's object-permission rows of the role.
        perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="organizations")}
        copy_insert(RoleAssignment, [RoleAssignment(user=u, organization=o, role=r) for u, o, r in grants])
        copy_insert(
            OrganizationUserObjectPermission,
            [
                OrganizationUserObjectPermission(user=u, content_object=o, permission=perms[p.value])
                for u, o, r in grants
                for p in sorted(ROLE_PERMISSIONS[r])
            ],
        )
        self.account_count = len(users)

    # --- grading ---

    def write_finished_campaign(self, plan: Unit, units: list[Unit]) -> Campaign:
        rng = self.rng
        campaign = campaign_create(actor=self.district_user, year=FINISHED_YEAR)
        template = campaign.templates.get(field="")
        items = list(Item.objects.filter(dimension__template=template).order_by("dimension__order", "order"))
        veto_items = [i for i in items if i.is_veto]
        deadlines = grading_rules.default_deadlines(FINISHED_YEAR)
        submitted_on = deadlines["self_assessment_due"] - timedelta(days=5)
        published_on = deadlines["township_review_due"] - timedelta(days=2)
        approved_on = deadlines["district_review_due"] - timedelta(days=3)
        objection_due = approved_on + timedelta(days=9)
        finalized = _at(objection_due + timedelta(days=1), 9)

        notices: dict[int, Notice] = {}
        for township in plan.children:
            assert township.org is not None
            notices[township.org.pk] = Notice(
                campaign=campaign,
                township=township.org,
                title=f"{township.org.name}{FINISHED_YEAR}年度分类定级公示",
                body="现将初定等次予以公示。",
                contact="0771-0000000",
                published_on=published_on,
                starts_on=published_on + timedelta(days=1),
                ends_on=published_on + timedelta(days=3),
                published_by=None,
            )
        copy_insert(Notice, list(notices.values()))

        assessments: list[Assessment] = []
        scores: list[ItemScore] = []
        reports: list[SelfReport] = []
        meetings: list[EvaluationMeeting] = []
        tallies: list[MeetingTallyRow] = []
        records: list[GradeRecord] = []
        for township in plan.children:
            for unit in township.walk():
                org = unit.org
                if org is None or not org.is_graded:
                    continue
                quality = min(0.995, max(0.35, rng.gauss(0.82, 0.075)))
                vetoed = rng.random() < 0.015
                self_points = [
                    Decimal(
                        round(float(i.max_points) * min(1.0, max(0.0, quality + 0.03 + rng.gauss(0, 0.05))), 1)
                    ).quantize(Decimal("0.1"))
                    for i in items
                ]
                town_points = [
                    Decimal(round(float(i.max_points) * min(1.0, max(0.0, quality + rng.gauss(0, 0.05))), 1)).quantize(
                        Decimal("0.1")
                    )
                    for i in items
                ]
                self_score, town_score = sum(self_points, Decimal(0)), sum(town_points, Decimal(0))
                grade = grading_rules.grade_for_score(town_score, vetoed=vetoed)
                c = grading_rules.consequences(grade)
                members = sum(len(self.members_by_org.get(s.org.pk, [])) for s in unit.walk() if s.org is not None)
                a = Assessment(
                    campaign=campaign,
                    organization=org,
                    template=template,
                    status=AssessmentStatus.FINAL,
                    version=rng.randint(3, 12),
                    self_score=self_score,
                    self_grade=grading_rules.grade_for_score(self_score),
                    committee_met_on=submitted_on - timedelta(days=3),
                    committee_for=3,
                    committee_against=0,
                    committee_abstain=0,
                    submitted_at=_at(submitted_on),
                    township_score=town_score,
                    township_vetoed=vetoed,
                    township_grade=grade,
                    township_opinion="同意初定等次。",
                    scored_at=_at(published_on - timedelta(days=1)),
                    notice=notices[township.org.pk],
                    district_grade=grade,
                    approved_at=_at(approved_on),
                    objection_due=objection_due,
                    final_grade=grade,
                    final_score=town_score,
                    finalized_at=finalized,
                    nominable_as_advanced=c.nominable_as_advanced,
                    secretary_promotable_next_year=c.secretary_promotable_next_year,
                    committee_appraisal_cap=c.committee_appraisal_cap or "",
                )
                assessments.append(a)
                veto_hit = rng.choice(veto_items) if vetoed and veto_items else None
                for item, sp, tp in zip(items, self_points, town_points, strict=True):
                    scores.append(ItemScore(assessment=a, item=item, level=ScoreLevel.SELF, points=sp))
                    scores.append(
                        ItemScore(
                            assessment=a,
                            item=item,
                            level=ScoreLevel.TOWNSHIP,
                            points=tp,
                            vetoed=item is veto_hit,
                            note="" if tp == item.max_points else "扣分",
                        )
                    )
                reports.append(
                    SelfReport(
                        assessment=a,
                        basic_situation=f"{org.name}现有党员{members}名。",
                        self_building="按期开展“三会一课”。",
                        role_played="带领群众完成年度任务。",
                        problems="党员教育管理有待加强。",
                        measures="落实整改措施。",
                    )
                )
                meeting = EvaluationMeeting(
                    assessment=a, held_on=submitted_on - timedelta(days=7), place="党员活动室", supervised_by=""
                )
                meetings.append(meeting)
                first_tally = len(tallies)
                for cat in AttendeeCategory.values:
                    n = rng.randint(3, 20)
                    good = round(n * quality * 0.6)
                    tallies.append(
                        MeetingTallyRow(
                            meeting=meeting,
                            category=cat,
                            attendees=n,
                            good=good,
                            fairly_good=n - good,
                            average=0,
                            poor=0,
                        )
                    )
                a.good_share = good_share_of(tallies[first_tally:])
                records.append(
                    GradeRecord(
                        organization=org,
                        assessment=a,
                        year=FINISHED_YEAR,
                        stage="异议期满定级",
                        grade=grade,
                        score=town_score,
                    )
                )
        copy_insert(Assessment, assessments)
        copy_insert(SelfReport, reports)
        copy_insert(EvaluationMeeting, meetings)
        copy_insert(MeetingTallyRow, tallies)
        copy_insert(ItemScore, scores)
        copy_insert(GradeRecord, records)
        Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED)
        campaign.status = CampaignStatus.CLOSED
        self.finished_assessments = assessments
        return campaign

    def write_rectification(self, campaign: Campaign) -> None:
        rng = self.rng
        categories, applied, cases, crews, problems, measures = [], [], [], [], [], []
        for a in self.finished_assessments:
            category = grading_rules.category_for_grade(a.final_grade)
            assert a.finalized_at is not None
            since = timezone.localdate(a.finalized_at)
            categories.append(
                CategoryAssignment(
                    organization=a.organization,
                    year=FINISHED_YEAR,
                    category=category,
                    since=since,
                    source=CategorySource.GRADE,
                    source_assessment=a,
                    source_finalized_at=a.finalized_at,
                    grade=a.final_grade,
                )
            )
            applied.append(GradeApplication(assessment=a, finalized_at=a.finalized_at, grade=a.final_grade))
            if a.final_grade != grading_rules.Grade.POOR:
                continue
            phase = rng.choice([Phase.FINDING_PROBLEMS, Phase.RECTIFYING, Phase.RECTIFYING, Phase.ACCEPTING])
            case = Case(
                organization=a.organization,
                year=FINISHED_YEAR,
                category=category,
                source=CaseSource.AUTO,
                source_assessment=a,
                source_finalized_at=a.finalized_at,
                reason="定为较差(软弱涣散)自动立案",
                opened_on=since,
                phase=phase,
                work_group_leader=" ".join(self.people.name()),
                finding_planned_from=since,
                finding_planned_to=since + timedelta(days=30),
                rectifying_planned_from=since + timedelta(days=31),
                rectifying_planned_to=since + timedelta(days=150),
                accepting_planned_from=since + timedelta(days=151),
                accepting_planned_to=since + timedelta(days=180),
                rectifying_started_on=since + timedelta(days=31) if phase != Phase.FINDING_PROBLEMS else None,
                accepting_started_on=since + timedelta(days=150) if phase == Phase.ACCEPTING else None,
            )
            cases.append(case)
            crews += [
                WorkGroupMember(
                    case=case, person_name="".join(self.people.name()), unit="区委组织部", role="组员", joined_on=since
                )
                for _ in range(2)
            ]
            for k, cat in enumerate(rng.sample(list(ProblemCategory.values), 3)):
                problem = Problem(
                    case=case,
                    category=cat,
                    source=rng.choice(ProblemSource.values),
                    description=f"{ProblemCategory(cat).label}(第{k + 1}项)",
                )
                problems.append(problem)
                for m in range(rng.randint(1, 2)):
                    deadline = since + timedelta(days=rng.randint(40, 200))
                    done = phase == Phase.ACCEPTING or (phase == Phase.RECTIFYING and m == 0)
                    measures.append(
                        Measure(
                            problem=problem,
                            text=f"针对{ProblemCategory(cat).label}的整改措施{m + 1}",
                            responsible="".join(self.people.name()),
                            deadline=deadline,
                            status=MeasureStatus.DONE if done else MeasureStatus.IN_PROGRESS,
                            percent=100 if done else rng.choice([20, 40, 60]),
                            done_on=deadline if done else None,
                        )
                    )
        copy_insert(CategoryAssignment, categories)
        copy_insert(GradeApplication, applied)
        copy_insert(Case, cases)
        copy_insert(WorkGroupMember, crews)
        copy_insert(Problem, problems)
        copy_insert(Measure, measures)
