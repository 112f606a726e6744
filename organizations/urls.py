from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("tree/", views.organization_tree, name="tree"),
    path("tree/<int:pk>/", views.organization_tree_children, name="tree_children"),
    path("search/", views.organization_search, name="search"),
    path("new/", views.organization_create, name="create"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_update, name="update"),
    path("<int:pk>/rename/", views.organization_rename, name="rename"),
    path("<int:pk>/move/", views.organization_move, name="move"),
    path("<int:pk>/merge/", views.organization_merge, name="merge"),
    path("<int:pk>/dissolve/", views.organization_dissolve, name="dissolve"),
]
urlpatterns += [
    path("import/", views.organization_import, name="import"),
    path("import/template/", views.organization_import_template, name="import_template"),
    path("export/", views.organization_export, name="export"),
]
