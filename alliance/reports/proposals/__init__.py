"""Proposals of collectives to decision makers: who may do what (`perms`), the
gatekeepers that load a proposal (`access`), the use cases (`services`) and what the
pages read (`selectors`). The order of its steps is `alliance.reports.timeline`,
beside the models, which take their statuses from it."""
