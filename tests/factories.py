"""factory_boy factories for the shared test tree."""

from __future__ import annotations

import itertools
from datetime import date

import factory
from django.contrib.auth import get_user_model

from organizations.models import Education, Gender, Member, MemberStatus

_id_seq = itertools.count(1)


def fake_id_number(birth: date) -> str:
    """A valid 18-character ID number (GB 11643 check digit, as the member form requires), unique per call."""
    from organizations.rules import id_check_digit

    n = next(_id_seq)
    first17 = f"45{n:04d}{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_digit(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("demo12345")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"党员{n:04d}")
    gender = Gender.MALE
    birth_date = date(1980, 5, 1)
    education = Education.HIGH_SCHOOL
    occupation = "农民"
    joined_on = date(2005, 7, 1)
    status = MemberStatus.FULL
    id_number = factory.LazyAttribute(lambda o: fake_id_number(o.birth_date))
    phone = factory.Sequence(lambda n: f"139{n:08d}")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """Keep the organization's maintained counts right, as the services do (issue 15)."""
        super()._after_postgeneration(instance, create, results)
        if create:
            from organizations.services.counts import counts_refresh

            counts_refresh([instance.organization_id])
