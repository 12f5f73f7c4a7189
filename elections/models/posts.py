"""Posts in the two committees (“两委”, 第五篇 四; rules T1–T4) of an elected party committee: the secretary as
director of the villagers' (residents') committee (一肩挑), the members who sit on both committees (交叉任职), and
whether the women's federation chair and the youth league secretary joined the two committees."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from elections.models.project import ElectionProject
from organizations.models import Member


class CommitteePosts(models.Model):
    project = models.OneToOneField(
        ElectionProject, on_delete=models.CASCADE, related_name="committee_posts", verbose_name="换届选举项目"
    )
    villagers_committee_size = models.PositiveSmallIntegerField("村(居)民委员会成员人数")
    secretary_is_director = models.BooleanField("书记兼任村(居)民委员会主任(一肩挑)", default=False)
    cross_members = models.ManyToManyField(
        Member, blank=True, related_name="+", verbose_name="兼任村(居)民委员会成员的党组织委员(交叉任职)"
    )
    women_chair_joined = models.BooleanField("妇联主席进入“两委”班子", default=False)
    women_chair_name = models.CharField("妇联主席姓名", max_length=40, blank=True)
    youth_secretary_joined = models.BooleanField("团支部书记进入“两委”班子", default=False)
    youth_secretary_name = models.CharField("团支部书记姓名", max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "“两委”班子任职情况"
        verbose_name_plural = "“两委”班子任职情况"

    def __str__(self) -> str:
        return f"{self.project}“两委”任职"
