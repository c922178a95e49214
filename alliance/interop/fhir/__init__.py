"""The DUI transfer in FHIR R4 along the ANS guide TDDUI (docs/interop-fhir.md)."""
