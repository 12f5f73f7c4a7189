from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "把代码中声明的定时任务写入数据库(部署时在 migrate 之后运行);--check 只比较,不一致时以非零状态退出"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="只检查数据库中的定时任务是否与代码一致")

    def handle(self, *args: Any, **options: Any) -> None:
        from django_celery_beat.models import PeriodicTask
        from django_celery_beat.schedulers import ModelEntry

        from partybuild.celery import app

        app.loader.import_default_modules()  # every app's tasks module: each declares its beat entries
        declared = dict(app.conf.beat_schedule)
        stored = {t.name: t for t in PeriodicTask.objects.all()}
        differing = []
        for name, entry in sorted(declared.items()):
            row = stored.get(name)
            wanted, _ = ModelEntry.to_model_schedule(entry["schedule"])
            current = row.schedule if row is not None else None
            same = row is not None and row.task == entry["task"] and row.enabled and current == wanted.schedule
            if not same:
                differing.append(name)
        if options["check"]:
            for name in differing:
                self.stdout.write(f"与代码不一致或缺少:{name}")
            if differing:
                raise CommandError(f"{len(differing)} 个定时任务与代码声明不一致:运行 manage.py sync_schedule")
            self.stdout.write(f"{len(declared)} 个定时任务与代码一致")
            return
        for name, entry in declared.items():
            ModelEntry.from_entry(name, app=app, **entry)
        extra = sorted(set(stored) - set(declared) - {"celery.backend_cleanup"})
        self.stdout.write(f"已写入 {len(declared)} 个定时任务(其中 {len(differing)} 个有变化)")
        for name in extra:
            self.stdout.write(f"数据库中另有(代码未声明,可能由管理员在后台添加):{name}")
