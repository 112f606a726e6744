from django import template

from blocportal import lists

register = template.Library()

_WIDGET_CLASSES = {
    "select": "form-select",
    "selectmultiple": "form-select",
    "searchselect": "form-select",  # blocportal.widgets.SearchSelect and its subclasses below
    "organizationpicker": "form-select",
    "organizationspicker": "form-select",  # the pickers that choose several (meetings, emulation clusters)
    "memberpicker": "form-select",  # inspections.views_common.MemberPicker
    "checkbox": "form-check-input",
    "radioselect": "",
    "checkboxselectmultiple": "",
    "clearablefile": "form-control",
    "file": "form-control",
}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def bs_widget(field):
    """Render a bound field's widget with Bootstrap's classes (and is-invalid when it has errors)."""
    css = _WIDGET_CLASSES.get(field.widget_type, "form-control")
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css.strip()})


@register.simple_tag(takes_context=True)
def filter_chips(context, filterset) -> list:
    """``{% filter_chips filter as chips %}``: the list's hidden filters in force (blocportal.lists)."""
    request = context.get("request")
    return lists.filter_chips(filterset, request.GET) if request is not None else []


@register.filter
def person(user) -> str:
    """How the pages name a user (who recorded, who changed): the full name, else the username;
    "—" when no user was recorded."""
    if not user:
        return "—"
    return user.get_full_name() or user.get_username()
