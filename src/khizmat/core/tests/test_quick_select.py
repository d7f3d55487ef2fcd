"""QuickSelect renders what Django's Select renders (value, selection, escaping, attributes), without a template per
option."""

import re

from django import forms

from khizmat.core.forms import QuickSelect

CHOICES = [("", "All"), (1, "A & <B>"), (2, "C")]


class _Form(forms.Form):
    quick = forms.TypedChoiceField(choices=CHOICES, coerce=int, required=False, widget=QuickSelect)
    plain = forms.TypedChoiceField(choices=CHOICES, coerce=int, required=False)


def _compact(html: str) -> str:
    return re.sub(r">\s+<", "><", html.replace("quick", "X").replace("plain", "X")).strip()


def test_the_same_html_as_djangos_select_for_a_chosen_value_and_none():
    for data in ({"quick": "1", "plain": "1"}, {}):
        form = _Form(data)
        assert _compact(str(form["quick"])) == _compact(str(form["plain"]))


def test_labels_are_escaped_and_one_option_is_selected():
    html = str(_Form({"quick": "2"})["quick"])
    assert "A &amp; &lt;B&gt;" in html
    assert html.count(" selected") == 1 and '<option value="2" selected>' in html
