"""Two organizations with a row of every tenant model each, for the generic isolation and role tests.

Organization A's and B's rows are built through the factory registry, then every text column of every tenant row
is overwritten with a marker unique to that row and column (``qza…q`` for A, ``qzb…q`` for B; B's staff get
marked names too). A page or API response read as A must not contain any ``qzb`` marker: the check needs no
knowledge of what a page shows. Both organizations are in one region of one country, so a query that filters by
region or country instead of organization is caught too.

Build it once per test module (:func:`world_fixture`): the walk reads hundreds of URLs.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django_scopes import scopes_disabled

from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.models import Country, Membership, Organization, Region, User
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import tenant_models
from khizmat.testing.registry import factory_for

MARKER_MIN_LENGTH = 9  # "qzb" + 5 digits + "q"


@dataclass
class World:
    org_a: object
    org_b: object
    own: dict = field(default_factory=dict)  # model → A's row
    foreign: dict = field(default_factory=dict)  # model → B's row
    users: dict = field(default_factory=dict)  # role → a user of A with that role
    b_users: dict = field(default_factory=dict)  # role → a user of B with that role
    markers_a: dict = field(default_factory=dict)  # model → markers of A's rows of that model
    markers_b: dict = field(default_factory=dict)  # marker → "app.Model.field"

    def foreign_markers_in(self, text: str) -> list[str]:
        if "qzb" not in text:
            return []
        return sorted({where for marker, where in self.markers_b.items() if marker in text})


def _text_fields(model) -> list:
    if model is User:
        return [model._meta.get_field(name) for name in ("first_name", "last_name", "patronymic")]
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.primary_key
        and not f.choices
        and (f.max_length is None or f.max_length >= MARKER_MIN_LENGTH)
    ]


def _mark(world: World, model, rows, prefix: str, counter: list[int]) -> None:
    fields = _text_fields(model)
    for row in rows:
        markers = {}
        for f in fields:
            counter[0] += 1
            markers[f] = f"{prefix}{counter[0]:05d}q"
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=row.pk).update(**{f.attname: m for f, m in markers.items()})
        except IntegrityError:  # a check constraint on a column's format: mark the others one by one
            for f, marker in list(markers.items()):
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=row.pk).update(**{f.attname: marker})
                except IntegrityError:
                    del markers[f]
        for f, marker in markers.items():
            if prefix == "qzb":
                world.markers_b[marker] = f"{model._meta.label}.{f.name}"
            else:
                world.markers_a.setdefault(model, set()).add(marker)


def _row(model, organization, built: dict):
    """A row of ``model`` in ``organization``, built by its factory; when the factory's own related rows clash with
    rows built before (one billing run per period), again on those rows."""
    try:
        with transaction.atomic():
            return factory_for(model)(organization=organization)
    except IntegrityError:
        related = {
            f.name: built[f.related_model]
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in built and f.name != "organization"
        }
        with transaction.atomic():
            return factory_for(model)(organization=organization, **related)


def build_world() -> World:
    OrganizationFactory, MembershipFactory, UserFactory = map(factory_for, (Organization, Membership, User))
    with scopes_disabled():
        kg = Country.objects.get(code="KG")  # from the data migration
        region = factory_for(Region)(country=kg)
        world = World(
            org_a=OrganizationFactory(
                code="iso-a", kind=OrganizationKind.MUNICIPAL_ENTERPRISE, country=kg, region=region
            ),
            org_b=OrganizationFactory(
                code="iso-b", kind=OrganizationKind.MUNICIPAL_ENTERPRISE, country=kg, region=region
            ),
        )
        for role in Role.values:
            world.users[role] = MembershipFactory(
                organization=world.org_a, role=role, user=UserFactory(last_name=f"A {role}")
            ).user
            world.b_users[role] = MembershipFactory(
                organization=world.org_b, role=role, user=UserFactory()
            ).user
        for model in tenant_models():
            world.own[model] = _row(model, world.org_a, world.own)
            world.foreign[model] = _row(model, world.org_b, world.foreign)
            assert world.own[model].organization_id == world.org_a.pk, model
            assert world.foreign[model].organization_id == world.org_b.pk, model
        counter = [0]
        for model in tenant_models():
            for org, prefix in ((world.org_b, "qzb"), (world.org_a, "qza")):
                _mark(world, model, list(model._base_manager.filter(organization=org)), prefix, counter)
        b_staff = User.objects.filter(memberships__organization=world.org_b).exclude(
            memberships__organization=world.org_a
        )
        for user in b_staff:
            _mark(world, User, [user], "qzb", counter)
        for model in [*world.own, *world.foreign]:
            for row in (world.own[model], world.foreign[model]):
                row.refresh_from_db()
        assert not Membership.objects.filter(
            organization=world.org_a, coverage_country__isnull=False
        ).exists()
    return world
