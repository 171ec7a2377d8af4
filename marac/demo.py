"""Demo MARACs: one per demo borough, each covering its own borough (DESIGN §6)."""

from marac.models import Marac
from marac.services import marac_create
from partnership.demo import DemoContext, seed_marac_roles
from partnership.models import Borough

DEMO_MARACS = [
    ("shared-services", "westminster"),
    ("shared-services", "hammersmith-and-fulham"),
    ("shared-services", "kensington-and-chelsea"),
    ("havering", "havering"),
]


def seed(context: DemoContext) -> None:
    for partnership_slug, borough_slug in DEMO_MARACS:
        borough = Borough.objects.get(slug=borough_slug)
        marac = Marac.objects.filter(slug=borough_slug).first() or marac_create(
            acting_user=context.actor,
            partnership=context.partnerships[partnership_slug],
            name=f"{borough.name} MARAC",
            slug=borough_slug,
            boroughs=[borough],
        )
        context.maracs[borough_slug] = marac
    seed_marac_roles(context)
