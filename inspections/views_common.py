"""What the views of the case work share: the scoped getters (out of the inspector's subtrees 404, without
the permission 403), the log of reads, and the member picker of their forms.

A read is logged once the record has passed the scope and permission checks, never for a 404 or a 403:
``logged(request, ReadLog.What.CASE, case)`` on every opening of a page, and of a document."""

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocportal import access
from blocportal.widgets import SearchSelect
from members.models import Member
from organizations import selectors as org_selectors

from .models import Case, CaseDocument, ReadLog
from .selectors import case_pages
from .services.logs import log_read

# How many members the picker's search answers with: the inspector types more of the name rather than
# scrolls.


def form_data(request):
    """The submitted data, so that an empty POST still shows the form's errors."""
    return request.POST if request.method == "POST" else None


def form_files(request):
    return request.FILES if request.method == "POST" else None


def logged(request, what: str, record) -> ReadLog:
    """Write who opened ``record`` (a case, a document, a letter, a decision, an appeal), when and at
    which address."""
    return log_read(user=request.user, what=what, record=record, path=request.get_full_path())


def get_in_scope(request, queryset: QuerySet, pk: int, *, for_change: bool = False, organization_of=None):
    """The record of ``queryset`` (a manager or queryset with ``visible_to``) if the user sees it (else
    404) and holds case.view — and case.change when ``for_change`` — over its organization (else 403)."""
    organization_of = organization_of or (lambda record: record.organization)
    record = access.get_for_user(
        queryset, request.user, permission="case.view", organization_of=organization_of, pk=pk
    )
    if for_change:
        access.require(request.user, "case.change", organization_of(record))
    return record


def get_case(request, pk: int, *, for_change: bool = False) -> Case:
    return get_in_scope(request, case_pages.case_for_page(request.user), pk, for_change=for_change)


def get_document(request, pk: int, *, for_change: bool = False) -> CaseDocument:
    """A document of a case the user sees (else 404), with the same permissions as its case."""
    cases = Case.objects.visible_to(request.user)
    try:
        document = CaseDocument.objects.select_related("case__organization").get(pk=pk, case__in=cases)
    except CaseDocument.DoesNotExist:
        raise Http404 from None
    access.require(request.user, "case.view", document.case.organization)
    if for_change:
        access.require(request.user, "case.change", document.case.organization)
    return document


# The member picker ----------------------------------------------------------------------------------


def member_label(member: Member) -> str:
    """ "Nguyễn Văn An — Chi bộ Phòng Ngân sách": the name and the (current or last) chi bộ."""
    cell = member.organization
    return f"{member.full_name} — {cell.short_name or cell.name}"


class MemberPicker(SearchSelect):
    """The select of a member field: the chosen member only, the others searched at
    ``inspections:member_search`` (name without tone marks, CCCD or Party card number) as the user
    types. Its field validates against ``case_pages.inspected_members`` (``use_member_picker``)."""

    placeholder = _("Type to search: name, citizen ID or Party card number")

    def get_search_url(self) -> str:
        return reverse("inspections:member_search")


def use_member_picker(field, user) -> None:
    """Makes ``field`` (a ModelChoiceField with a MemberPicker) validate against the members of the
    user's inspection subtrees and name the chosen one with their chi bộ."""
    field.queryset = case_pages.inspected_members(user).select_related("organization")
    field.label_from_instance = member_label


def members_as_json(members: list[Member], user) -> list[dict]:
    """The picker's choices: the name, and where the member sits (chi bộ, grassroots organization),
    or that they left. One query for the grassroots names."""
    names = org_selectors.grassroots_names({member.organization.path for member in members}, user)
    results = []
    for member in members:
        cell = member.organization
        parts = [cell.short_name or cell.name]
        grassroots = names.get(cell.path)
        if grassroots and not cell.is_grassroots:
            parts.append(grassroots)
        if member.exit_reason:
            parts.append(str(member.get_exit_reason_display()))
        results.append(
            {
                "id": member.pk,
                "label": member_label(member),
                "name": member.full_name,
                "context": " · ".join(parts),
            }
        )
    return results
