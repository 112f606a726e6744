"""Views of the emulation clusters and the awards register: the clusters of a year, their creation,
correction, removal and copy from another year; the awards list, an award's page, its recording, correction
and removal; the lists of the streaks that titles reward; the member picker of the award form. Each one:
scope (out of it 404) → permission (``emulation.view`` to read, ``emulation.change`` to write, else 403) →
form → service → redirect."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from blocportal import access, clock
from blocportal.forms import call_service
from blocportal.history import record_changes
from blocportal.lists import query_int, render_list
from inspections.views_common import members_as_json

from . import award_forms as forms
from .award_filters import AwardFilter
from .award_tables import AwardTable
from .models import Award, Cluster
from .selectors import awards as selectors
from .services import awards as award_services
from .services import clusters as cluster_services


def _form_data(request):
    """The submitted data, so that an empty POST still shows the form's errors."""
    return request.POST if request.method == "POST" else None


def _year(request) -> int | None:
    return query_int(request, "year", min_value=forms.MIN_YEAR, max_value=clock.today().year + 1)


def _clusters_url(year: int) -> str:
    return f"{reverse('emulation:clusters')}?year={year}"


# Clusters -------------------------------------------------------------------------------------------


@require_safe
def cluster_list(request):
    """The clusters of a year (``?year=``; the latest year with clusters, else this one), each with its
    organizations; for whoever arranges them, the grassroots organizations still in no cluster."""
    user = request.user
    access.require(user, "emulation.view")
    years = selectors.cluster_years(user)
    year = _year(request) or (years[0] if years else clock.today().year)
    can_change = access.has_permission(user, "emulation.change")
    unplaced = []
    if can_change:
        for owner in selectors.cluster_owners(user):
            unplaced += selectors.unplaced(owner, year)
    clusters = selectors.clusters_of(user, year)
    return render(
        request,
        "emulation/clusters/list.html",
        {
            "year": year,
            "years": sorted({*years, year, clock.today().year}, reverse=True),
            "clusters": clusters,
            "unplaced": unplaced,
            "can_change": can_change,
            "can_copy": can_change and not clusters,
        },
    )


def _get_cluster(request, pk: int) -> Cluster:
    """A cluster the user reads (else 404) and arranges (else 403)."""
    cluster = get_object_or_404(
        selectors.readable_clusters(request.user).select_related("owner").prefetch_related("places"), pk=pk
    )
    access.require(request.user, "emulation.change", cluster.owner)
    return cluster


def cluster_create(request):
    user = request.user
    access.require(user, "emulation.change")
    year = _year(request) or clock.today().year
    form = forms.ClusterForm(_form_data(request), user=user)
    if form.is_valid():
        data = form.arguments()
        access.require(user, "emulation.change", data["owner"])
        cluster = call_service(form, cluster_services.create_cluster, year=year, by=user, **data)
        if cluster is not None:
            messages.success(request, _("The cluster “%(name)s” has been created.") % {"name": cluster.name})
            return redirect(_clusters_url(year))
    return render(request, "emulation/clusters/form.html", {"form": form, "year": year, "cluster": None})


def cluster_update(request, pk: int):
    cluster = _get_cluster(request, pk)
    form = forms.ClusterForm(_form_data(request), user=request.user, cluster=cluster)
    if form.is_valid():
        updated = call_service(
            form, cluster_services.update_cluster, cluster=cluster, by=request.user, **form.arguments()
        )
        if updated is not None:
            messages.success(request, _("The cluster “%(name)s” has been saved.") % {"name": updated.name})
            return redirect(_clusters_url(cluster.year))
    return render(
        request, "emulation/clusters/form.html", {"form": form, "year": cluster.year, "cluster": cluster}
    )


def cluster_delete(request, pk: int):
    cluster = _get_cluster(request, pk)
    if request.method == "POST":
        cluster_services.delete_cluster(cluster=cluster, by=request.user)
        messages.success(request, _("The cluster “%(name)s” has been removed.") % {"name": cluster.name})
        return redirect(_clusters_url(cluster.year))
    return render(request, "emulation/clusters/delete.html", {"cluster": cluster})


def cluster_copy(request):
    """Start a year's clusters (``?year=``) as a copy of another year's."""
    user = request.user
    access.require(user, "emulation.change")
    owner = selectors.cluster_owners(user).first()
    if owner is None:
        raise Http404
    year = _year(request) or clock.today().year
    form = forms.CopyClustersForm(_form_data(request), to_year=year)
    if form.is_valid():
        copies = call_service(
            form,
            cluster_services.copy_clusters,
            owner=owner,
            from_year=form.cleaned_data["from_year"],
            to_year=year,
            by=user,
        )
        if copies is not None:
            messages.success(
                request,
                _("%(count)s clusters copied from %(from)s to %(to)s.")
                % {"count": len(copies), "from": form.cleaned_data["from_year"], "to": year},
            )
            return redirect(_clusters_url(year))
    return render(request, "emulation/clusters/copy.html", {"form": form, "year": year, "owner": owner})


# Awards ---------------------------------------------------------------------------------------------


@require_safe
def award_list(request):
    access.require(request.user, "emulation.view")
    filterset = AwardFilter(request.GET, queryset=selectors.award_list(request.user), request=request)
    return render_list(
        request,
        AwardTable(filterset.qs),
        filterset=filterset,
        template="emulation/awards/list.html",
        partial="emulation/awards/_table.html",
    )


def _get_award(request, pk: int, *, permission: str = "emulation.view") -> Award:
    queryset = Award.objects.select_related(
        "target_member", "target_organization", "organization", "created_by"
    )
    return access.get_for_user(queryset, request.user, permission=permission, pk=pk)


@require_safe
def award_detail(request, pk: int):
    award = _get_award(request, pk)
    return render(
        request,
        "emulation/awards/detail.html",
        {
            "award": award,
            "history": record_changes(award),
            "can_change": access.has_permission(request.user, "emulation.change", award.organization),
        },
    )


def _preset(request) -> dict:
    """What a link presets on a new award (the streak lists: the title for a member or an organization);
    a recipient outside the user's reach is a 404."""
    initial = {}
    kind = request.GET.get("kind", "")
    if kind in Award.Kind.values:
        initial["kind"] = kind
    if title := request.GET.get("title", "")[:255]:
        initial["title"] = title
    if (year := _year(request)) is not None:
        initial["year"] = year
    member, organization = query_int(request, "member"), query_int(request, "organization")
    if member is not None:
        if not selectors.award_members(request.user).filter(pk=member).exists():
            raise Http404
        initial["target_member"] = member
    elif organization is not None:
        if not selectors.award_organizations(request.user).filter(pk=organization).exists():
            raise Http404
        initial["target_organization"] = organization
    return initial


def award_create(request):
    user = request.user
    access.require(user, "emulation.change")
    initial = _preset(request) if request.method == "GET" else {}
    form = forms.AwardForm(_form_data(request), user=user, initial=initial)
    if form.is_valid():
        award = call_service(form, award_services.record_award, by=user, **form.cleaned_data)
        if award is not None:
            messages.success(request, _("The award has been recorded."))
            return redirect("emulation:award", pk=award.pk)
    return render(request, "emulation/awards/form.html", {"form": form, "award": None})


def award_update(request, pk: int):
    award = _get_award(request, pk, permission="emulation.change")
    form = forms.AwardForm(_form_data(request), user=request.user, award=award)
    if form.is_valid() and call_service(
        form, award_services.update_award, award=award, by=request.user, **form.cleaned_data
    ):
        messages.success(request, _("The award has been saved."))
        return redirect("emulation:award", pk=award.pk)
    return render(request, "emulation/awards/form.html", {"form": form, "award": award})


def award_delete(request, pk: int):
    award = _get_award(request, pk, permission="emulation.change")
    if request.method == "POST":
        award_services.delete_award(award=award, by=request.user)
        messages.success(request, _("The award has been removed."))
        return redirect("emulation:awards")
    return render(request, "emulation/awards/delete.html", {"award": award})


# The titles the streak lists are the candidates for (DOMAIN.md §7).
TITLE_MEMBER = gettext_lazy("Exemplary Party member excellently fulfilling duties %(years)s years in a row")
TITLE_ORGANIZATION = gettext_lazy(
    "Grassroots Party organization excellently fulfilling duties %(years)s years in a row"
)


@require_safe
def streaks(request):
    """The members or organizations rated "hoàn thành xuất sắc nhiệm vụ" N years in a row up to a year
    (``?kind=member|organization&years=5&until=2025``): the candidates for the titles, and whether they
    already hold one."""
    user = request.user
    access.require(user, "emulation.view")
    form = forms.StreakForm(request.GET or None)
    kind, years, until = form.question()
    if not form.is_bound:
        form = forms.StreakForm(initial={"kind": kind, "years": years, "until": until})
    title = (TITLE_MEMBER if kind == selectors.MEMBER else TITLE_ORGANIZATION) % {"years": years}
    record = urlencode({"kind": Award.Kind.TITLE, "year": until, "title": title})
    return render(
        request,
        "emulation/awards/streaks.html",
        {
            "form": form,
            "kind": kind,
            "years": years,
            "until": until,
            "first": until - years + 1,
            "rows": selectors.streaks(user, kind=kind, years=years, until=until),
            "can_change": access.has_permission(user, "emulation.change"),
            # The award form of the title, preset (the recipient is added per row).
            "record_url": f"{reverse('emulation:award_create')}?{record}&{kind}=",
        },
    )


@require_safe
def member_search(request):
    """The award form's member picker: at most MEMBER_LIMIT members the user may reward matching ``q``."""
    access.require(request.user, "emulation.change")
    found, more = selectors.search_members(request.user, request.GET.get("q", ""))
    return JsonResponse({"results": members_as_json(found, request.user), "more": more})
