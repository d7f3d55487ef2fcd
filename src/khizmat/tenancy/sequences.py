"""Gap-free numbers per organization (application, ticket, invoice and receipt numbers)."""

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from khizmat.tenancy.scoping import TenantModel


class NumberSequence(TenantModel):
    """A gap-free counter per organization and key (e.g. ``application:2026``, ``ticket:2026-11-25:A``).

    :func:`next_number` takes a row lock, so two counters never hand out the same number. It keeps no history:
    the numbered rows carry their own (see ``WITHOUT_HISTORY`` in web/audit.py).
    """

    key = models.CharField(_("key"), max_length=100)
    last_value = models.PositiveBigIntegerField(_("last value"), default=0)

    class Meta:
        db_table = "core_numbersequence"  # the table keeps the name it had when the model lived in core
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="numbersequence_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.last_value}"


def next_number(*, organization, key: str) -> int:
    """The next value of the organization's sequence ``key`` (1, 2, 3…), inside the caller's transaction."""
    with transaction.atomic():
        sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
            organization=organization, key=key
        )
        NumberSequence.objects.filter(pk=sequence.pk, organization=organization).update(
            last_value=F("last_value") + 1
        )
        sequence.refresh_from_db(fields=["last_value"])
        return sequence.last_value
