"""Reads of the documents, in a fixed number of queries: lists never load the bytes."""

from .models import Document


def documents_of(alliance) -> list[Document]:
    return list(
        Document.objects.filter(alliance=alliance).select_related("produced_by__user", "review")
    )
