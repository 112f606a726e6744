from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    weekly_digest = forms.BooleanField(label=_("Receive the weekly digest by e-mail"), required=False)
