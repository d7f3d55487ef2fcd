"""The demo's trainings: five territories twice, the 72-participant exchange, roughly balanced by sex; twice is once."""

from khizmat.tenancy.scoping import scopes_disabled
from khizmat.trainings import demo
from khizmat.trainings.choices import EventKind, Sex
from khizmat.trainings.models import Event, EventMaterial, Participant


def test_the_demo_trainings(demo_data, db):
    assert demo_data.added_by_second_run(Event, Participant, EventMaterial) == {}
    with scopes_disabled():
        participants = Participant.objects.count()
        eu = Event.objects.filter(organization__code="eu-undp", topic=demo.TOPIC_1)
        assert eu.count() == 5
        assert {e.settlement.district.code for e in eu} == {"BAX", "SAR", "DEH", "XOV", "NUR"}
        for event in Event.objects.filter(organization__code="eu-undp"):
            assert 15 <= event.participants.count() <= 30
        exchange = Event.objects.get(kind=EventKind.EXCHANGE)
        assert exchange.participants.count() == 72 and exchange.organization.code == "sdc-helvetas"
        women = Participant.objects.filter(sex=Sex.FEMALE).count()
        assert 0.4 < women / participants < 0.6
