import pytest


@pytest.fixture
def authz_targets(personas, bloc, org_a, cell_a1, org_b):
    """Objects the matrix rows point at, by placeholder name. Apps add theirs here."""
    return {
        "bloc": bloc.pk,
        "org_a": org_a.pk,
        "cell_a1": cell_a1.pk,
        "org_b": org_b.pk,
    }
