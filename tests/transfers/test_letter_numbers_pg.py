"""X1 under concurrency: letters issued at the same moment by one committee never share a number (PostgreSQL, real
threads, each in its own transaction; skipped on SQLite, whose writers are serialized anyway)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from transfers.services.letters import letter_allocate

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_simultaneous_letters_get_distinct_consecutive_numbers(tree) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions on PostgreSQL")
    start = threading.Barrier(THREADS)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def issue() -> None:
        try:
            start.wait()
            with transaction.atomic():
                numbers.append(letter_allocate(tree.township_a, 2026)[1])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"〔2026〕第{n:03d}号" for n in range(1, THREADS + 1)]
