"""A1a: who may be left out of "due" (《中国共产党基层组织选举工作条例》第十六条), with the higher body's consent and
the congress's vote recorded."""

from __future__ import annotations

from elections.models import ExcuseReason


def test_sentence_ground_reads_as_article_16():
    """第十六条(三): "虽未受到留党察看以上党纪处分,但正在服刑的" — only a sentence being served excuses; a
    discipline short of 留党察看 does not, and a member under 留党察看 has no vote at all (A2)."""
    label = ExcuseReason.SENTENCED.label
    assert label == "虽未受到留党察看以上党纪处分,但正在服刑"
    assert "以外处分" not in label
