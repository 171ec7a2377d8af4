from django.db import models


class Fortune(models.Model):
    """The benchmark anchor's table (TechEmpower "fortunes"); never holds real data."""

    message = models.CharField(max_length=2048)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.message
