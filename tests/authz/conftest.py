import pytest

from reports import services as report_services


@pytest.fixture
def authz_targets(personas, bloc, org_a, cell_a1, org_b, system_user, settings, tmp_path):
    """Objects the matrix rows point at, by placeholder name. Apps add theirs here."""
    settings.MEDIA_ROOT = tmp_path / "media"
    reports = {}
    for name, organization in (("report_a", org_a), ("report_b", org_b)):
        report = report_services.request_report(organization=organization, period="2025-Q2", by=system_user)
        report_services.render_report(report_id=report.pk)  # ready, with its PDF
        reports[name] = report.pk
    return {
        "bloc": bloc.pk,
        "org_a": org_a.pk,
        "cell_a1": cell_a1.pk,
        "org_b": org_b.pk,
        **reports,
    }
