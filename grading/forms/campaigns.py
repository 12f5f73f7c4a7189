"""Forms of the district's campaign pages. They collect input; the rules live in ``grading.rules`` and the
services, whose refusals the views show as form errors."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone

from core.edits import VersionedModelForm
from grading.models import Campaign, Dimension, Item
from grading.services.campaigns import CAMPAIGN_SETTINGS
from organizations.models import OrgField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignCreateForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    copy_last_year = forms.BooleanField(
        label="复制上一年度的评分标准(含各领域标准)",
        required=False,
        help_text="不勾选则使用默认的五个方面、各20分的标准",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        latest = Campaign.objects.order_by("-year").values_list("year", flat=True).first()
        self.fields["year"].initial = max(timezone.localdate().year, (latest or 0) + 1)
        self.fields["copy_last_year"].initial = latest is not None


class CampaignSettingsForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = list(CAMPAIGN_SETTINGS)
        widgets = {
            name: DATE_WIDGET
            for name in (
                "self_assessment_due",
                "township_review_due",
                "district_review_due",
                "regrade_request_due",
                "regrade_due",
            )
        }


ORDER_MAX = 9999  # 序号 of an item: a template has a few dozen


class DimensionForm(VersionedModelForm):
    class Meta:
        model = Dimension
        fields = ["name", "max_points"]


class ItemForm(VersionedModelForm):
    class Meta:
        model = Item
        fields = ["order", "text", "guidance", "max_points", "is_veto"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].max_value = ORDER_MAX
        self.fields["order"].validators.append(MaxValueValidator(ORDER_MAX))
        self.fields["max_points"].initial = Decimal("0")


class VariantForm(forms.Form):
    field = forms.ChoiceField(label="领域", choices=OrgField.choices)
