from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


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


class DateInput(forms.DateInput):
    """dd/mm/yyyy text input (the browser's date picker would show the ISO format in some locales)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("attrs", {})
        kwargs["attrs"].setdefault("placeholder", "dd/mm/yyyy")
        kwargs["attrs"].setdefault("inputmode", "numeric")
        super().__init__(format="%d/%m/%Y", **kwargs)
