"""Proposals of collectives to decision makers: who may do what (`perms`), the
gatekeepers that load a proposal (`access`), the order of its steps (`timeline`),
the use cases (`services`) and what the pages read (`selectors`)."""
