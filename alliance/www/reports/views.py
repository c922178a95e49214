"""Pages of reports: list and request, the report (tables, charts, quotes), its
exports, publishing to decision makers; and the need coding of an adopted interest.
Thin: load through the gatekeeper, validate, call the use case, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.accounts.models import Organisation
from alliance.alliances import perms as alliance_perms
from alliance.alliances.access import get_alliance_for, get_statement_in
from alliance.db_routers import reads_from_replica
from alliance.reports import perms, services, summary
from alliance.reports.access import get_report_for, reports_for
from alliance.reports.models import Report
from alliance.www.gatekeepers import reauthentication_required
from alliance.www.utils import run_use_case

from . import exports, forms, present


def _may_list(user):
    return user.is_decision_maker or perms.can_request_reports(user)


def _organisations(user):
    if user.is_staff:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk=user.organisation_id)


@reads_from_replica
def report_list(request):
    if not _may_list(request.user):
        raise PermissionDenied
    reports = reports_for(request.user).annotate(recipients=Count("published_to"))
    return render(
        request,
        "reports/list.html",
        {"reports": reports[:100], "can_request": perms.can_request_reports(request.user)},
    )


def create(request):
    user = request.user
    if not perms.can_request_reports(user):
        raise PermissionDenied
    form = forms.ReportForm(request.POST or None, user=user, organisations=_organisations(user))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = run_use_case(
                    form,
                    services.request_report,
                    user=user,
                    scope_kind=data["scope_kind"],
                    organisation_ids=[data["organisation"].pk] if data["organisation"] else [],
                    territory=data["territory"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    threshold=data["threshold"],
                )
            except PermissionDenied:
                form.add_error(None, _("You may not ask for a report on this scope."))
                report, status = None, 403
            if report is not None:
                messages.success(request, _("The report is being computed."))
                return redirect("reports:detail", report.pk)
    return render(request, "reports/create.html", {"form": form}, status=status)


@reads_from_replica
def detail(request, report_id):
    report = get_report_for(request.user, report_id)
    services.record_read(request.user, report, "page")
    context = {"report": report, "hidden_note": present.hidden_note()}
    if report.status == Report.Status.READY:
        context.update(
            summary=summary.sentences(report.snapshot),
            tables=present.tables(report.snapshot),
            trends=present.trends(report.snapshot),
            quotes=present.quotes(report.snapshot),
            left_out=present.left_out(report.snapshot),
            method=summary.method_note(report.snapshot),
            about=exports.about_rows(report),
        )
        if perms.can_publish_report(request.user, report):
            context.update(
                publish_form=forms.PublishForm(),
                recipients=list(report.published_to.order_by("display_name")),
            )
    return render(request, "reports/detail.html", context)


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
    "pdf": ("application/pdf", "pdf"),
}


@reads_from_replica
def export(request, report_id, fmt):
    if fmt not in EXPORTS:
        raise Http404
    report = get_report_for(request.user, report_id)
    if report.status != Report.Status.READY:
        raise Http404
    services.record_read(request.user, report, fmt)
    if fmt == "csv":
        body = exports.as_csv(report)
    elif fmt == "ods":
        body = exports.as_ods(report)
    else:
        body = exports.as_pdf(report, request)
    content_type, extension = EXPORTS[fmt]
    response = HttpResponse(body, content_type=content_type)
    computed = timezone.localdate(report.computed_at).isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="report-{report.pk}-{computed}.{extension}"'
    )
    return response


def _report_page(request, report_id):
    return reverse("reports:detail", args=[report_id])


@require_POST
@reauthentication_required(back=_report_page)
def publish(request, report_id):
    report = get_report_for(request.user, report_id)
    if not perms.can_publish_report(request.user, report):
        raise PermissionDenied
    form = forms.PublishForm(request.POST)
    if form.is_valid() and run_use_case(
        form,
        services.publish_report,
        user=request.user,
        report=report,
        recipients=form.cleaned_data["recipients"],
    ):
        messages.success(request, _("The report is published to the decision makers chosen."))
        return redirect("reports:detail", report.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("reports:detail", report.pk)


@require_POST
def code_need(request, alliance_id, statement_id):
    alliance, me = get_alliance_for(request.user, alliance_id)
    if not alliance_perms.can_see_content(me):
        raise PermissionDenied
    statement = get_statement_in(alliance, statement_id)
    domain = request.POST.get("domain", "")
    custom_id = None
    if domain.startswith("c") and domain[1:].isdigit():
        custom_id, domain = int(domain[1:]), ""
    try:
        services.code_need(
            ally=me,
            statement=statement,
            serafin_code=domain,
            custom_domain_id=custom_id,
            new_domain=request.POST.get("new_domain", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The need domain is saved."))
    return redirect(reverse("alliances:charter", args=[alliance.pk]) + "#interests")


def attach_need_coding(charter, alliance) -> None:
    """Gives each adopted interest of the charter its need coding form and the
    suggested needs (two queries, whatever the number of interests)."""
    from alliance.alliances.needs import label_of, life_domains
    from alliance.reports.domains import suggest_needs
    from alliance.reports.models import CustomNeedDomain, NeedCoding

    interests = list(charter.interests.all())
    codings = {
        c.statement_id: c
        for c in NeedCoding.objects.filter(statement_id__in=[i.statement_id for i in interests])
    }
    custom = (
        list(CustomNeedDomain.objects.filter(organisation_id=alliance.organisation_id))
        if alliance.organisation_id and interests
        else []
    )
    needs = life_domains()
    for interest in interests:
        coding = codings.get(interest.statement_id)
        initial = ""
        if coding is not None:
            initial = (
                f"c{coding.custom_domain_id}" if coding.custom_domain_id else coding.serafin_code
            )
        interest.need_form = forms.NeedCodingForm(
            initial={"domain": initial},
            needs=needs,
            custom=custom,
            auto_id=f"id_need{interest.pk}_%s",
        )
        interest.need_suggestions = [
            (code, label_of(code)) for code in suggest_needs(interest.text) if code != initial
        ]
