"""Who may do what about linking alliances: small named predicates."""


def can_decide_linking(ally) -> bool:
    """Only the person, or their legal representative, decides whether their alliance
    is linked with others: it is the person's life that would be shared."""
    return ally is not None and ally.is_active and ally.speaks_for_person
