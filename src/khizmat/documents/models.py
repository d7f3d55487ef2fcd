"""A document made in the background (an export, a batch of notices): its request, progress and file."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from khizmat.documents.registry import kind_choices
from khizmat.tenancy.scoping import TenantModel


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class GeneratedDocument(TenantModel):
    """One request for a document of a registered kind (``documents.registry``); the file once it is ready."""

    kind = models.CharField(_("kind"), max_length=60, choices=kind_choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size, bytes"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        indexes = [
            models.Index(fields=["organization", "requested_by", "-requested_at"], name="document_org_user")
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_in_progress(self) -> bool:
        return self.status in (DocumentStatus.QUEUED, DocumentStatus.RUNNING)

    @property
    def title(self):
        from khizmat.documents.registry import kind_named

        kind = kind_named(self.kind)
        return kind.title if kind else self.kind
