"""Exchanges with the organisation's own software (the DUI): the person's consent to
them, the FHIR transfer along the ANS guide TDDUI, in and out."""
