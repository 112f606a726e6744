"""How the bloc rounds its shares: one function for every layer (the statistics service, the
compliance page, the targets page)."""

from decimal import ROUND_HALF_UP, Decimal


def share(part: int, whole: int | None) -> float | None:
    """``part`` as a percentage of ``whole``, to one decimal rounded half up as the bloc rounds:
    32.45 → 32.5. None when there is no whole."""
    if not whole:
        return None
    return float((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP))
