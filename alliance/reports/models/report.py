"""Need coding and aggregate reports.

A need is coded on the statement behind an adopted common interest or goal, not on
the charter line: the statement is stable across charter versions, so a new
version of the charter keeps its coding without copying it. A report keeps only
what may be shown: the tables after small-count suppression, with the date and
the scope they were computed on."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomNeedDomain(models.Model):
    """A need domain an organisation names itself, when SERAFIN-PH has no fit."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="need_domains"
    )
    name = models.CharField(_("name of the domain"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="need_domain_once")
        ]

    def __str__(self):
        return self.name


class NeedCoding(models.Model):
    """The need domain an ally chose for an adopted interest or goal: a SERAFIN-PH
    code or a custom domain of the alliance's organisation, never both."""

    statement = models.OneToOneField(
        "alliances.Statement", on_delete=models.CASCADE, related_name="need_coding"
    )
    # Denormalised from the statement so that reports group without a join.
    alliance = models.ForeignKey(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="need_codings"
    )
    serafin_code = models.CharField(max_length=20, blank=True)
    custom_domain = models.ForeignKey(
        CustomNeedDomain, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    coded_by = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    coded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(serafin_code="") & models.Q(custom_domain__isnull=False))
                | (~models.Q(serafin_code="") & models.Q(custom_domain__isnull=True)),
                name="need_coding_one_domain",
            )
        ]
        indexes = [models.Index(fields=["alliance", "serafin_code"], name="need_coding_alliance")]


class Report(models.Model):
    class ScopeKind(models.TextChoices):
        ORGANISATION = "organisation", _("One organisation")
        ORGANISATIONS = "organisations", _("Several organisations")
        TERRITORY = "territory", _("A territory")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be computed")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be computed")

    scope_kind = models.CharField(_("scope"), max_length=20, choices=ScopeKind.choices)
    # The organisations the report covers, resolved when it was asked for: a report
    # keeps the scope it was computed on even if a territory changes later.
    organisations = models.ManyToManyField(
        "accounts.Organisation", related_name="+", verbose_name=_("organisations")
    )
    scope_label = models.CharField(max_length=300)
    territory = models.CharField(max_length=80, blank=True)
    # The organisation whose members may read and publish the report.
    owner = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.PROTECT, related_name="reports"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    threshold = models.PositiveSmallIntegerField(_("smallest count shown"), default=5)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    failure = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    # The published tables only, already suppressed: raw counts are never stored.
    snapshot = models.JSONField(default=dict, blank=True)
    published_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="reports_received",
        verbose_name=_("decision makers"),
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(threshold__gte=3), name="report_threshold_at_least_3"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.scope_label} {self.period_start}–{self.period_end}"
