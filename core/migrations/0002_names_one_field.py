"""姓名 as one field: join each account's last_name + first_name into first_name (core.names)."""

from django.conf import settings
from django.db import migrations, models


def join_names(apps, schema_editor):
    app_label, model_name = settings.AUTH_USER_MODEL.split(".")
    user_model = apps.get_model(app_label, model_name)
    for user in user_model.objects.exclude(last_name="").only("pk", "first_name", "last_name").iterator():
        user.first_name = f"{user.last_name.strip()}{user.first_name.strip()}"[:150]
        user.last_name = ""
        user.save(update_fields=["first_name", "last_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("partybuild", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="actor_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="操作人"),
        ),
        migrations.AlterField(
            model_name="calendaryear",
            name="entered_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="录入时间"),
        ),
        migrations.AlterField(
            model_name="calendaryear",
            name="entered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.SET_NULL,
                to=settings.AUTH_USER_MODEL,
                verbose_name="录入人",
            ),
        ),
        # Nothing to undo: a joined name cannot be split back reliably (复姓 such as 欧阳), and needs not be.
        migrations.RunPython(join_names, migrations.RunPython.noop, elidable=True),
    ]
