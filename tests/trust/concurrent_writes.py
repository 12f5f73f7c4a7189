"""Simultaneous writes through the real views, for tests/trust/test_concurrency.py.

``storm`` sends 20 member creates and 4 creates of one sub-branch code at the same moment (threads released by a
barrier), each thread with its own test client and so its own database connection, and returns the status codes.
The SQLite test runs it in a fresh process on a database *file* (as ``make run`` serves), the PostgreSQL test in
the test process itself. ``python -m tests.trust.concurrent_writes <village pk> <general branch pk>`` prints JSON.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from typing import Any

MEMBERS = 20
SAME_CODE = 4
SUB_BRANCH_CODE = "T01-002-99"


def _race(calls: list[Callable[[], Any]]) -> list[Any]:
    from django.db import connections

    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(30)
            results[i] = call()
        except BaseException as exc:  # noqa: BLE001 - reported to the test as a result
            results[i] = f"{type(exc).__name__}: {exc}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def _client(username: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(raise_request_exception=False)  # a 500 is a result here, as the browser would see it
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _implementing_reorganization(general_pk: int) -> int:
    from datetime import date

    from organizations.models.reorganization import Reorganization, ReorgKind, ReorgState

    reorg, _ = Reorganization.objects.get_or_create(
        organization_id=general_pk,
        state=ReorgState.IMPLEMENTING,
        defaults={
            "kind": ReorgKind.SUB_UNITS,
            "units_planned": "并发党支部",
            "plan": "设立下属党支部",
            "reply_number": "镇〔2026〕1号",
            "reply_date": date(2026, 1, 4),
            "reply_body": "镇党委",
        },
    )
    return reorg.pk


def storm(village_pk: int, general_pk: int) -> dict[str, list[Any]]:
    from django.urls import reverse

    from organizations.rules import id_check_digit

    def create_member(n: int, client: Any) -> Callable[[], Any]:
        first17 = f"4501021985030{n:04d}"
        data = {
            "name": f"并发{n}",
            "gender": "male",
            "ethnicity": "汉族",
            "birth_date": "1985-03-02",
            "education": "bachelor",
            "joined_on": "2010-07-01",
            "status": "full",
            "full_member_on": "2011-07-01",
            "id_number": first17 + id_check_digit(first17),
        }
        url = reverse("organizations:member_create", args=[village_pk])
        return lambda: client.post(url, data).status_code

    def create_sub_branch(client: Any) -> Callable[[], Any]:
        # a joint branch: a 党支部 needs 3 full members moved in (B1), and the race is about the code
        data = {"code": SUB_BRANCH_CODE, "name": "并发党支部", "kind": "joint_branch", "effective_on": "2026-01-05"}
        url = reverse("organizations:reorganization_unit", args=[reorganization_pk])

        def call() -> Any:
            response = client.post(url, data)
            return [response.status_code, response.content.decode() if response.status_code == 200 else ""]

        return call

    # Sub-branches are set up under an approved reorganization (第三篇 五), here one being carried out.
    reorganization_pk = _implementing_reorganization(general_pk)
    # Logged in beforehand: the storm is the saves, not the logins.
    member_clients = [_client("sec_a1") for _ in range(MEMBERS)]
    code_clients = [_client("ts_a") for _ in range(SAME_CODE)]
    members = _race([create_member(n, c) for n, c in enumerate(member_clients)])
    codes = _race([create_sub_branch(c) for c in code_clients])
    return {"members": members, "codes": codes}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(storm(int(sys.argv[1]), int(sys.argv[2])), ensure_ascii=False))
