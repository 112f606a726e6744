from django.urls import path  # noqa: F401

from . import award_views, import_views, rating_views, scoring_views

app_name = "emulation"

# Quality ratings and emulation. Each feature keeps its own block below (docs/architecture.md, "The emulation
# module").
urlpatterns = [
    # Ratings (rating_views.py): the overview by year, the rating sheets of a chi bộ's members and of the
    # organizations under a committee, a rating's page, the lists behind the figures, the public notice.
    path("ratings/", rating_views.overview, name="ratings"),
    path("ratings/cells/<int:pk>/<int:year>/", rating_views.member_sheet, name="member_sheet"),
    path("ratings/cells/<int:pk>/<int:year>/announcement/", rating_views.announcement, name="announcement"),
    path(
        "ratings/committees/<int:pk>/<int:year>/", rating_views.organization_sheet, name="organization_sheet"
    ),
    path("ratings/members/", rating_views.member_rating_list, name="member_rating_list"),
    path("ratings/members/<int:pk>/", rating_views.member_rating, name="member_rating"),
    path("ratings/organizations/", rating_views.organization_rating_list, name="organization_rating_list"),
    path("ratings/organizations/<int:pk>/", rating_views.organization_rating, name="organization_rating"),
    # Scoring (scoring_views.py): the score sheets and their criteria, the scores of an organization, the
    # ranking, the printable score sheet, the XLSX export.
    path("scoring/", scoring_views.sheet_list, name="sheets"),
    path("scoring/new/", scoring_views.sheet_create, name="sheet_create"),
    path("scoring/<int:pk>/", scoring_views.sheet_detail, name="sheet"),
    path("scoring/<int:pk>/edit/", scoring_views.sheet_update, name="sheet_update"),
    path("scoring/<int:pk>/copy/", scoring_views.sheet_copy, name="sheet_copy"),
    path("scoring/<int:pk>/issue/", scoring_views.sheet_issue, name="sheet_issue"),
    path("scoring/<int:pk>/organizations/<int:org>/", scoring_views.scores, name="scores"),
    path("scoring/<int:pk>/organizations/<int:org>/print/", scoring_views.score_print, name="score_print"),
    # The draft's groups, criteria and bands (``part``: groups, criteria, bands; after the organizations'
    # URLs, which the same shape would catch).
    path("scoring/<int:pk>/<slug:part>/new/", scoring_views.part_create, name="sheet_part_create"),
    path("scoring/<int:pk>/<slug:part>/<int:item>/", scoring_views.part_update, name="sheet_part_update"),
    path(
        "scoring/<int:pk>/<slug:part>/<int:item>/delete/", scoring_views.part_delete, name="sheet_part_delete"
    ),
    path("scoring/<int:pk>/ranking/", scoring_views.ranking_table, name="ranking"),
    path("scoring/<int:pk>/ranking.xlsx", scoring_views.ranking_xlsx, name="ranking_xlsx"),
    # Clusters and awards (award_views.py): the clusters of a year, the awards register and its lists.
    path("clusters/", award_views.cluster_list, name="clusters"),
    path("clusters/new/", award_views.cluster_create, name="cluster_create"),
    path("clusters/copy/", award_views.cluster_copy, name="cluster_copy"),
    path("clusters/<int:pk>/edit/", award_views.cluster_update, name="cluster_update"),
    path("clusters/<int:pk>/delete/", award_views.cluster_delete, name="cluster_delete"),
    path("awards/", award_views.award_list, name="awards"),
    path("awards/new/", award_views.award_create, name="award_create"),
    path("awards/streaks/", award_views.streaks, name="streaks"),
    path("awards/members/search/", award_views.member_search, name="member_search"),
    path("awards/<int:pk>/", award_views.award_detail, name="award"),
    path("awards/<int:pk>/edit/", award_views.award_update, name="award_update"),
    path("awards/<int:pk>/delete/", award_views.award_delete, name="award_delete"),
    # The import page of the ratings and scores (import_views.py): one page, a register at a time
    # (``?kind=``), and the template of each.
    path("import/", import_views.emulation_import, name="import"),
    path("import/template/<slug:kind>/", import_views.emulation_import_template, name="import_template"),
]
