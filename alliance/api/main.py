"""The API instance: its routers, its authentication and its errors. Every operation
documents the problems it may answer, so the OpenAPI description says the truth."""

from ninja import NinjaAPI, Router

from alliance.accounts.models import User

from .auth import TokenAuth, caller_of
from .problems import Problem, install
from .schemas import Me

PROBLEM_STATUSES = {
    "400": "Malformed request",
    "401": "No valid token",
    "403": "Not allowed (scope or rights)",
    "404": "Not found, or not yours to see",
    "409": "Changed meanwhile",
    "422": "Invalid input",
    "429": "Too many requests",
}


class AllianceApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("Problem", Problem.model_json_schema())
        reference = {"$ref": "#/components/schemas/Problem"}
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                for status, description in PROBLEM_STATUSES.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/problem+json": {"schema": reference}},
                        },
                    )
        return schema


api = AllianceApi(
    title="Alliance",
    version="1",
    description="The alliances, collectives and reports of Alliance, as their pages show them.",
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url=None,
    openapi_url="/openapi.json",
)
install(api)

me = Router(tags=["me"])


@me.get("", response=Me, summary="Who this token acts as")
def who_am_i(request):
    caller = caller_of(request)
    user: User | None = caller.user
    return Me(
        kind="user" if user else "client",
        display_name=user.display_name if user else caller.client.display_name,
        scope=caller.scope,
    )


api.add_router("/me", me)

# Routers are added at the end: each module imports `api` helpers from here.
from . import (  # noqa: E402
    acting,
    alliances,
    collectives,
    fhir,
    follow_through,
    oauth,
    report_requests,
    reports,
    tokens,
)

api.add_router("/alliances", alliances.router)
api.add_router("/alliances", acting.router)
api.add_router("/collectives", collectives.router)
api.add_router("/reports", reports.reports)
api.add_router("/proposals", reports.proposals)
# The follow-through of a proposal (ADR 0038) and the requests for a report (ADR 0037).
api.add_router("/proposals", follow_through.router)
api.add_router("/report-requests", report_requests.router)
# The DUI transfer in FHIR (docs/interop-fhir.md).
api.add_router("/fhir", fhir.router)
# The API's doors (ADR 0029): the OAuth2 token endpoint and a person's own tokens.
api.add_router("/oauth", oauth.router)
api.add_router("/tokens", tokens.router)
