from django.urls import path

from . import case_views, complaint_views, decision_views, import_views

app_name = "inspections"

# The case work of the inspection commission: every page is the inspector's, in their subtrees; every
# opening of a case, a letter, a decision or a file is logged (ReadLog).
urlpatterns = [
    # Cases: the list, the decision that opens one, its page, its corrections and stages, its
    # conclusion and its file (case_views.py). The documents are served by the portal only.
    path("cases/", case_views.case_list, name="cases"),
    path("cases/new/", case_views.case_create, name="case_create"),
    path("cases/<int:pk>/", case_views.case_detail, name="case"),
    path("cases/<int:pk>/edit/", case_views.case_update, name="case_update"),
    path("cases/<int:pk>/stage/", case_views.case_stage, name="case_stage"),
    path("cases/<int:pk>/conclude/", case_views.case_conclude, name="case_conclude"),
    path("cases/<int:pk>/delete/", case_views.case_delete, name="case_delete"),
    path("cases/<int:pk>/documents/new/", case_views.document_add, name="case_document_add"),
    path("documents/<int:pk>/", case_views.document_download, name="case_document"),
    path("documents/<int:pk>/delete/", case_views.document_delete, name="case_document_delete"),
    # The member picker of the case, letter and decision forms (views_common.MemberPicker).
    path("members/search/", case_views.member_search, name="member_search"),
    # Letters: the list with their deadlines, a letter's page, its recording and correction, the case
    # opened from it, the end of its handling (complaint_views.py).
    path("letters/", complaint_views.complaint_list, name="complaints"),
    path("letters/new/", complaint_views.complaint_create, name="complaint_create"),
    path("letters/<int:pk>/", complaint_views.complaint_detail, name="complaint"),
    path("letters/<int:pk>/edit/", complaint_views.complaint_update, name="complaint_update"),
    path("letters/<int:pk>/open-case/", complaint_views.complaint_open_case, name="complaint_open_case"),
    path("letters/<int:pk>/close/", complaint_views.complaint_close, name="complaint_close"),
    # Decisions and appeals: the list, a decision's page, its recording (from a case or a member), an
    # appeal received and its settlement (decision_views.py).
    path("decisions/", decision_views.decision_list, name="decisions"),
    path("decisions/new/", decision_views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", decision_views.decision_detail, name="decision"),
    path("decisions/<int:pk>/appeal/", decision_views.appeal_create, name="appeal_create"),
    path("appeals/<int:pk>/settle/", decision_views.appeal_settle, name="appeal_settle"),
    # Import
    # Past cases and decisions from spreadsheets, inspectors only: one page for both registers
    # (``?kind=cases|discipline``) and the template of each (import_views.py).
    path("import/", import_views.case_work_import, name="import"),
    path("import/template/<slug:kind>/", import_views.case_work_import_template, name="import_template"),
]
