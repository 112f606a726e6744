"""Form widgets shared by the apps. Their behaviour in the browser is in static/js (the CSP allows no
inline script)."""

from django import forms
from django.core.exceptions import ValidationError


class SearchSelect(forms.Select):
    """The select of a ModelChoiceField whose choices are too many to ship (a bloc has hundreds of
    chi bộ): it renders the empty choice and the chosen one only, and static/js/pickers.js (Tom
    Select) asks ``search_url`` for the others as the user types. The field still validates against
    its whole queryset, so an id the page never offered is refused as before.

    ``label_from_instance`` of the field names the chosen option, from ``chosen_objects`` (one
    query)."""

    # Where the search is asked, and the words of the picker, as data attributes of the select.
    search_url: str = ""
    placeholder: str = ""

    def __init__(self, attrs=None, *, search_url: str = "", placeholder: str = ""):
        super().__init__(attrs)
        self.search_url = search_url or self.search_url
        self.placeholder = placeholder or self.placeholder

    def get_search_url(self) -> str:
        return str(self.search_url)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        extra = {"data-search-url": self.get_search_url()}
        if self.placeholder:
            extra["data-placeholder"] = str(self.placeholder)
        context["widget"]["attrs"] = {**context["widget"]["attrs"], **extra}
        return context

    def chosen_objects(self, field, values: list[str]) -> list:
        """The objects of ``field``'s queryset named by ``values`` (one query each, as the field's
        own check); a value outside the queryset or not a key at all names nothing."""
        chosen = []
        for value in values:
            try:
                chosen.append(field.to_python(value))
            except ValidationError:
                continue
        return [obj for obj in chosen if obj is not None]

    def optgroups(self, name, value, attrs=None):
        field = getattr(self.choices, "field", None)
        if field is None:  # plain choices: nothing to search
            return super().optgroups(name, value, attrs)
        values = [str(v) for v in value if v not in (None, "")]
        chosen = [
            (str(field.prepare_value(obj)), field.label_from_instance(obj), True)
            for obj in self.chosen_objects(field, values)
        ]
        options = [("", field.empty_label, not chosen)] if field.empty_label is not None else []
        options += chosen
        return [
            (None, [self.create_option(name, option_value, label, selected, index, attrs=attrs)], index)
            for index, (option_value, label, selected) in enumerate(options)
        ]
