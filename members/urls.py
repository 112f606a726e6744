from django.urls import include, path  # noqa: F401  (each block below adds its paths)
from django.views.generic import RedirectView

from . import badge_views, candidate_views, committee_views, import_views, views  # noqa: F401

app_name = "members"

# The member register: list, profile, movements, bulk transfer, import/export (views.py).
urlpatterns = [
    path("", views.member_list, name="list"),
    path("admit/", views.member_admit, name="admit"),
    path("transfer-in/", views.member_transfer_in, name="transfer_in"),
    path("temporary-in/", views.member_receive_temporary, name="receive_temporary"),
    path("bulk-transfer/", views.member_bulk_transfer, name="bulk_transfer"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_update, name="update"),
    path("<int:pk>/admission-dates/", views.member_correct_dates, name="correct_dates"),
    path("<int:pk>/transfer-receipt/", views.member_confirm_receipt, name="confirm_receipt"),
    path("<int:pk>/move/<slug:action>/", views.member_move, name="move"),
]

# The party-development pipeline: candidates and admission targets (candidate_views.py).
urlpatterns += [
    path("candidates/", candidate_views.candidate_list, name="candidate_list"),
    path("candidates/new/", candidate_views.candidate_create, name="candidate_create"),
    path("candidates/<int:pk>/", candidate_views.candidate_detail, name="candidate_detail"),
    path("candidates/<int:pk>/edit/", candidate_views.candidate_update, name="candidate_update"),
    path("candidates/<int:pk>/<slug:step>/", candidate_views.candidate_step, name="candidate_step"),
    path("targets/", candidate_views.target_list, name="target_list"),
    path("targets/set/", candidate_views.target_set, name="target_set"),
]

# Huy hiệu Đảng: milestones coming and badges awarded (badge_views.py).
urlpatterns += [
    path("badges/", badge_views.badge_list, name="badge_list"),
    path("badges/award/", badge_views.badge_award, name="badge_award"),
    path("badges/awarded/", badge_views.badge_awarded, name="badge_awarded"),
    path("attention/", badge_views.attention_page, name="attention"),
]

# The committees (cấp ủy): terms and seats, recorded from an organization's page (committee_views.py).
urlpatterns += [
    path("organizations/<int:pk>/terms/new/", committee_views.term_create, name="term_create"),
    path("terms/<int:pk>/edit/", committee_views.term_update, name="term_update"),
    path("terms/<int:pk>/seats/new/", committee_views.seat_create, name="seat_create"),
    path("seats/<int:pk>/end/", committee_views.seat_end, name="seat_end"),
]

# The register as a spreadsheet: import, its template, export (import_views.py).
urlpatterns += [
    path("import/", import_views.member_import, name="import"),
    path("import/template/", import_views.member_import_template, name="import_template"),
    path("export/", import_views.member_export, name="export"),
]

# The admission targets and the committees as spreadsheets (import_views.py): each import page has
# its namespace (``members:targets:import`` …, the ``namespace`` of its resource), whose ``list`` is
# where the import leads back to: the targets, the organization list (committees are on its pages).
targets_import = [
    path("", candidate_views.target_list, name="list"),
    path("import/", import_views.target_import, name="import"),
    path("import/template/", import_views.target_import_template, name="import_template"),
]
committees_import = [
    path("", RedirectView.as_view(pattern_name="organizations:list"), name="list"),
    path("import/", import_views.committee_import, name="import"),
    path("import/template/", import_views.committee_import_template, name="import_template"),
]
urlpatterns += [
    path("targets/", include((targets_import, "targets"))),
    path("committees/", include((committees_import, "committees"))),
]
