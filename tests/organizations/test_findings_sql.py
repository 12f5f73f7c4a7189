"""The setup findings selected in SQL (organizations.selectors._findings_q, issue 15) equal the pure rules
(organizations.rules.setup_findings, RULES.md part B: B1 支部条例 Arts. 4–5, B2 Art. 4, B3 Art. 20, B4 农村条例 Art. 5)
on a sample tree whose numbers sit on each side of every threshold; the district overview and the findings page
count and list exactly those organizations, and their query counts do not grow with the district."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations import rules, selectors
from organizations.models import Member, MemberStatus, Organization, OrgKind, Position
from organizations.services.counts import counts_refresh
from organizations.services.tree import organization_create
from tests.factories import MemberFactory

# (kind, full members, probationary members, seats, units covered): each side of B1 (3 full; 5 units), B2 (50
# members), B3 (7 full members: 3–7 seats, else at most 2), B4 (over 50, 100 or more).
SAMPLES = [
    (OrgKind.BRANCH, 2, 0, 0, 1),
    (OrgKind.BRANCH, 3, 0, 0, 1),
    (OrgKind.BRANCH, 3, 0, 3, 1),
    (OrgKind.BRANCH, 6, 1, 2, 1),
    (OrgKind.BRANCH, 7, 0, 2, 1),
    (OrgKind.BRANCH, 7, 0, 3, 1),
    (OrgKind.BRANCH, 8, 0, 8, 1),
    (OrgKind.BRANCH, 45, 5, 5, 1),
    (OrgKind.BRANCH, 45, 6, 5, 1),
    (OrgKind.BRANCH, 99, 1, 5, 1),
    (OrgKind.JOINT_BRANCH, 2, 0, 1, 5),
    (OrgKind.JOINT_BRANCH, 4, 0, 1, 6),
    (OrgKind.GENERAL_BRANCH, 0, 0, 0, 1),
]


def _fill(org: Organization, full: int, probationary: int, seats: int) -> None:
    people = MemberFactory.build_batch(full, organization=org) + MemberFactory.build_batch(
        probationary, organization=org, status=MemberStatus.PROBATIONARY
    )
    Member.objects.bulk_create(people)
    Position.objects.bulk_create(
        Position(organization=org, member=m, post="committee_member", started_on=date(2024, 3, 1))
        for m in people[:seats]
    )
    counts_refresh([org.pk])


def build_samples(tree, users, tag: str) -> list[Organization]:
    made = []
    for i, (kind, full, probationary, seats, units) in enumerate(SAMPLES):
        org = organization_create(
            actor=users.ds, parent=tree.township_a, code=f"T01-8{tag}{i:02d}", name=f"样本{tag}{i}党组织",
            kind=kind, field="organ", units_covered=min(units, rules.MAX_JOINT_BRANCH_UNITS),
        )  # fmt: skip
        # More than 5 units: the service refuses it, but a record imported before the rule may hold it.
        Organization.objects.filter(pk=org.pk).update(units_covered=units)
        _fill(org, full, probationary, seats)
        made.append(org)
    # A 党总支 whose members sit in its sub-branches: 60 below (over 50, under 100) and then 100 (B4 counts them).
    general = made[-1]
    for j, n in enumerate((30, 30)):
        sub = organization_create(
            actor=users.ds, parent=general, code=f"T01-8{tag}99-{j}", name=f"样本{tag}支部{j}", kind=OrgKind.BRANCH,
            field="organ",
        )  # fmt: skip
        _fill(sub, n, 0, 3)
        made.append(sub)
    return made


def pure_findings(users) -> set[int]:
    """The organizations the pure rules find something in, from facts counted over member rows (no kept counts)."""
    found = set()
    for org in Organization.objects.filter(depth__gte=3, dissolved_on__isnull=True):
        if rules.setup_findings(selectors.facts_of(users.ds, Organization.objects.get(pk=org.pk))):
            found.add(org.pk)
    return found


def test_sql_selection_equals_the_pure_rules(tree, users):
    made = build_samples(tree, users, "a")
    expected = pure_findings(users)
    selected = list(selectors.organizations_with_findings(users.ds))
    assert {o.pk for o in selected} == expected
    # Thresholds on each side are really exercised: some samples have findings, some have none.
    assert {o.pk for o in made} & expected and {o.pk for o in made} - expected
    for org, findings in selectors.with_findings(users.ds, selected):
        facts = selectors.facts_of(users.ds, Organization.objects.get(pk=org.pk))
        assert findings == rules.setup_findings(facts), org.name


def test_general_branch_counts_the_members_below(tree, users):
    """B4: a 党总支 with 60 members in its sub-branches is eligible for nothing (only branches become a 党总支);
    with 100 or more it may become a 党委, found in SQL as by the rules."""
    made = build_samples(tree, users, "b")
    general = made[len(SAMPLES) - 1]
    assert general.pk not in {o.pk for o in selectors.organizations_with_findings(users.ds)}
    _fill(made[-1], 40, 0, 0)
    assert general.pk in {o.pk for o in selectors.organizations_with_findings(users.ds)}
    assert general.pk in pure_findings(users)


def test_a_township_user_sees_only_the_findings_in_scope(tree, users):
    build_samples(tree, users, "c")
    paths = {o.path[: 2 * Organization.steplen] for o in selectors.organizations_with_findings(users.ts_b)}
    assert paths <= {tree.township_b.path}


def test_overview_and_page_show_the_sql_counts(client, tree, users):
    build_samples(tree, users, "d")
    expected = pure_findings(users)
    client.force_login(users.ds)
    overview = client.get(reverse("organizations:district_overview"))
    assert overview.context["findings_count"] == len(expected)
    assert {item.organization.pk for item in overview.context["findings"]} <= expected
    assert len(overview.context["findings"]) == min(10, len(expected))
    page = client.get(reverse("organizations:setup_findings"))
    assert page.context["page"].paginator.count == len(expected)
    assert {item.organization.pk for item in page.context["page"]} == expected
    assert all(item.findings for item in page.context["page"])
    # The township table: members and graded organizations summed per township from the member rows.
    by_pk = {t.pk: t for t in overview.context["townships"]}
    for township in (tree.township_a, tree.township_b):
        members = Member.objects.filter(organization__path__startswith=township.path, left_on__isnull=True).count()
        graded = Organization.objects.filter(
            path__startswith=township.path, is_graded=True, dissolved_on__isnull=True
        ).count()
        assert (by_pk[township.pk].member_count_total, by_pk[township.pk].graded_count) == (members, graded)


def test_findings_page_queries_do_not_grow(client, tree, users):
    client.force_login(users.ds)
    url = reverse("organizations:setup_findings")
    counts = []
    for tag in ("e", "f"):
        build_samples(tree, users, tag)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 15
