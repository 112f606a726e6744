from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError

from .dates import EARLIEST_DATES, check_plausible_date


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has that
    field, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def call_service(form: forms.Form, service: Callable, /, **kwargs):
    """The service's result, or None when it refused: its message is then on the form."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        add_service_error(form, error)
        return None


class PlausibleDatesMixin:
    """Refuses a date before the earliest plausible one of its field (``dates.EARLIEST_DATES``:
    a birth before 1900, an admission or an organization before the Party's founding), as the
    imports do; the models hold no such validator."""

    def clean(self):
        super().clean()
        for name, earliest in EARLIEST_DATES.items():
            if name in self.fields and self.cleaned_data.get(name) is not None:
                try:
                    check_plausible_date(self.cleaned_data[name], name, earliest)
                except ValidationError as error:
                    add_service_error(self, error)
        return self.cleaned_data


class DateInput(forms.DateInput):
    """dd/mm/yyyy text input (the browser's date picker would show the ISO format in some locales),
    with a calendar button beside it (static/js/dates.js) that writes the chosen day as typed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("attrs", {})
        kwargs["attrs"].setdefault("placeholder", "dd/mm/yyyy")
        kwargs["attrs"].setdefault("inputmode", "numeric")
        kwargs["attrs"].setdefault("autocomplete", "off")
        kwargs["attrs"].setdefault("data-datepicker", "")
        super().__init__(format="%d/%m/%Y", **kwargs)
