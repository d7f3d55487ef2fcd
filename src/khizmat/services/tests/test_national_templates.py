"""An agency publishes national service templates to the centers it oversees (through its branches)."""

import pytest

from khizmat.core.errors import DomainError, PermissionDenied
from khizmat.services import services
from khizmat.services.models import Service
from khizmat.services.tests.factories import ServiceFactory
from khizmat.tenancy.choices import OrganizationKind, OversightKind
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import OrganizationFactory, OversightFactory


@pytest.fixture
def agency_tree(org_a):
    agency = OrganizationFactory(kind=OrganizationKind.AGENCY, code="dxa-test")
    branch = OrganizationFactory(kind=OrganizationKind.AGENCY, code="dxa-branch")
    other_center = OrganizationFactory(kind=OrganizationKind.SERVICE_CENTER, code="center-c")
    OversightFactory(overseer=agency, overseen=branch, kind=OversightKind.BRANCH)
    OversightFactory(overseer=branch, overseen=org_a, kind=OversightKind.BRANCH)
    OversightFactory(overseer=branch, overseen=other_center, kind=OversightKind.BRANCH)
    return agency, [org_a, other_center]


def test_publishing_copies_and_updates_the_template(agency_tree, member):
    agency, centers = agency_tree
    manager = member(agency, Role.MANAGER)
    template = ServiceFactory(
        organization=agency, code="FHDY-01", is_template=True, name_en="Birth registration"
    )

    assert services.service_template_publish(actor=manager, template=template) == 2
    copies = Service.objects.filter(template_code="FHDY-01")
    assert {c.organization_id for c in copies} == {c.pk for c in centers}

    template.deadline_working_days = 2
    template.save()
    assert services.service_template_publish(actor=manager, template=template) == 2
    assert set(copies.values_list("deadline_working_days", flat=True)) == {2}
    assert services.service_template_publish(actor=manager, template=template) == 0


def test_a_centers_own_service_with_the_same_code_is_left_alone(agency_tree, member, org_a):
    agency, _centers = agency_tree
    own = ServiceFactory(organization=org_a, code="FHDY-01", deadline_working_days=9)
    template = ServiceFactory(organization=agency, code="FHDY-01", is_template=True)
    services.service_template_publish(actor=member(agency, Role.MANAGER), template=template)
    own.refresh_from_db()
    assert own.deadline_working_days == 9
    assert own.template_code == ""


def test_only_agency_managers_publish_templates(agency_tree, member):
    agency, _centers = agency_tree
    template = ServiceFactory(organization=agency, is_template=True)
    with pytest.raises(PermissionDenied):
        services.service_template_publish(actor=member(agency, Role.OPERATOR), template=template)
    with pytest.raises(DomainError):
        services.service_template_publish(
            actor=member(agency, Role.ADMIN), template=ServiceFactory(organization=agency, is_template=False)
        )
