"""Report fixtures: PDFs go to a temporary media folder, and Celery runs eagerly when a test asks."""

import datetime

import pytest

from blocportal.celery import app as celery_app
from members import services as member_services
from members.services import candidates as candidate_services
from members.services import committees as committee_services
from organizations import services as org_services
from organizations.models import Organization
from reports import services
from tests.factories import MemberFactory, OrganizationFactory

Kind = Organization.Kind
Sector = Organization.Sector
D = datetime.date

# A past quarter, so that "the period has not started" never bites whatever the date of the run.
PERIOD = "2025-Q2"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eager_celery():
    """Run tasks in-process even when CELERY_BROKER_URL is set (CI's PostgreSQL + Redis pass), so
    that a test which is not about the worker never sends a message to a queue nobody reads."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def make_report(system_user):
    """Draft a report, write its narrative (``strengths=...``), finalize it and render it
    synchronously through the services; ``finalize=False`` leaves the draft."""

    def make(organization, period=PERIOD, *, by=None, render=True, finalize=True, **narrative):
        by = by or system_user
        report = services.create_draft(organization=organization, period=period, by=by)
        if narrative:
            report = services.update_narrative(report=report, by=by, **narrative)
        if not finalize:
            return report
        report = services.finalize_report(report=report, by=by, enqueue=False)
        if render:
            services.render_report(report_id=report.pk)
            report.refresh_from_db()
        return report

    return make


def _register(cell, name, admitted_on, by, *, official_on=None, gender="nam"):
    return member_services.register(
        organization=cell,
        full_name=name,
        gender=gender,
        birth_date=D(1985, 1, 1),
        admitted_on=admitted_on,
        official_on=official_on,
        by=by,
    )


@pytest.fixture
def quarter(bloc, org_a, cell_a1, org_b, system_user):
    """Quý II năm 2025 on a small bloc, counted by hand in test_statistics_figures.py (its docstring
    tells the story): a member moved inside the bloc mid-quarter, an organization dissolved during it,
    one moved and one renamed after it, members entered from a file with past admission dates."""
    by = system_user
    a2 = OrganizationFactory(
        code="A2", name="Chi bộ Thanh tra", kind=Kind.SUBORDINATE_CELL, parent=org_a, by=by
    )
    org_d = OrganizationFactory(
        code="D",
        name="Đảng bộ Sở Xây dựng",
        kind=Kind.GRASSROOTS_COMMITTEE,
        sector=Sector.STATE,
        parent=bloc,
        by=by,
    )
    org_e = OrganizationFactory(
        code="E", name="Chi bộ Công ty Cà phê", sector=Sector.PRIVATE_ENTERPRISE, parent=bloc, by=by
    )
    m1 = MemberFactory(
        organization=cell_a1, admitted_on=D(2025, 4, 10), ceremony_on=D(2025, 4, 20), gender="nu", by=by
    )
    m2 = MemberFactory(
        organization=cell_a1, admitted_on=D(2024, 5, 1), ceremony_on=D(2024, 5, 10), official=True, by=by
    )
    m3 = _register(a2, "Trần Văn Ba", D(2015, 3, 1), by, official_on=D(2016, 3, 1))
    m4 = _register(org_e, "Lê Văn Bốn", D(2020, 1, 6), by, official_on=D(2021, 1, 6))
    member_services.transfer(member=m4, to=org_b, on=D(2025, 5, 10), by=by)
    org_services.dissolve_organization(organization=org_e, on=D(2025, 5, 15), by=by)
    m5 = _register(org_b, "Phạm Thị Năm", D(2025, 5, 20), by, gender="nu")
    m6 = _register(org_b, "Hoàng Văn Sáu", D(2011, 2, 1), by, official_on=D(2012, 2, 1))
    member_services.record_death(member=m6, on=D(2025, 6, 1), by=by)
    _register(org_b, "Vũ Văn Bảy", D(2015, 8, 1), by, official_on=D(2016, 8, 1))
    term = committee_services.create_term(
        organization=org_b, label="2025-2030", starts_on=D(2025, 6, 1), ends_on=D(2030, 6, 1), by=by
    )
    committee_services.appoint(
        term=term, member=m4, position="bi_thu", starts_on=D(2025, 6, 1), heads_host_unit=True, by=by
    )
    candidate_services.set_admission_target(organization=bloc, year=2025, target=4, by=by)
    candidate_services.set_admission_target(organization=bloc, year=2024, target=6, by=by)
    org_services.move_organization(organization=a2, new_parent=org_d, on=D(2025, 8, 1), by=by)
    org_services.rename_organization(
        organization=org_b, name="Chi bộ Báo và Phát thanh", on=D(2025, 9, 1), by=by
    )
    return {"a2": a2, "d": org_d, "e": org_e, "members": (m1, m2, m3, m4, m5, m6)}
