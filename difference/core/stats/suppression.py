"""Disclosure control: when a figure is withheld, and why, in one place.

One rule, one threshold (the setting ``DIFFERENCE_SMALL_CELL_THRESHOLD``, read when a figure is made, so a test or
a deployment can change it): a group of fewer than the threshold, or a count of 1 to threshold-1, is withheld with
its reason. A zero is shown: it says nothing about anyone.

That rule alone is not enough wherever a table shows its total (or shows every part of a total): the one withheld
cell of a row is the total minus the cells shown. ``secondary_suppression`` withholds enough further cells, the
smallest first, that no withheld figure can be worked out from the published totals, as a reader would: from the
totals, the cells shown, and what each reason says (a "fewer than 5" count is at least 1).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Generic, TypeVar

from scipy.optimize import linprog

THRESHOLD_SETTING = "DIFFERENCE_SMALL_CELL_THRESHOLD"
NO_ONE = "no one in this group"
SECONDARY_REASON = "suppressed so that a hidden figure cannot be worked out from the total"

K = TypeVar("K", bound=Hashable)


def default_threshold() -> int:
    from django.conf import settings  # here, not at import: the statistics need no configured Django

    return int(getattr(settings, THRESHOLD_SETTING, 5))


def threshold_or_default(threshold: int | None) -> int:
    return default_threshold() if threshold is None else threshold


def small_group_reason(limit: int) -> str:
    return f"group of fewer than {limit} — suppressed"


def small_count_reason(limit: int) -> str:
    return f"fewer than {limit} — suppressed"


def suppression_reason(count: int, n: int, *, people: int | None = None, threshold: int | None = None) -> str:
    """Why ``count`` out of a group of ``n`` is withheld, or "" when it may be shown.

    ``people`` is how many people the count's events belong to, where one person can have several (six
    suspensions of one pupil): they too must clear the threshold.
    """
    limit = threshold_or_default(threshold)
    if n == 0:
        return NO_ONE
    if n < limit:
        return small_group_reason(limit)
    if 0 < count < limit or (people is not None and 0 < people < limit):
        return small_count_reason(limit)
    return ""


def suppress_counts(
    counts: Mapping[K, int], lines: Iterable[Iterable[K]], *, threshold: int | None = None
) -> dict[K, str]:
    """Why each cell of a table of counts is withheld ("" for a cell shown): a count of 1 to threshold-1 for
    itself, and enough others that none of those can be worked out from the totals of ``lines``."""
    limit = threshold_or_default(threshold)
    primary = {cell: small_count_reason(limit) for cell, count in counts.items() if 0 < count < limit}
    secondary = secondary_suppression(counts, primary, lines, threshold=limit)
    return {cell: SECONDARY_REASON if cell in secondary else primary.get(cell, "") for cell in counts}


def secondary_suppression(
    values: Mapping[K, int | Sequence[int]],
    withheld: Mapping[K, str],
    lines: Iterable[Iterable[K]],
    *,
    hidden: Collection[K] = (),
    threshold: int | None = None,
) -> frozenset[K]:
    """The cells that must show ``SECONDARY_REASON`` so that no withheld figure can be worked out from the totals.

    ``values`` holds every cell's figures: a count, or several figures shown and withheld together (a count and
    its group's size), each with its own published total. ``withheld`` is each cell already withheld and the
    reason it shows; ``hidden`` are cells not shown that need no protection of their own (withheld along with
    another). ``lines`` are the groups of cells whose totals are published: the rows and the columns of a table
    with totals, or the parts of a whole. A line of one cell is its own total, so it is left to the caller.

    Cells are added smallest first, preferring the same line as the cell they protect, until no withheld figure
    above zero has only one possible value given the totals, the cells shown, and that a "fewer than 5" count is 1
    to 4. Where a line is withheld entirely and those bounds still give a figure away (every count in it a 1, say),
    the reasons that state them give way to ``SECONDARY_REASON`` too: the result can then include withheld cells,
    which show it instead of their own.
    """
    limit = threshold_or_default(threshold)
    table: _Table[K] = _Table(values, lines)
    not_shown = {cell for cell, reason in withheld.items() if reason != NO_ONE} | set(hidden)
    protected = [cell for cell in table.order if cell in not_shown - set(hidden) and any(table.figures[cell])]
    # What a reader can tell from the reason alone: "fewer than 5" is a count of 1 to 4.
    bounded = {cell for cell in protected if withheld[cell] == small_count_reason(limit)}
    secondary: set[K] = set()
    # Withholding more only widens what a reader could believe, so a cell once safe stays safe.
    safe: set[K] = set()
    while True:
        stated = bounded - secondary
        exposed = None
        for cell in protected:
            if cell in safe:
                continue
            if table.gives_away(cell, not_shown, stated, limit):
                exposed = cell
                break
            safe.add(cell)
        if exposed is None:
            return frozenset(secondary)
        pick = table.complement(exposed, not_shown)
        if pick is not None:
            not_shown.add(pick)
            secondary.add(pick)
            continue
        cells, _ = table.component(exposed, not_shown)
        relabel = (bounded - secondary) & cells
        if not relabel:
            raise ValueError(f"cell {exposed!r} cannot be protected: the totals of its lines give it away")
        secondary |= relabel


class _Table(Generic[K]):
    """The cells, their figures and the lines whose totals are published, with the arithmetic a reader can do."""

    def __init__(self, values: Mapping[K, int | Sequence[int]], lines: Iterable[Iterable[K]]) -> None:
        self.figures: dict[K, tuple[int, ...]] = {
            cell: (value,) if isinstance(value, int) else tuple(value) for cell, value in values.items()
        }
        self.order: list[K] = list(self.figures)
        self.rank = {cell: i for i, cell in enumerate(self.order)}
        self.width = max((len(f) for f in self.figures.values()), default=1)
        distinct = (tuple(cell for cell in dict.fromkeys(line) if cell in self.figures) for line in lines)
        self.lines = [line for line in distinct if len(line) > 1]
        self.lines_of: dict[K, list[int]] = defaultdict(list)
        for index, line in enumerate(self.lines):
            for cell in line:
                self.lines_of[cell].append(index)
        # A cell in a line whose totals are all zero is known to be zero, so withholding it protects nothing.
        self.known_zero = {
            cell
            for line in self.lines
            if not any(self.figures[c][j] for c in line for j in range(self.width))
            for cell in line
        }

    def component(self, cell: K, not_shown: set[K]) -> tuple[set[K], set[int]]:
        """The withheld cells tied to ``cell`` through shared lines, and those lines."""
        cells, lines, todo = {cell}, set(), [cell]
        while todo:
            for index in self.lines_of[todo.pop()]:
                if index in lines:
                    continue
                lines.add(index)
                for other in self.lines[index]:
                    if other in not_shown and other not in cells:
                        cells.add(other)
                        todo.append(other)
        return cells, lines

    def gives_away(self, cell: K, not_shown: set[K], bounded: set[K], limit: int) -> bool:
        if not self.lines_of[cell]:
            return False
        if any(sum(1 for c in self.lines[i] if c in not_shown) == 1 for i in self.lines_of[cell]):
            return True  # the line's total less the cells shown, without asking a solver
        cells, lines = self.component(cell, not_shown)
        return any(
            self._range(cell, j, cells, lines, bounded, limit) == 0 for j in range(self.width) if self.figures[cell][j]
        )

    def _range(self, cell: K, j: int, cells: set[K], lines: set[int], bounded: set[K], limit: int) -> float:
        """How far the ``j``th figure of ``cell`` could move, given everything published."""

        def bounds(c: K) -> tuple[int, int | None]:
            # "fewer than 5" says the count is 1 to 4; a rate's count can be larger when it is its people that
            # are few, and then the words bound nothing a reader could rely on.
            if j == 0 and c in bounded and 0 < self.figures[c][0] < limit:
                return 1, limit - 1
            return 0, None

        if len(lines) == 1:
            # One line (every table with totals the platform shows): the cell is the line's withheld total less
            # the others, each anywhere within its bounds.
            others = [bounds(c) for c in cells - {cell}]
            if not others:
                return 0
            hidden_total = sum(self.figures[c][j] for c in cells)
            low, high = bounds(cell)
            most_others = None if any(h is None for _, h in others) else sum(h or 0 for _, h in others)
            smallest = low if most_others is None else max(low, hidden_total - most_others)
            largest = hidden_total - sum(lo for lo, _ in others)
            return (largest if high is None else min(high, largest)) - smallest
        variables = sorted(cells, key=self.rank.__getitem__)
        rows = [[1 if v in self.lines[i] else 0 for v in variables] for i in sorted(lines)]
        totals = [sum(self.figures[v][j] for v in variables if v in self.lines[i]) for i in sorted(lines)]
        box = [bounds(v) for v in variables]
        target = [1.0 if v == cell else 0.0 for v in variables]
        smallest_lp = linprog(target, A_eq=rows, b_eq=totals, bounds=box, method="highs")
        largest_lp = linprog([-t for t in target], A_eq=rows, b_eq=totals, bounds=box, method="highs")
        if not (smallest_lp.success and largest_lp.success):
            raise ValueError(f"the figures of {cell!r} do not add up to their lines' totals")
        # The lines of a two-way table make a totally unimodular system, so the ends are whole numbers.
        return round(-largest_lp.fun - smallest_lp.fun, 6)

    def complement(self, cell: K, not_shown: set[K]) -> K | None:
        """The cell to withhold next: in a line where one cell alone is withheld (one in two such lines if it
        can be), else in ``cell``'s own lines, else in the other lines tied to it; the smallest first."""
        _, lines = self.component(cell, not_shown)
        alone = {i for i in lines if sum(1 for c in self.lines[i] if c in not_shown) == 1}
        own = set(self.lines_of[cell])
        for scope in (alone, own, lines - own):
            shown = {c for i in scope for c in self.lines[i] if c not in not_shown and c not in self.known_zero}
            if shown:
                return min(
                    shown,
                    key=lambda c: (-sum(1 for i in self.lines_of[c] if i in alone), self.figures[c], self.rank[c]),
                )
        return None
