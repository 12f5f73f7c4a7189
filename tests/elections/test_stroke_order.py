"""elections.rules.stroke_order: surname stroke order (姓氏笔画) for ballots (A10)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from elections.rules.stroke_order import STROKES, sort_by_stroke, stroke_order_key

# The 100 most common surnames (public security ministry's yearly lists): all must be in the table.
TOP_100 = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)


def test_known_order() -> None:
    names = ["黄", "赵", "周", "陈", "张", "李", "刘", "王", "丁"]
    assert sort_by_stroke(names) == ["丁", "王", "刘", "李", "张", "陈", "周", "赵", "黄"]


def test_stroke_counts_of_the_example() -> None:
    expected = {"丁": 2, "王": 4, "刘": 6, "李": 7, "张": 7, "陈": 7, "周": 8, "赵": 9, "黄": 11}
    assert {char: STROKES[char][0] for char in expected} == expected


def test_same_count_by_first_stroke_heng_shu_pie_dian_zhe() -> None:
    # 7 strokes: 李(横) 吴(竖) 何(撇) 宋(点) 张(折)
    assert sort_by_stroke(["张", "宋", "何", "吴", "李"]) == ["李", "吴", "何", "宋", "张"]


def test_full_names_same_surname_stay_together_then_given_name() -> None:
    names = ["李明", "王芳", "李四", "王五", "丁一"]
    ordered = sort_by_stroke(names)
    assert ordered[0] == "丁一"
    assert ordered[1:3] == ["王五", "王芳"] or ordered[1:3] == ["王芳", "王五"]
    assert set(ordered[3:]) == {"李明", "李四"}


def test_given_name_characters_in_the_table_order_by_strokes() -> None:
    # 王丁(2) before 王方(4) before 王江(6)
    assert sort_by_stroke(["王江", "王方", "王丁"]) == ["王丁", "王方", "王江"]


def test_compound_surnames() -> None:
    assert sort_by_stroke(["欧阳峰", "司马光", "上官云"]) == ["上官云", "司马光", "欧阳峰"]


def test_top_100_surnames_and_at_least_300_in_table() -> None:
    assert [c for c in TOP_100 if c not in STROKES] == []
    assert len(set(TOP_100)) == 100
    assert len(STROKES) >= 300


def test_unknown_surname_sorts_after_known_ones_in_unicode_order() -> None:
    assert sort_by_stroke(["龘甲", "黄乙", "丁丙", "厶丁"]) == ["丁丙", "黄乙", "厶丁", "龘甲"]


def test_spaces_and_middle_dot_ignored() -> None:
    assert stroke_order_key("王 一") == stroke_order_key("王一")
    assert stroke_order_key("阿依·买买提")[1] == stroke_order_key("依")[0]


@given(st.lists(st.text(alphabet="".join(STROKES) + "甲乙丙", min_size=1, max_size=3), max_size=20))
def test_property_order_is_total_and_stable(names: list[str]) -> None:
    once = sort_by_stroke(names)
    assert sort_by_stroke(list(reversed(names))) == once
    assert sorted(once) == sorted(names)
