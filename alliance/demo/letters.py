"""First access in the demo (ADR 0013): the coordinator has just created an alliance
for Yvette, who has no email. Nothing reaches Yvette until the coordinator prints
her activation letter from the alliance's roster and hands it over."""

from alliance.accounts.models import User
from alliance.alliances import services
from alliance.alliances.models import Alliance

from .clock import as_of, days_ago


def load_first_access(people: dict[str, User]) -> Alliance:
    with as_of(days_ago(1)):
        return services.create_alliance(
            creator=people["coordinator"],
            title="Yvette, 78 ans : rester chez elle",
            situation=(
                "Yvette vit seule depuis le décès de son mari. Elle veut rester chez elle. "
                "Elle n'a ni adresse e-mail ni ordinateur, mais un téléphone portable."
            ),
            person_name="Yvette Morel",
        )
