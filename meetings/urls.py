from django.urls import path

from . import compliance_views, import_views, study_views, views

app_name = "meetings"

# The meetings: list, recording, the attendance sheet, the page, corrections and printables (views.py).
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/sheet/", views.meeting_sheet, name="sheet"),
    path("<int:pk>/delete/", views.meeting_delete, name="delete"),
    path("<int:pk>/minutes-file/", views.minutes_file, name="minutes_file"),
    path("<int:pk>/print/sheet/", views.print_sheet, name="print_sheet"),
    path("<int:pk>/print/minutes/", views.print_minutes, name="print_minutes"),
]

# The bloc's oversight: compliance with the meeting rules, months closed to secretaries (compliance_views.py).
urlpatterns += [
    path("compliance/", compliance_views.compliance, name="compliance"),
    path("months/", compliance_views.months, name="months"),
]

# The study of resolutions (study_views.py).
urlpatterns += [
    path("study/", study_views.study_list, name="study_list"),
    path("study/new/", study_views.study_create, name="study_create"),
    path("study/<int:pk>/", study_views.study_detail, name="study_detail"),
    path("study/<int:pk>/edit/", study_views.study_edit, name="study_edit"),
    path("study/<int:pk>/delete/", study_views.study_delete, name="study_delete"),
]

# Past meetings from a spreadsheet, bloc staff only: the import page and its template (import_views.py).
urlpatterns += [
    path("import/", import_views.meeting_import, name="import"),
    path("import/template/", import_views.meeting_import_template, name="import_template"),
]
