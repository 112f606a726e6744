from django.urls import path  # noqa: F401  (each block below adds its paths)

from . import badge_views, candidate_views, views  # noqa: F401

app_name = "members"

# The member register: list, profile, movements, bulk transfer, import/export (views.py).
urlpatterns = []

# The party-development pipeline: candidates and admission targets (candidate_views.py).
urlpatterns += []

# Huy hiệu Đảng: milestones coming and badges awarded (badge_views.py).
urlpatterns += []
