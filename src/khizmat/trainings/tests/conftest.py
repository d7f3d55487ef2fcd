"""The organizer (a funder project in Uzbekistan) with its manager and monitor, a pilot center it funds, and an
agency whose monitor oversees the organizer."""

import datetime

import pytest
from django.utils import timezone

from khizmat.tenancy.choices import OrganizationKind, OversightKind
from khizmat.tenancy.models import Oversight
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import OrganizationFactory
from khizmat.trainings.tests.factories import EventFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def organizer(db):
    return OrganizationFactory(
        code="eu-test", name="EU/UNDP test project", kind=OrganizationKind.FUNDER_PROJECT
    )


@pytest.fixture
def center(organizer):
    return OrganizationFactory(
        code="center-t",
        name="Public Service Center T",
        kind=OrganizationKind.SERVICE_CENTER,
        country=organizer.country,
    )


@pytest.fixture
def manager(member, organizer):
    return member(organizer, Role.MANAGER, language="en")


@pytest.fixture
def agency_monitor(member, organizer):
    agency = OrganizationFactory(code="agency-t", kind=OrganizationKind.AGENCY, country=organizer.country)
    Oversight.objects.create(overseer=agency, overseen=organizer, kind=OversightKind.FUNDING)
    return member(agency, Role.MONITOR, language="en")


@pytest.fixture
def event(organizer, center, today):
    """A training of the organizer's project that ended yesterday, with the pilot center taking part."""
    event = EventFactory(
        organization=organizer,
        funder_project=organizer,
        topic="Current state and problems of public service delivery",
        start_date=today - datetime.timedelta(days=3),
        end_date=today - datetime.timedelta(days=2),
    )
    event.participating_organizations.add(center, through_defaults={"organization": event.organization})
    return event
