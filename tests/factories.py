"""Factories for test data. Organizations are created through the service (paths, events, history)."""

import datetime

import factory
from django.contrib.auth import get_user_model

from blocportal.models import Assignment
from organizations import services as org_services
from organizations.models import Organization


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Vietnamese order: family and middle names first, given name last ("Nguyễn Văn" + "An").
    first_name = "Nguyễn Văn"
    last_name = "An"
    password = factory.django.Password("demo12345")


class OrganizationFactory(factory.Factory):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"ORG{n:04d}")
    name = factory.Sequence(lambda n: f"Chi bộ Phòng số {n}")
    kind = Organization.Kind.GRASSROOTS_CELL
    sector = Organization.Sector.STATE
    parent = None
    established_on = datetime.date(2015, 1, 1)
    by = factory.SubFactory(UserFactory, username="system")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return org_services.create_organization(**kwargs)


def assign(user, role: str, organization: Organization) -> Assignment:
    return Assignment.objects.create(user=user, role=role, organization=organization)
