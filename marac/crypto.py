"""Field encryption and blind indexes for MARAC identifiers (DESIGN §5).

Identifiers are encrypted with Fernet (AES-128-CBC with HMAC-SHA256: authenticated) under
`FIELD_ENCRYPTION_KEYS`, newest first, so a new key can be added in front and the old ones
retired after `rotate_field_keys`. Blind indexes are a keyed HMAC-SHA256 under the separate
`BLIND_INDEX_KEY`: equal inputs give equal indexes, and nothing can be read back from them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import unicodedata
from datetime import date
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_NOT_LETTER_OR_DIGIT = re.compile(r"[^\w]+", re.UNICODE)


class UnreadableField(ValueError):
    """A stored value that no configured key opens (tampered with, or its key was removed)."""


@lru_cache(maxsize=4)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys or not all(keys):
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold at least one Fernet key.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _keys() -> MultiFernet:
    return _multifernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    """Encrypt under the newest key."""
    return _keys().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _keys().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as error:
        raise UnreadableField("A stored value could not be decrypted with any key.") from error


def reencrypt(token: str) -> str:
    """The same plaintext under the newest key (Fernet's rotate keeps the original timestamp)."""
    try:
        return _keys().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise UnreadableField("A stored value could not be decrypted with any key.") from error


def normalise_name(*parts: str) -> str:
    """Casefolded, accents and punctuation removed: "Ánne-Marie O'Neil" -> "anne marie o neil"."""
    text = " ".join(p for p in parts if p)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _NOT_LETTER_OR_DIGIT.sub(" ", text.casefold()).replace("_", " ")
    return " ".join(text.split())


def _index_key() -> bytes:
    raw = settings.BLIND_INDEX_KEY
    try:
        key = base64.urlsafe_b64decode(raw.encode("ascii"))
    except (ValueError, UnicodeError) as error:
        raise ImproperlyConfigured("BLIND_INDEX_KEY must be URL-safe base64.") from error
    if len(key) < 32:
        raise ImproperlyConfigured("BLIND_INDEX_KEY must hold at least 32 bytes.")
    return key


def _blind_index(purpose: str, value: str) -> str:
    message = f"{purpose}\x1f{value}".encode()
    return hmac.new(_index_key(), message, hashlib.sha256).hexdigest()


def victim_index(first_name: str, last_name: str, date_of_birth: date) -> str:
    """Blind index of a victim: normalised full name and date of birth."""
    name = normalise_name(first_name, last_name)
    return _blind_index("victim", f"{name}|{date_of_birth:%Y-%m-%d}")


def perpetrator_index(first_name: str, last_name: str) -> str:
    """Blind index of a perpetrator: normalised full name."""
    return _blind_index("perpetrator", normalise_name(first_name, last_name))
