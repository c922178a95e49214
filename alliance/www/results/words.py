"""The words of the results pages: group names and the charts' labels, shared by
the results page and the report's pages."""

from django.utils import formats
from django.utils.translation import gettext as _

from alliance.charts import Labels


def map_labels() -> Labels:
    return Labels(
        decimal_separator=formats.get_format("DECIMAL_SEPARATOR"),
        separator=_("; "),
        end=".",
        percent=_("{value} %"),
        map_point=_("{name}: {count}"),
        map_others=_("Not in a group large enough"),
        map_you=_("You are here"),
        map_explanation=_("People who voted alike are close to each other; the axes have no unit."),
        map_summary=_("Participants: {total}. {groups}"),
        map_summary_group=_("{name}: {size} ({share})"),
        map_no_group=_("No opinion group yet"),
        map_group_header=_("Group"),
        map_size_header=_("Participants"),
        map_share_header=_("Share"),
    )


def group_name(group_id: int) -> str:
    letter = chr(ord("A") + group_id) if 0 <= group_id < 26 else str(group_id + 1)
    return _("Group %(letter)s") % {"letter": letter}
