"""The REST API, /api/v1/ (ADR 0029): the same gatekeepers, selectors and use cases
as the pages, reached with a personal access token or, for an organisation's DUI
software, with OAuth2 client credentials. Errors are RFC 9457 problem details."""
