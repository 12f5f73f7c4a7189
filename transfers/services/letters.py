"""X1: the 介绍信's number, a yearly sequence per issuing committee, allocated under a row lock so that two letters
issued at the same moment (two township officers, two tabs) never share a number; the unique constraint on
``TransferRequest`` (committee, year, sequence) is the last guard."""

from __future__ import annotations

from django.db import transaction

from organizations.models import Organization
from transfers.models import LetterSequence
from transfers.rules import letters as rules


def issuing_committee(org: Organization) -> Organization:
    """The committee over the sender that issues the letter: the township (depth 2) above ``org``, or ``org`` itself
    when it is the township or the district."""
    if org.depth <= 2:
        return org
    return Organization.objects.get(path=org.path[: 2 * Organization.steplen])


def letter_allocate(committee: Organization, year: int) -> tuple[int, str]:
    """The next (sequence, number) of ``committee`` in ``year``; call inside the transaction that stores it."""
    with transaction.atomic():
        row, _ = LetterSequence.objects.get_or_create(committee=committee, year=year)
        row = LetterSequence.objects.select_for_update().get(pk=row.pk)
        row.last += 1
        row.save(update_fields=["last"])
    return row.last, rules.letter_number(year, row.last)
