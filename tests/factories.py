"""factory_boy factories for the partnership model. Every value is synthetic."""

import factory
from django.utils.text import slugify

from partnership.models import Agency, AgencyCategory, Board, Borough, Partnership, User
from partnership.services import system_actor


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@test.vawg-portal.invalid")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.django.Password("test-password-123")


class RecordedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    created_by = factory.LazyFunction(system_actor)
    updated_by = factory.SelfAttribute("created_by")


class PartnershipFactory(RecordedFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Partnership {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    @factory.post_generation
    def boroughs(self, create, extracted, **kwargs):
        if create:
            self.boroughs.set(extracted or [Borough.objects.get(slug="westminster")])


class AgencyFactory(RecordedFactory):
    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    category = AgencyCategory.VOLUNTARY_SECTOR

    @factory.post_generation
    def boroughs(self, create, extracted, **kwargs):
        if create and extracted:
            self.boroughs.set(extracted)


class BoardFactory(RecordedFactory):
    class Meta:
        model = Board

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Test Board {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
