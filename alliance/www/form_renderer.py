"""The form renderer of the product: Django's, except that the plainest widgets
(inputs, text areas, selects) are written in Python instead of through their
templates. Django renders a select with one template include per option and a
further include for each element's attributes: a charter page, with a select of the
34 life domains for each adopted interest and for the perimeter, spent about a third
of its CPU there. The HTML is the same as the templates' (tests/www/test_form_renderer.py
compares them); any other widget, or a project template overriding one of these, goes
through the templates as before."""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape


def _text(value):
    """As `{{ value }}` shows it: numbers and dates in the current language."""
    return conditional_escape(value if isinstance(value, str) else localize(value))


_INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "hidden",
        "number",
        "email",
        "password",
        "date",
        "url",
        "tel",
        "search",
        "time",
        "datetime",
        "color",
        "checkbox",
    )
)
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_TEXTAREA = "django/forms/widgets/textarea.html"


def _attrs(attrs):
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{conditional_escape(str(value))}"')
    return "".join(parts)


def _input(w):
    value = "" if w["value"] is None else f' value="{conditional_escape(str(w["value"]))}"'
    return (
        f'<input type="{conditional_escape(w["type"])}" name="{conditional_escape(w["name"])}"'
        f"{value}{_attrs(w['attrs'])}>"
    )


def _option(o):
    return (
        f'<option value="{conditional_escape(str(o["value"]))}"{_attrs(o["attrs"])}>'
        f"{_text(o['label'])}</option>\n"  # the option template ends with a newline
    )


def _select(w):
    parts = [f'<select name="{conditional_escape(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, options, _index in w["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(f"\n  {_option(o)}" for o in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(w):
    value = _text(w["value"]) if w["value"] else ""
    name = conditional_escape(w["name"])
    return f'<textarea name="{name}"{_attrs(w["attrs"])}>\n{value}</textarea>'


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in _INPUTS:
                return _input(widget)
            if template_name == _SELECT and all(
                o["template_name"] == _OPTION for _g, opts, _i in widget["optgroups"] for o in opts
            ):
                return _select(widget)
            if template_name == _TEXTAREA:
                return _textarea(widget)
        return super().render(template_name, context, request)
