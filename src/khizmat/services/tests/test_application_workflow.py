"""The application workflow: explicit transitions, who may take them, every illegal one refused with a reason."""

import pytest

from khizmat.core.errors import DomainError, PermissionDenied
from khizmat.services import services
from khizmat.services.choices import ApplicationStatus as S
from khizmat.services.tests.factories import ApplicationFactory
from khizmat.services.workflow import TRANSITIONS
from khizmat.tenancy.roles import Role


@pytest.fixture
def manager_a(member, org_a):
    return member(org_a, Role.MANAGER)


def _move(application, actor, *names):
    for name in names:
        comment = "Missing certificate from the mahalla" if TRANSITIONS[name].needs_comment else ""
        application = services.application_transition(
            actor=actor, application=application, name=name, comment=comment
        )
    return application


def test_the_happy_path_records_every_step(org_a, operator_a, manager_a):
    application = ApplicationFactory(organization=org_a)
    application = _move(application, operator_a, "start_review", "request_info", "start_review")
    application = _move(application, manager_a, "approve")
    application = _move(application, operator_a, "issue", "close")

    assert application.status == S.CLOSED
    steps = list(application.transitions.values_list("from_status", "to_status", "actor"))
    assert [s[1] for s in steps] == [S.IN_REVIEW, S.NEEDS_INFO, S.IN_REVIEW, S.APPROVED, S.ISSUED, S.CLOSED]
    assert steps[3][2] == manager_a.pk
    assert application.decided_at is not None
    assert application.finished_at is not None


ILLEGAL = [
    (status, name) for name, t in TRANSITIONS.items() for status in S.values if status not in t.sources
]


@pytest.mark.parametrize(("status", "name"), ILLEGAL)
def test_every_illegal_transition_is_refused(status, name, org_a, member):
    application = ApplicationFactory(organization=org_a, status=status)
    with pytest.raises(DomainError) as error:
        services.application_transition(
            actor=member(org_a, Role.ADMIN), application=application, name=name, comment="reason"
        )
    assert error.value.code == "illegal_transition"
    application.refresh_from_db()
    assert application.status == status
    assert not application.transitions.exists()


def test_operators_cannot_decide(org_a, operator_a):
    application = ApplicationFactory(organization=org_a, status=S.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.application_transition(actor=operator_a, application=application, name="approve")


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MONITOR, Role.CASHIER])
def test_read_only_and_other_roles_cannot_move_applications(role, org_a, member):
    application = ApplicationFactory(organization=org_a)
    with pytest.raises(PermissionDenied):
        services.application_transition(
            actor=member(org_a, role), application=application, name="start_review"
        )


def test_rejection_needs_a_reason(org_a, manager_a):
    application = ApplicationFactory(organization=org_a, status=S.IN_REVIEW)
    with pytest.raises(DomainError) as error:
        services.application_transition(actor=manager_a, application=application, name="reject", comment="  ")
    assert error.value.code == "comment_required"


def test_unknown_transition(org_a, manager_a):
    with pytest.raises(DomainError):
        services.application_transition(
            actor=manager_a, application=ApplicationFactory(organization=org_a), name="x"
        )


def test_staff_of_another_organization_cannot_act(org_a, org_b, member):
    application = ApplicationFactory(organization=org_a)
    with pytest.raises(PermissionDenied):
        services.application_transition(
            actor=member(org_b, Role.ADMIN), application=application, name="start_review"
        )


def test_reassignment(org_a, operator_a, manager_a, member):
    colleague = member(org_a, Role.OPERATOR)
    application = ApplicationFactory(organization=org_a, assigned_to=operator_a)

    application = services.application_reassign(actor=manager_a, application=application, assignee=colleague)

    assert application.assigned_to == colleague
    assert application.history.first().history_user == manager_a


def test_reassigning_to_a_cashier_or_outsider_is_refused(org_a, org_b, manager_a, member):
    application = ApplicationFactory(organization=org_a)
    for assignee in (member(org_a, Role.CASHIER), member(org_b, Role.OPERATOR)):
        with pytest.raises(DomainError):
            services.application_reassign(actor=manager_a, application=application, assignee=assignee)


def test_operators_cannot_reassign(org_a, operator_a, member):
    application = ApplicationFactory(organization=org_a)
    with pytest.raises(PermissionDenied):
        services.application_reassign(
            actor=operator_a, application=application, assignee=member(org_a, Role.OPERATOR)
        )


def test_each_sms_carries_the_reason_of_its_own_step(org_a, operator_a, manager_a):
    from khizmat.notifications.models import SmsMessage

    application = ApplicationFactory(
        organization=org_a, applicant_phone="+998901234567", applicant_language="en"
    )
    application = _move(application, operator_a, "start_review")
    services.application_transition(
        actor=operator_a,
        application=application,
        name="request_info",
        comment="Bring the mahalla certificate",
    )
    application = _move(application, operator_a, "start_review")
    services.application_transition(
        actor=manager_a, application=application, name="reject", comment="The plot is not yours"
    )
    texts = list(
        SmsMessage.objects.filter(reference=application.number).order_by("pk").values_list("event", "text")
    )
    assert [(event, "mahalla" in text, "plot" in text) for event, text in texts] == [
        ("application_needs_info", True, False),
        ("application_rejected", False, True),
    ]
