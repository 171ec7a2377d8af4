from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import BaseUserManager


class UserManager(BaseUserManager):
    """Users are identified by email; there are no usernames."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any):
        """There are no superusers (DESIGN §4): the database refuses them too."""
        raise ValueError(
            "The portal has no superusers. Invite the person, then give them Django admin "
            "access (is_staff) and only the permissions they need."
        )
