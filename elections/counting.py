"""The meeting and its count, one module per concept; this module keeps the one import path the pages and tests use.

* ``counting_meeting``: opening the meeting, attendance (A1, A9), scrutineers and counters (A10);
* ``counting_rounds``: ballot rounds (committee, secretary and deputy per A12, further ballots per A4/A5), and
  closing a round with the stored result decided by ``elections.tally``;
* ``counting_entry``: the count, ballot by ballot or as per-name totals with the K-checks and double entry (K9);
* ``counting_ballots``: ballot-by-ballot entry one paper at a time (the phone form), finished keeping every ballot and
  who entered it, and its double entry: another person's check (核对) of the paper tally sheet's totals, compared by K9
  and confirmed when the round is published;
* ``counting_approval``: the township's approval writing the new committee through ``organizations.services``.

A round moves open → counted (an entry is stored) → valid / void (the result is decided by ``elections.tally``);
a valid round that leaves seats (A4 tie, A5 too few passed) is followed by a further round in the same meeting.
"""

from __future__ import annotations

from elections.counting_approval import asdict_row, proposed_committee, result_approve, secretary_status
from elections.counting_ballots import (
    ballot_add,
    ballot_remove_last,
    ballot_warnings,
    ballots_check,
    ballots_clear,
    ballots_finish,
    ballots_so_far,
    check_comparison,
    check_findings,
    who,
)
from elections.counting_entry import (
    REPLACE_BALLOTS,
    NeedsConfirmation,
    compare,
    count_ballots,
    count_totals,
    round_tally,
)
from elections.counting_meeting import approved_names, attendance_save, meeting_open, scrutineers_save
from elections.counting_rounds import elected_for, round_close, round_open

__all__ = [
    "REPLACE_BALLOTS",
    "NeedsConfirmation",
    "approved_names",
    "asdict_row",
    "attendance_save",
    "ballot_warnings",
    "ballot_add",
    "ballot_remove_last",
    "ballots_check",
    "ballots_clear",
    "ballots_finish",
    "ballots_so_far",
    "check_comparison",
    "check_findings",
    "compare",
    "count_ballots",
    "count_totals",
    "elected_for",
    "meeting_open",
    "proposed_committee",
    "result_approve",
    "round_close",
    "round_open",
    "round_tally",
    "scrutineers_save",
    "secretary_status",
    "who",
]
