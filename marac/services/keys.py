"""Key rotation: re-encrypt every encrypted column under the newest key (DESIGN §5)."""

from __future__ import annotations

from django.apps import apps
from django.db import connection, models, transaction

from marac import crypto
from marac.fields import EncryptedField
from partnership.models import ChangeRecord, User

BATCH = 500


def encrypted_columns() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted fields, and those fields' columns."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = [f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
        if columns:
            found.append((model, columns))
    return found


def _rotate_table(model: type[models.Model], columns: list[str]) -> int:
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    selected = ", ".join(quote(c) for c in columns)
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    rotated = 0
    with connection.cursor() as cursor:
        # Names come from the model's meta, quoted; no value is ever formatted into the SQL.
        cursor.execute(f"SELECT {pk}, {selected} FROM {table} ORDER BY {pk} FOR UPDATE")  # noqa: S608  # nosec B608
        rows = cursor.fetchall()
    for start in range(0, len(rows), BATCH):
        updates = [
            [*(crypto.reencrypt(v) if v else v for v in row[1:]), row[0]]
            for row in rows[start : start + BATCH]
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608  # nosec B608
                updates,
            )
        rotated += len(updates)
    return rotated


@transaction.atomic
def field_keys_rotate(*, acting_user: User) -> dict[str, int]:
    """Re-encrypt all encrypted columns under the newest key, all or nothing; returns row counts
    by model. Afterwards the older keys can be removed from FIELD_ENCRYPTION_KEYS."""
    counts = {
        model._meta.label_lower: _rotate_table(model, columns)
        for model, columns in encrypted_columns()
    }
    ChangeRecord.objects.create(
        actor=acting_user,
        action="field_keys_rotate",
        object_type="encrypted_fields",
        object_id="all",
        detail=counts,
    )
    return counts
