"""A5 fewer pass than seats (《中国共产党基层组织选举工作条例》; 1990条例 Art. 22: "当选人数少于应选名额时,对不足的
名额可以另行选举。如果接近应选名额且符合规定的委员会最少人数,也可以由大会征得多数选举人同意,减少名额,不再进行选举").
Plain values in, failures out; no ORM."""

from __future__ import annotations

from elections.rules.failures import Failure

SOURCE = "1990年《中国共产党基层组织选举工作暂行条例》第二十二条"

# "征得多数选举人同意": more than half of the voters present.
AGREE_NUMERATOR = 1
AGREE_DENOMINATOR = 2


def reduction_passed(*, votes_for: int, present: int) -> bool:
    """More than half of the voters present agreed: present 8 → 5 for (4 is not enough)."""
    return votes_for * AGREE_DENOMINATOR > present * AGREE_NUMERATOR


def check_reduction_vote(
    *, seats: int, elected: int, votes_for: int, votes_against: int, abstained: int, present: int
) -> list[Failure]:
    """The vote may only be taken when seats are left, and counts no more voters than are present."""
    if elected >= seats:
        return [Failure("A5", f"应选{seats}名,已当选{elected}名,没有空缺名额,无需减少名额")]
    if elected == 0:
        return [Failure("A5", f"尚无当选人,不能减少名额,应另行选举({SOURCE})")]
    total = votes_for + votes_against + abstained
    if total > present:
        return [Failure("A5", f"同意、不同意、弃权合计{total}人,超过实到会有选举权的{present}人")]
    return []


def check_seats_filled(*, seats: int, elected: int, reduced_to: int | None) -> list[Failure]:
    """Approval of a result: every seat filled, or the congress agreed to reduce the seats to those elected."""
    if elected >= seats or (reduced_to is not None and elected >= reduced_to):
        return []
    return [
        Failure(
            "A5",
            f"应选委员{seats}名,当选{elected}名,尚有{seats - elected}个名额未选出:须对不足名额另行选举,"
            f"或经党员大会征得多数选举人同意减少名额({SOURCE})",
        )
    ]
