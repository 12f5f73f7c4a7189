"""Every default ordering of our models is total: the last key is unique (the primary key, or a unique field), so a
list reads in the same order on every database and after a backup is restored (issue 18: the committee members came
back in another order after a restore, their ordering tied on equal dates)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import UniqueConstraint

PROJECT_APPS = {"partybuild", "organizations", "grading", "rectification", "elections", "meetings", "dues", "ops"}


def _total(model, ordering: list) -> bool:
    """The keys include the primary key, a unique field, or every field of an unconditional unique constraint."""
    names = {str(key).lstrip("-") for key in ordering}
    if names & {"pk", "id"}:
        return True
    fields = {n for n in names if "__" not in n}
    if any(model._meta.get_field(n).unique for n in fields):
        return True
    together = [set(group) for group in model._meta.unique_together]
    together += [
        set(c.fields) for c in model._meta.constraints if isinstance(c, UniqueConstraint) and c.condition is None
    ]
    return any(group and group <= fields for group in together)


def test_every_default_ordering_ends_with_a_unique_key() -> None:
    partial = [
        f"{model._meta.label}: {model._meta.ordering}"
        for config in apps.get_app_configs()
        if config.label in PROJECT_APPS
        for model in config.get_models()
        if model._meta.ordering and not _total(model, list(model._meta.ordering))
    ]
    assert partial == []
