"""Plausible people for the demo: names, valid ID numbers, phones, ages and education fitting the field."""

from __future__ import annotations

import random
from datetime import date, timedelta

from organizations.models import (
    Education,
    Gender,
    Member,
    MemberStatus,
    Organization,
    OrgField,
)
from organizations.rules import (
    add_years,
    id_check_digit,
)

SURNAMES = (
    "黄李陈韦梁刘林张王覃莫杨蒙卢周何谢罗吴农潘赵廖唐邓曾蓝马陆冯许苏宋郑胡朱徐孙高郭蒋石钟谭阮蔡甘汤龙叶凌施颜邱庞骆滕"
)
MALE_CHARS = "伟强军勇杰涛明华建国平志文斌辉刚林鹏宇浩波峰春海东亮成福德荣新忠振家永光金胜超良俊庆壮贵桂才"
FEMALE_CHARS = "芳娜敏静丽艳燕霞玲桂英兰凤秀梅琳洁婷雪慧红萍琴丹莉娟颖倩佳月春珍玉美荣秋媛"
ETHNICITIES = (["汉族"] * 62) + (["壮族"] * 33) + ["瑶族", "瑶族", "苗族", "侗族", "仫佬族"]
# Nanning district codes for the first six digits of an ID number (GB/T 2260).
REGION_CODES = ["450102", "450103", "450105", "450107", "450108", "450109", "450110", "450122", "450123", "450124"]
PHONE_PREFIXES = "130 131 132 133 135 136 137 138 139 150 151 152 155 156 158 159 177 180 181 182 186 187 188 189 199"
MIGRANT_PLACES = (
    "广东省广州市务工 广东省深圳市务工 广东省东莞市务工 广东省佛山市经商 浙江省宁波市务工 福建省厦门市务工 "
    "上海市务工 广西柳州市务工 广西钦州市务工 海南省海口市经商"
).split()

# Per field: mean and spread of age, share of women, education weights (postgraduate → junior), occupations.
_E = [Education.POSTGRADUATE, Education.BACHELOR, Education.COLLEGE, Education.HIGH_SCHOOL, Education.JUNIOR]
FIELD_PROFILES: dict[str, tuple[int, int, float, tuple[int, ...], list[str], float]] = {
    # field: (age mean, age sd, women, education weights, occupations, migrant share)
    OrgField.RURAL: (54, 15, 0.22, (0, 4, 10, 30, 56), ["农民"] * 6 + ["个体经营", "村干部", "外出务工"], 0.1),
    OrgField.COMMUNITY: (55, 15, 0.42, (2, 20, 25, 33, 20), ["社区工作者", "企业职工", "个体经营", "自由职业"], 0.06),
    OrgField.ORGAN: (42, 10, 0.32, (14, 62, 18, 6, 0), ["公务员"] * 4 + ["机关工作人员"], 0.0),
    OrgField.INSTITUTION: (42, 10, 0.45, (12, 55, 25, 8, 0), ["专业技术人员", "医生", "护士", "管理人员"], 0.0),
    OrgField.STATE_ENTERPRISE: (42, 10, 0.28, (6, 45, 30, 17, 2), ["职工", "企业管理人员", "专业技术人员"], 0.01),
    OrgField.PRIVATE_ENTERPRISE: (37, 9, 0.3, (2, 30, 35, 26, 7), ["职工", "企业管理人员", "专业技术人员"], 0.02),
    OrgField.SOCIAL_ORG: (41, 11, 0.4, (4, 40, 30, 20, 6), ["社会组织从业人员", "个体经营", "律师"], 0.01),
    OrgField.SCHOOL: (42, 11, 0.5, (10, 68, 18, 4, 0), ["教师"] * 5 + ["学校管理人员"], 0.0),
}


class PersonFactory:
    """Plausible members: names, ages, joining dates, education and occupation fitting the field."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self.phone_prefixes = PHONE_PREFIXES.split()
        # Zipf-like weights: the first surnames are far more common than the last.
        self.surname_weights = [1 / (i + 3) for i in range(len(SURNAMES))]

    def name(self, gender: str | None = None) -> tuple[str, str]:
        gender = gender or (Gender.FEMALE if self.rng.random() < 0.3 else Gender.MALE)
        chars = FEMALE_CHARS if gender == Gender.FEMALE else MALE_CHARS
        surname = self.rng.choices(SURNAMES, weights=self.surname_weights)[0]
        given = "".join(self.rng.choice(chars) for _ in range(1 if self.rng.random() < 0.3 else 2))
        return surname, given

    def id_number(self, birth: date, gender: str) -> str:
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (1 if gender == Gender.MALE else 0)  # 17th digit: odd for men
            first17 = f"{self.rng.choice(REGION_CODES)}{birth:%Y%m%d}{seq:03d}"
            value = first17 + id_check_digit(first17)
            if value not in self.id_numbers:
                self.id_numbers.add(value)
                return value

    def phone(self) -> str:
        while True:
            value = f"{self.rng.choice(self.phone_prefixes)}{self.rng.randrange(10**8):08d}"
            if value not in self.phones:
                self.phones.add(value)
                return value

    def member(self, org: Organization, field: str, *, probationary: bool) -> Member:
        rng = self.rng
        mean, sd, women, edu_weights, occupations, migrant_share = FIELD_PROFILES[field or OrgField.ORGAN]
        gender = Gender.FEMALE if rng.random() < women else Gender.MALE
        if probationary:
            age = rng.randint(22, 38)
        else:
            age = min(85, max(22, round(rng.gauss(mean, sd))))
        birth = add_years(self.today, -age) - timedelta(days=rng.randrange(1, 365))
        if probationary:
            joined = self.today - timedelta(days=rng.randint(20, 360))
        else:
            # joined at 18 or later, and at least 13 months ago (a year of probation, then full membership)
            earliest = add_years(birth, 18) + timedelta(days=1)
            latest = min(add_years(birth, min(age - 1, rng.choice([30, 35, 40, 50]))), self.today - timedelta(days=400))
            joined = earliest + timedelta(days=rng.randrange(max(1, (latest - earliest).days)))
        education = rng.choices(_E, weights=edu_weights)[0]
        if age >= 70 and education in {Education.POSTGRADUATE, Education.BACHELOR} and field == OrgField.RURAL:
            education = Education.HIGH_SCHOOL
        retired = age >= (55 if gender == Gender.FEMALE else 60) and field != OrgField.RURAL
        occupation = "退休" if retired else rng.choice(occupations)
        if field == OrgField.RURAL and age >= 70:
            occupation = "农民"
        migrant = age < 58 and not retired and rng.random() < migrant_share
        surname, given = self.name(gender)
        return Member(
            organization=org,
            name=surname + given,
            gender=gender,
            ethnicity=rng.choice(ETHNICITIES),
            birth_date=birth,
            education=education,
            occupation=occupation,
            joined_on=joined,
            status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
            full_member_on=None if probationary else add_years(joined, 1),
            is_migrant=migrant,
            migrant_note=rng.choice(MIGRANT_PLACES) if migrant else "",
            id_number=self.id_number(birth, gender),
            phone=self.phone(),
        )
