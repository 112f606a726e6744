"""What the case work's pages read: the lists of cases, letters and decisions in the inspector's
scope, the choices of their pickers (the organizations that conduct a case, the organizations and
members it may be on), a case's file (its documents, the letters it came from, the decisions and
appeals from it) and its history.

Every read starts from the inspector's subtrees (``scope_q(..., roles=("inspector",))``): a user who is
staff or a leader somewhere sees nothing of the case work for it."""

from dataclasses import dataclass
from itertools import chain

from django.db import models
from django.db.models import IntegerField, QuerySet, Value, When

from blocportal import access
from blocportal.history import record_changes
from blocportal.text import nfc
from members.models import CommitteeSeat, Member
from organizations.models import Organization

from ..models import Appeal, Case, CaseDocument, Complaint, DisciplineDecision
from ..querysets import INSPECTORS
from ..services.common import BODY_KINDS

# The kinds of organization that have a body conducting cases (a tổ đảng has none).
CONDUCTING_KINDS = tuple(sorted(set(chain.from_iterable(BODY_KINDS.values()))))
POSITIONS = dict(CommitteeSeat.Position.choices)


def inspected_organizations(user) -> QuerySet[Organization]:
    """The organizations of the user's inspection subtrees, dissolved ones too (their past cases stay):
    the filter of the list and the targets of a case."""
    return Organization.objects.filter(access.scope_q(user, "path", roles=INSPECTORS)).order_by("path")


def conducting_organizations(user) -> QuerySet[Organization]:
    """The active organizations of the user's inspection subtrees that have a body conducting cases;
    which body each has is the service's check (``services.common.check_body``)."""
    return inspected_organizations(user).filter(kind__in=CONDUCTING_KINDS).active().select_related("parent")


def inspected_members(user) -> QuerySet[Member]:
    """The members whose (current or last) chi bộ lies in the user's inspection subtrees, former ones
    too: a case, a letter or a decision may be about someone who has left since."""
    return Member.objects.filter(access.scope_q(user, "organization__path", roles=INSPECTORS))


def case_list(user) -> QuerySet[Case]:
    """The cases of the user's scope with what the list's cells read: one query for a page."""
    return Case.objects.visible_to(user).select_related(
        "organization", "target_organization", "target_member", "target_position_organization"
    )


def letter_list(user) -> QuerySet[Complaint]:
    """The letters of the user's inspection subtrees with what the list's cells read: one query a page."""
    return Complaint.objects.visible_to(user).select_related(
        "organization", "subject_member", "subject_organization"
    )


def decision_list(user) -> QuerySet[DisciplineDecision]:
    """The decisions of the user's inspection subtrees with what the list's cells read: one query a
    page."""
    return DisciplineDecision.objects.visible_to(user).select_related(
        "organization", "target_member", "target_organization"
    )


def case_for_page(user) -> QuerySet[Case]:
    """The cases of the user's scope with what their page reads beside the file."""
    return Case.objects.visible_to(user).select_related(
        "organization",
        "target_organization",
        "target_member",
        "target_cell",
        "target_position_organization",
        "recorded_by",
    )


def position_label(case: Case) -> str:
    """The member's post on the case date, with its committee: "Bí thư · Đảng bộ Sở Tài chính"."""
    if not case.target_position:
        return ""
    label = str(POSITIONS.get(case.target_position, case.target_position))
    organization = case.target_position_organization
    if organization is None:
        return label
    return f"{label} · {organization.short_name or organization.name}"


@dataclass(frozen=True)
class CaseFile:
    documents: list[CaseDocument]
    letters: list[Complaint]
    decisions: list[DisciplineDecision]
    appeals: list[Appeal]  # the appeals this case settles


def case_file(case: Case) -> CaseFile:
    """The documents of the case, the letters that led to it, the discipline decisions that came from
    it and the appeals it settles. Four queries."""
    return CaseFile(
        documents=list(case.documents.select_related("uploaded_by").order_by("uploaded_at", "pk")),
        letters=list(case.complaints.order_by("received_on", "pk")),
        decisions=list(
            case.decisions.select_related("target_member", "target_organization").order_by("decided_on", "pk")
        ),
        appeals=list(case.appeals.select_related("decision").order_by("filed_on", "pk")),
    )


@dataclass(frozen=True)
class DocumentChange:
    added: bool
    title: str


def case_history(case: Case, *, limit: int = 50) -> list[dict]:
    """The case's history, newest first: its recording and corrections (``record_changes``, who changed
    which field from what to what) and the documents added to or deleted from its file."""
    documents = (
        CaseDocument.history.filter(case_id=case.pk, history_type__in=("+", "-"))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    entries = [
        {
            "when": record.history_date,
            "who": record.history_user,
            "document": DocumentChange(record.history_type == "+", record.title),
        }
        for record in documents
    ]
    entries += record_changes(case, limit=limit)
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:limit]


# The member pickers ask for at most this many members at a time.
MEMBER_LIMIT = 20


def search_members(user, text: str) -> tuple[list[Member], bool]:
    """At most MEMBER_LIMIT members of the user's inspection subtrees matching ``text`` (the register's
    search), those on the register first, and whether there are more. One query."""
    found = list(
        inspected_members(user)
        .search(nfc(text[:100]))  # typed text: no control character reaches the database (NUL)
        .select_related("organization")
        .annotate(
            _former=models.Case(
                When(exit_reason="", then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("_former", "sort_name", "pk")[: MEMBER_LIMIT + 1]
    )
    return found[:MEMBER_LIMIT], len(found) > MEMBER_LIMIT
