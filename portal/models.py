from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class Fortune(models.Model):
    """The benchmark anchor's table (TechEmpower "fortunes"); never holds real data."""

    message = models.CharField(max_length=2048)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.message


class StaffSession(AbstractBaseSession):
    """A database session that knows whose it is, so a person's sessions can be ended at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    @classmethod
    def get_session_store_class(cls):
        from portal.sessions import SessionStore

        return SessionStore
