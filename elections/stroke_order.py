"""Names in surname stroke order (按姓氏笔画排序), as ballots and candidate lists print them (A10).

The usual rule (as in 《GB/T 13418 文字条目通用排序规则》 and party-affairs practice): fewer strokes first; equal stroke
counts by the first stroke's shape in the order 横(一) 竖(丨) 撇(丿) 点(丶) 折(乛); then, since the same surname must
stay together, by the character itself; then the following characters of the name the same way.

This module carries a built-in table of the simplified stroke count and first stroke of the common surnames
(the 300 most frequent and more, including the characters of the common compound surnames). Limitations, on purpose
(no external data at run time):
- Characters not in the table (most given-name characters, rare surnames) sort after every known character of the
  same position, among themselves in Unicode order. Two names whose surnames are known and different never depend
  on this; names sharing a surname may be ordered by Unicode order of their given names.
- Two different surnames with the same count and first stroke (张 and 陈, 7 strokes, 折) are ordered by Unicode
  code point, not by their second stroke; the clerk can reorder by hand in that rare case.
"""

from __future__ import annotations

# First-stroke classes in their conventional order. 提 counts as 横, 竖钩 as 竖, 捺 as 点, every turning stroke as 折.
HENG, SHU, PIE, DIAN, ZHE = 1, 2, 3, 4, 5

# (stroke count, first stroke) → surname characters (simplified forms, 《通用规范汉字表》 counts).
_TABLE: dict[tuple[int, int], str] = {
    (2, HENG): "丁",
    (2, SHU): "卜",
    (2, ZHE): "刁",
    (3, HENG): "于干万",
    (3, SHU): "上山",
    (3, PIE): "千",
    (3, DIAN): "门广",
    (3, ZHE): "马卫弓习",
    (4, HENG): "王韦云尤车支井元区戈丰亓木",
    (4, SHU): "水贝",
    (4, PIE): "毛牛仇公勾乌长凤",
    (4, DIAN): "方文卞亢计",
    (4, ZHE): "尹孔邓巴双",
    (5, HENG): "石左甘古龙艾玉平厉东",
    (5, SHU): "叶田史申冉卢由帅",
    (5, PIE): "白包付乐丛代仝令印",
    (5, DIAN): "冯兰宁邝",
    (5, ZHE): "皮司边母台",
    (6, HENG): "毕成戎邢吉权朴匡巩过百扬",
    (6, SHU): "吕曲师",
    (6, PIE): "朱任华伍乔向危伊全伏邬仲",
    (6, DIAN): "刘许江汤庄齐关安米农池羊祁闫衣闭汝宇",
    (6, ZHE): "孙阳阮纪牟那阴",
    (7, HENG): "李杨杜苏严花巫劳连芦来甫麦芮束豆寿",
    (7, SHU): "吴肖岑时步",
    (7, PIE): "何余邹邱佟佘谷利狄邸但位",
    (7, DIAN): "宋沈汪应辛闵况冷冶初沙沃",
    (7, ZHE): "张陈陆邵阿迟邰",
    (8, HENG): "林范武欧苑苗茅苟杭幸郁奉",
    (8, SHU): "罗易卓尚明昌国呼畅",
    (8, PIE): "周金岳季和竺狐",
    (8, DIAN): "郑庞单房宗官郎於冼",
    (8, ZHE): "孟屈居练",
    (9, HENG): "赵胡柳封柏荆查郝相柯荣南项荀茹",
    (9, SHU): "哈战",
    (9, PIE): "俞段侯钟郜饶皇修禹信昝钮保",
    (9, DIAN): "姜施洪娄祝宣闻宫祖",
    (9, ZHE): "姚贺胥费骆",
    (10, HENG): "秦袁夏贾顾耿聂莫桂栗原晋敖索都班",
    (10, SHU): "柴晏党晁",
    (10, PIE): "徐钱倪殷翁奚卿",
    (10, DIAN): "高郭唐凌涂席诸海浦宾容谈栾",
    (10, ZHE): "陶桑展姬能",
    (11, HENG): "黄曹萧盛梅龚戚",
    (11, SHU): "崔常鄂",
    (11, PIE): "符银盘矫",
    (11, DIAN): "梁章麻康阎鹿商寇扈盖宿谌",
    (11, ZHE): "屠隋尉逯隆",
    (12, HENG): "韩董彭蒋葛覃粟惠揭植斯敬辜越",
    (12, SHU): "喻景",
    (12, PIE): "程傅焦鲁舒储嵇智",
    (12, DIAN): "谢曾温童游湛富普",
    (12, ZHE): "强",
    (13, HENG): "雷靳楼甄蒲裘楚赖鄢蒙蓝",
    (13, SHU): "路虞",
    (13, PIE): "詹解简鲍",
    (13, DIAN): "褚窦廉满雍阙",
    (14, HENG): "蔡臧赫慕蔺",
    (14, SHU): "裴",
    (14, PIE): "管鲜",
    (14, DIAN): "廖谭阚漆",
    (14, ZHE): "熊翟缪",
    (15, HENG): "樊",
    (15, SHU): "暴",
    (15, PIE): "黎滕",
    (15, DIAN): "潘颜",
    (16, HENG): "薛霍燕薄",
    (16, SHU): "冀",
    (16, PIE): "穆衡",
    (17, HENG): "戴鞠檀",
    (17, PIE): "魏",
    (17, DIAN): "糜",
    (18, SHU): "瞿",
}

STROKES: dict[str, tuple[int, int]] = {char: key for key, chars in _TABLE.items() for char in chars}

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
