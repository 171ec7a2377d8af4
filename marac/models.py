"""MARACs. The records issue adds referrals, cases, DASH and access events here."""

from django.db import models
from django.urls import reverse

from partnership.models import Borough, Partnership, Recorded


class Marac(Recorded):
    """A multi-agency risk assessment conference covering one or more boroughs."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="maracs")
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    boroughs = models.ManyToManyField(Borough, related_name="maracs")

    class Meta:
        ordering = ["name"]
        verbose_name = "MARAC"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership:overview", kwargs={"slug": self.partnership.slug})
