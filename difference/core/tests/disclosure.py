"""For the tests of each table the platform shows with its total: what a reader can work out of a withheld cell.

A reader has the total, the cells shown, and each withheld cell's reason: "fewer than 5" is a count of 1 to 4,
"group of fewer than 5" a group (and so a count) of at most 4, "no one in this group" a zero. A withheld cell is
worked out when those leave it only one possible value, other than zero (a zero is shown anyway: it says nothing
about anyone).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from difference.core.stats import NO_ONE, SECONDARY_REASON, small_count_reason, small_group_reason

K = TypeVar("K", bound=Hashable)


def _bounds(reason: str, limit: int) -> tuple[int, int | None]:
    if reason == small_count_reason(limit):
        return 1, limit - 1
    if reason == small_group_reason(limit):
        return 0, limit - 1
    if reason == NO_ONE:
        return 0, 0
    return 0, None


def worked_out(total: int, cells: Mapping[K, int | None], reasons: Mapping[K, str], limit: int) -> list[K]:
    """The cells withheld for their own sake (``None`` in ``cells``) that the total less the cells shown gives
    away. ``reasons`` is each withheld cell's reason as shown."""
    left = total - sum(value for value in cells.values() if value is not None)
    withheld = [cell for cell, value in cells.items() if value is None]
    bounds = {cell: _bounds(reasons[cell], limit) for cell in withheld}
    given_away = []
    for cell in withheld:
        if reasons[cell] in (SECONDARY_REASON, NO_ONE):
            continue
        others = [bounds[c] for c in withheld if c != cell]
        low, high = bounds[cell]
        most = None if any(h is None for _, h in others) else sum(h or 0 for _, h in others)
        smallest = low if most is None else max(low, left - most)
        largest = left - sum(lo for lo, _ in others)
        if high is not None:
            largest = min(largest, high)
        if smallest >= largest and largest > 0:
            given_away.append(cell)
    return given_away
