"""The product's form renderer writes the plainest widgets in Python: the HTML must
be exactly what Django's widget templates give."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from alliance.www.form_renderer import FormRenderer


class Everything(forms.Form):
    name = forms.CharField(max_length=20, initial='Léo "l\'ami" <b>')
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput)
    hidden = forms.IntegerField(widget=forms.HiddenInput, initial=1234567)
    number = forms.DecimalField(initial=1.5)
    day = forms.DateField(initial=datetime.date(2026, 12, 3))
    agree = forms.BooleanField(initial=True)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="a < b\nc & d")
    empty_text = forms.CharField(widget=forms.Textarea)
    choice = forms.ChoiceField(
        choices=[("", "— choose —"), ("a", "A & B"), ("Group <g>", [("1", 1), ("2", 2.5)])],
        initial="1",
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], initial=["x", "y"])
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("bound", [False, True])
def test_each_widget_renders_as_with_the_templates(language, bound):
    data = {"name": "x\"y'<z>", "choice": "a", "many": ["y"], "text": "", "agree": ""}
    with translation.override(language):
        ours = Everything(data if bound else None, renderer=FormRenderer())
        django = Everything(data if bound else None, renderer=DjangoTemplates())
        for field in ours:
            assert str(field) == str(django[field.name]), field.name
        assert ours.as_div() == django.as_div()
