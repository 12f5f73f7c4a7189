"""Assessment.good_share: 附件2's 测评“好”票比例 kept on the assessment (附件5 at city size read 40,000 tally rows).
Existing assessments get it from their tally rows, computed by the same pure rule the service uses."""

from collections import defaultdict
from types import SimpleNamespace

from django.db import migrations, models

BATCH = 2000


def backfill(apps, schema_editor):
    from grading.rules import counting as counting_rules
    from grading.rules import grades as grade_rules

    Assessment = apps.get_model("grading", "Assessment")
    MeetingTallyRow = apps.get_model("grading", "MeetingTallyRow")
    grades = grade_rules.Grade.values
    rows = defaultdict(list)
    for assessment_id, category, attendees, *counts in MeetingTallyRow.objects.values_list(
        "meeting__assessment_id", "category", "attendees", *grades
    ).iterator(chunk_size=5000):
        rows[assessment_id].append(SimpleNamespace(category=category, attendees=attendees, **dict(zip(grades, counts))))
    changed = []
    for assessment_id, tally_rows in rows.items():
        try:
            tally = counting_rules.tally_meeting(
                {r.category: {grade_rules.Grade(g): getattr(r, g) for g in grades} for r in tally_rows},
                {r.category: r.attendees for r in tally_rows},
            )
        except grade_rules.RuleViolation:
            continue
        if tally.ballots:
            changed.append(Assessment(pk=assessment_id, good_share=tally.shares[grade_rules.Grade.GOOD]))
    Assessment.objects.bulk_update(changed, ["good_share"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0003_yearend"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="good_share",
            field=models.DecimalField(
                blank=True, decimal_places=1, max_digits=4, null=True, verbose_name="测评“好”票比例(%)"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
