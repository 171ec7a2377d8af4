"""Model fields that encrypt their value at rest (DESIGN §5).

The database holds only Fernet tokens, so nothing can be filtered or ordered by these columns:
every lookup except `isnull` is refused. Finding a person goes through a blind index instead.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from marac import crypto


class EncryptedField(models.TextField):
    """Base class: a text column holding a token; subclasses say how values become text."""

    def to_text(self, value: Any) -> str:
        return str(value)

    def from_text(self, text: str) -> Any:
        return text

    def get_lookup(self, lookup_name: str):
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

    def from_db_value(self, value: str | None, expression, connection) -> Any:
        if value is None or value == "":
            return self.empty_value(value)
        return self.from_text(crypto.decrypt(value))

    def empty_value(self, value: str | None) -> Any:
        return value

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.encrypt(self.to_text(value))

    def value_to_string(self, obj: models.Model) -> str:
        return "[encrypted]"


class EncryptedTextField(EncryptedField):
    """Free text or a name. Blank is stored as an empty string, which reveals only blankness."""

    def to_python(self, value: Any) -> Any:
        return "" if value is None and not self.null else value


class EncryptedDateField(EncryptedField):
    """A date (a date of birth), stored as an encrypted ISO string."""

    def to_text(self, value: Any) -> str:
        if not isinstance(value, date):
            raise ValidationError("Enter a real date.")
        return value.isoformat()

    def from_text(self, text: str) -> date:
        return date.fromisoformat(text)

    def empty_value(self, value: str | None) -> None:
        return None

    def to_python(self, value: Any) -> date | None:
        if value is None or value == "" or isinstance(value, date):
            return value or None
        try:
            return date.fromisoformat(str(value))
        except ValueError as error:
            raise ValidationError("Enter a real date.") from error


class EncryptedJSONField(EncryptedField):
    """A small JSON document (such as who gave each DASH answer), encrypted as a whole."""

    def to_text(self, value: Any) -> str:
        return json.dumps(value, sort_keys=True)

    def from_text(self, text: str) -> Any:
        return json.loads(text)
