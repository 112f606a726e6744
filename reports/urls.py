from django.urls import path

from . import batch_views, narrative_views, submission_views, views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/annex.xlsx", views.dashboard_annex, name="dashboard_annex"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("<int:pk>/finalize/", views.report_finalize, name="finalize"),
    path("<int:pk>/narrative/", narrative_views.narrative_edit, name="narrative"),
    path("<int:pk>/preview/", narrative_views.report_preview, name="preview"),
    path("<int:pk>/annex.xlsx", views.report_annex, name="annex"),
    path("<int:pk>/reissue/", views.report_reissue, name="reissue"),
    path("<int:pk>/retry/", views.report_retry, name="retry"),
    path("submissions/", submission_views.submission_list, name="submissions"),
    path("batches/", batch_views.batch_list, name="batches"),
    path("batches/<int:pk>/", batch_views.batch_detail, name="batch"),
    path("batches/<int:pk>/retry/", batch_views.batch_retry, name="batch_retry"),
    path("<int:pk>/submit/", submission_views.report_submit, name="submit"),
    path("<int:pk>/accept/", submission_views.report_accept, name="accept"),
    path("<int:pk>/return/", submission_views.report_return, name="return"),
]
