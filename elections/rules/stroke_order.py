"""Names in surname stroke order (按姓氏笔画排序), as ballots and candidate lists print them (A10).

The usual rule (as in 《GB/T 13418 文字条目通用排序规则》 and party-affairs practice): fewer strokes first; equal stroke
counts by the first stroke's shape in the order 横(一) 竖(丨) 撇(丿) 点(丶) 折(乛); then, since the same surname must
stay together, by the character itself; then the following characters of the name the same way.

This module reads a table (``fixtures/surname_strokes.json``) of the simplified stroke count and first stroke of the
common surnames (the 300 most frequent and more, including the characters of the common compound surnames).
Limitations, on purpose (no data from outside the project at run time):
- Characters not in the table (most given-name characters, rare surnames) sort after every known character of the
  same position, among themselves in Unicode order. Two names whose surnames are known and different never depend
  on this; names sharing a surname may be ordered by Unicode order of their given names.
- Two different surnames with the same count and first stroke (张 and 陈, 7 strokes, 折) are ordered by Unicode
  code point, not by their second stroke; the clerk can reorder by hand in that rare case.
"""

from __future__ import annotations

from fixtures import reader

# The table is data: fixtures/surname_strokes.json (stroke count and first stroke of each surname character,
# simplified forms, 《通用规范汉字表》 counts). First strokes in their conventional order, numbered from 1:
# 横 竖 撇 点 折 (提 counts as 横, 竖钩 as 竖, 捺 as 点, every turning stroke as 折).
HENG, SHU, PIE, DIAN, ZHE = 1, 2, 3, 4, 5
STROKES: dict[str, tuple[int, int]] = reader.surname_strokes()

# Sorts after every real stroke count: characters the table does not know.
_UNKNOWN = 99


def char_key(char: str) -> tuple[int, int, int]:
    """(strokes, first stroke, code point); unknown characters: (99, 0, code point)."""
    strokes, first = STROKES.get(char, (_UNKNOWN, 0))
    return strokes, first, ord(char)


def stroke_order_key(name: str) -> tuple[tuple[int, int, int], ...]:
    """Sort key for a person's name in surname stroke order; spaces and the middle dot are ignored."""
    return tuple(char_key(char) for char in name if not char.isspace() and char != "·")


def sort_by_stroke(names: list[str] | tuple[str, ...]) -> list[str]:
    """Names in the order a ballot prints them."""
    return sorted(names, key=lambda name: (stroke_order_key(name), name))
