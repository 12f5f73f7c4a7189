"""The demo's decisions waiting for the higher body: a village whose election is to be held after its term's end
(延期, A13 《中国共产党基层组织选举工作条例》第三条), requested with its reason and not yet approved, so that the
township finds the 换届延期申请 panel with its form on the project page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from elections.services.projects import project_create
from organizations.models import CommitteeTerm, Organization

POSTPONED_BY = timedelta(days=60)  # well inside A13's one year


def postponed(builder: Any, org: Organization, term: CommitteeTerm, township_user: Any) -> str:
    election_date = max(builder.today, term.ends_on) + POSTPONED_BY
    project_create(
        actor=township_user or builder.district,
        organization=org,
        election_date=election_date,
        seats=min(term.seats, 5),
        date_reason="村党组织书记因病住院治疗,村“两委”班子运行正常,申请推迟换届",
    )
    return f"{org.name}:换届延期至{election_date},待上级党组织批准"
