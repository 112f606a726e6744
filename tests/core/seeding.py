"""How the seed tests run ``manage.py seed_demo`` (tests/core/test_seed.py, test_seed_runs.py)."""

from io import StringIO

from django.core.management import call_command

# The full demo register (4,200 members) takes about a minute; the tests seed a smaller one through
# the same code, with three months of meetings (the meetings' own test seeds the two years).
MEMBERS = "300"
MONTHS = "3"


def seed(*args, months: str | None = MONTHS) -> str:
    """Run seed_demo with the tests' register; return what it printed."""
    out = StringIO()
    months_args = ("--months", months) if months else ()
    call_command("seed_demo", "--members", MEMBERS, *months_args, *args, stdout=out)
    return out.getvalue()
