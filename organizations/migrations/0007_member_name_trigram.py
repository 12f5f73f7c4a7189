"""A trigram index for member name search on PostgreSQL (issue 15 §3).

Member search is ``name__icontains``, which Django writes as ``UPPER("name"::text) LIKE UPPER('%…%')`` on
PostgreSQL: a GIN index over that very expression with ``gin_trgm_ops`` (extension pg_trgm) answers it without
reading every member. SQLite has neither, and needs nothing: the operations run on PostgreSQL only, so the model
state is unchanged and ``makemigrations --check`` stays clean. Creating the extension needs a role allowed to
(``CREATE EXTENSION``: the database owner on PostgreSQL 13+, pg_trgm being a trusted extension).
"""

from django.db import migrations

INDEX = "member_name_trgm_idx"
CREATE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f'CREATE INDEX IF NOT EXISTS {INDEX} ON organizations_member USING gin ((UPPER("name"::text)) gin_trgm_ops)',
)
DROP = (f"DROP INDEX IF EXISTS {INDEX}",)


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("organizations", "0006_maintained_counts")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False)]
