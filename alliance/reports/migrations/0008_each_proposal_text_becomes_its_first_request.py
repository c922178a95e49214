"""Each proposal written before requests existed gets one request holding its text
(ADR 0038): the text stays as the preamble, nothing is lost, and the decision maker
can answer it like any other request. Proposals already closed keep their status."""

from django.db import migrations


def one_request_per_proposal(apps, schema_editor):
    Proposal = apps.get_model("reports", "Proposal")
    ProposalRequest = apps.get_model("reports", "ProposalRequest")
    ProposalRequest.objects.bulk_create(
        (
            ProposalRequest(proposal_id=pk, position=1, text=text)
            for pk, text in Proposal.objects.filter(requests__isnull=True)
            .values_list("pk", "text")
            .iterator()
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_proposal_requests_answers_progress")]

    operations = [migrations.RunPython(one_request_per_proposal, migrations.RunPython.noop)]
