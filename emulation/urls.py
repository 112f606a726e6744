from django.urls import path  # noqa: F401

app_name = "emulation"

# Quality ratings and emulation. Each feature keeps its own block below (docs/architecture.md, "The emulation
# module").
urlpatterns = [
    # Ratings (rating_views.py): the overview by year, the rating sheets of a chi bộ's members and of the
    # organizations under a committee, a rating's page, the lists behind the figures, the public notice.
    # Scoring (scoring_views.py): the score sheets and their criteria, the scores of an organization, the
    # ranking, the printable score sheet, the XLSX export.
    # Clusters and awards (award_views.py): the clusters of a year, the awards register and its lists.
    # The import page of the ratings and scores (import_views.py).
]
