"""Suppression pattern and interval audit for one release of linked aggregate tables.

A release publishes several tables cut from one population (town x stage, cluster x stage, ...,
town x cluster, region-wide figures). Each published number is a *form*: the count of firms
whose categories lie in given sets, e.g. ``((0, ("houjie",)), (5, ("S1",)))`` = firms in
Houjie at stage S1 (dimension 0 = town, 5 = stage); ``()`` is the grand total. The same form
is one number wherever it appears (a stage total is a column total of every stage table), so
it is hidden everywhere or nowhere.

Sensitive forms (each must be hidden, and must keep its protection interval):

* **small cells**: 0 < count < k (k = 5, the threshold rule statistics offices apply to
  business data);
* **group disclosure**: a row or column of a table whose firms all fall in one cell (e.g. every
  assessed firm of a town is at S1), even when the count is >= k - the reader would learn the
  category of every firm in that row;
* **release differences**: a form whose count changed by fewer than k firms since the previous
  release of the same round - the difference describes the few firms that came in (except the
  grand total, always published; the caller hides region-wide means when it moved by < k).

**Interval audit** (the attacker's best linear model): the unknowns are the counts of every
combination of categories (the joint table), non-negative, equal to every published form of
this release and of the previous one, and - where it holds - at least the previous release's
count (firms stay; written over the difference x = y + z, see ``_Model``). For each sensitive
form ``scipy.optimize.linprog`` finds the smallest and largest feasible value, rounded inward to
integers (counts are whole) - only the sides the form needs, and only when no feasible point
known so far (the true counts, earlier solutions) already reaches them; the interval reported
is then an inner bound of the feasible one, the verdict the same. The release passes when
every interval reaches the protection interval ``[max(0, v - p), min(v + p, N)]`` with
``p = max(2 firms, 20 % of v)`` and ``N`` the published grand total (no form can exceed it) (the sliding protection ratio of tau-ARGUS-style audits; for
group disclosure only the lower side is required, since the published row total caps it; for a
difference d > 0 only ``max(0, d - p)``: the reader must not tell whether the newcomers are in
the form at all, while the published grand total caps the upper side).

The grand total (how many firms the release counts) is never chosen for secondary suppression:
it is published in every summary.

Secondary suppression: hide further forms, one per failing sensitive form and pass, choosing
the smallest visible number on a line (row or column, with its total) through the failing form
in one of its tables - zeros included, since published zeros are what makes a hidden cell exact
(``[1, k-1]`` becomes a single value). Hiding only ever widens intervals, so forms that pass
stay passing and only failing ones are re-audited. A pattern that cannot be repaired leaves the
release failing: it must not be published.

Pure: no I/O, no clock (the caller measures time); ``numpy`` and ``scipy`` only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, hstack, vstack

#: One combination of categories, one code per dimension of the block.
Key = tuple[str, ...]
#: A published number: for each constrained dimension, the codes it adds up.
Form = tuple[tuple[int, tuple[str, ...]], ...]

DEFAULT_K = 5


@dataclass(frozen=True)
class Protection:
    """The protection rule: threshold ``k``, and the interval half-width
    ``max(min_firms, share * value)`` (defaults: k = 5, 2 firms, 20 %)."""

    k: int = DEFAULT_K
    min_firms: float = 2.0
    share: float = 0.2

    def width(self, value: int) -> float:
        """Half-width of the protection interval around ``value`` (firms, >= ``min_firms``)."""
        return max(self.min_firms, self.share * abs(value))


@dataclass(frozen=True)
class Block:
    """Linked tables over one population.

    ``dims`` names the dimensions of a key; ``codes`` gives fixed code lists for dimensions
    published with every code (stage columns), others take the codes present in the data;
    ``tables`` are (row dimension, column dimension) pairs, each published with its row, column
    and grand totals; ``extra`` are further published forms (e.g. above-scale firms);
    ``impossible`` marks combinations that cannot exist (structural zeros the reader knows).

    ``slices`` are filters under which every table is published again, e.g.
    ``((6, ("staff_verified", "onsite_rated")),)``: a filtered table is a table of the same
    block whose forms carry the filter's pairs (``sliced``), so it is audited together with
    the unfiltered one and the reader cannot subtract the two to learn the firms the filter
    leaves out. A slice's dimensions are never a table's row or column dimension.

    ``derived`` are slices never published but exactly derivable by subtracting published
    ones (all results minus the verified ones = the self-reported ones): their forms are
    sensitive by the same rules as published ones (small, group, difference) and the audit must
    keep their interval, so a filter cannot single out the firms it leaves out.
    """

    dims: tuple[str, ...]
    tables: tuple[tuple[int, int], ...]
    codes: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    extra: tuple[Form, ...] = ()
    impossible: Callable[[Key], bool] | None = None
    slices: tuple[Form, ...] = ()
    derived: tuple[Form, ...] = ()


@dataclass(frozen=True)
class Sensitive:
    """A form that must stay hidden, with its true value and the interval it needs.

    ``kind`` is "small", "group" or "difference"; for a difference ``value`` is this release's
    count minus the previous one's. ``need_low``/``need_high`` are the bounds the feasible
    interval must reach (``need_high`` is None when only the lower side matters).
    """

    form: Form
    kind: str
    value: int
    need_low: float
    need_high: float | None


@dataclass(frozen=True)
class Interval:
    """The audit's verdict on one sensitive form: ``[low, high]`` lies inside its feasible
    interval (exact on a side the audit had to solve; ``low`` may be ``-math.inf`` and ``high``
    ``math.inf``) and whether the feasible interval reaches the protection interval."""

    sensitive: Sensitive
    low: float
    high: float
    passed: bool


@dataclass(frozen=True)
class AuditReport:
    """Result of auditing one pattern: one ``Interval`` per sensitive form; ``passed`` when all
    pass. ``narrowest`` is the smallest ``high - low`` (firms) over sensitive forms, or None:
    never wider than the narrowest feasible interval (see ``Interval``)."""

    intervals: tuple[Interval, ...]
    hidden: frozenset[Form]
    lp_solved: int

    @property
    def passed(self) -> bool:
        return all(i.passed for i in self.intervals)

    @property
    def narrowest(self) -> float | None:
        return min((i.high - i.low for i in self.intervals), default=None)


@dataclass(frozen=True)
class Pattern:
    """What a release hides and the audit it passed (or failed): ``hidden`` forms, how many
    were primary (sensitive) and secondary, and the final ``audit``."""

    hidden: frozenset[Form]
    primary: int
    secondary: int
    audit: AuditReport

    @property
    def passed(self) -> bool:
        return self.audit.passed


def cell(*pairs: tuple[int, str]) -> Form:
    """The form of one table cell, e.g. ``cell((0, "houjie"), (5, "S1"))``; ``cell()`` is the
    grand total."""
    return tuple(sorted((d, (c,)) for d, c in pairs))


def sliced(f: Form, filter_: Form) -> Form:
    """Form ``f`` restricted to the firms of ``filter_`` (a slice of ``Block.slices``; ``()``
    is no filter), e.g. ``sliced(cell((0, "houjie")), ((6, ("onsite_rated",)),))``."""
    return tuple(sorted(f + filter_))


def _codes(block: Block, counts: Mapping[Key, int]) -> list[tuple[str, ...]]:
    present: list[set[str]] = [set() for _ in block.dims]
    for key, n in counts.items():
        if n:
            for d, c in enumerate(key):
                present[d].add(c)
    return [
        tuple(block.codes.get(d, ())) + tuple(sorted(present[d] - set(block.codes.get(d, ()))))
        for d in range(len(block.dims))
    ]


class _Keys:
    """Keys encoded as an integer array (one column per dimension) for fast form masks."""

    def __init__(self, codes: Sequence[Sequence[str]], keys: Sequence[Key]) -> None:
        self.index = [{c: i for i, c in enumerate(cs)} for cs in codes]
        self.keys = list(keys)
        columns = list(zip(*self.keys, strict=True)) if self.keys else [() for _ in codes]
        self.array = np.zeros((len(self.keys), len(codes)), dtype=np.int32)
        for d, column in enumerate(columns):
            self.array[:, d] = np.fromiter(
                map(self.index[d].__getitem__, column), dtype=np.int32, count=len(column)
            )

        self._columns: dict[tuple[int, tuple[str, ...]], np.ndarray] = {}
        self._masks: dict[Form, np.ndarray] = {}

    def _column(self, d: int, cs: tuple[str, ...]) -> np.ndarray:
        """Boolean mask of the keys whose dimension ``d`` is one of ``cs`` (built once)."""
        found = self._columns.get((d, cs))
        if found is None:
            wanted = [self.index[d][c] for c in cs if c in self.index[d]]
            found = np.isin(self.array[:, d], wanted)
            self._columns[(d, cs)] = found
        return found

    def mask(self, f: Form) -> np.ndarray:
        """Boolean mask of the keys inside form ``f``, read-only: built once per form from one
        mask per (dimension, codes) (a release audit asks for the same forms many times; a
        fresh ``np.isin`` each time took most of a release's 74 s)."""
        found = self._masks.get(f)
        if found is None:
            found = np.ones(len(self.keys), dtype=bool)
            for d, cs in f:
                found &= self._column(d, cs)
            found.flags.writeable = False
            self._masks[f] = found
        return found


def _domain(block: Block, codes: Sequence[Sequence[str]], zeros: Sequence[Form]) -> _Keys:
    """Every possible key (categories product minus structural zeros) outside published zeros."""
    everything = _Keys(
        codes,
        [k for k in product(*codes) if not (block.impossible and block.impossible(k))],
    )
    pinned = np.zeros(len(everything.keys), dtype=bool)
    for f in zeros:
        pinned |= everything.mask(f)
    return _Keys(codes, [k for k, p in zip(everything.keys, pinned, strict=True) if not p])


def table_lines(
    block: Block, codes: Sequence[Sequence[str]], derived: bool = False
) -> list[list[Form]]:
    """Every line of every table, as a list of forms whose last element is the line's total:
    rows (cells + row total), columns (cells + column total), the row-total column and the
    column-total row (each with the grand total); unfiltered first, then each slice, then
    (``derived``) each derived slice."""
    lines: list[list[Form]] = []
    for s in ((), *block.slices, *(block.derived if derived else ())):
        for r, c in block.tables:
            for a in codes[r]:
                row = [cell((r, a), (c, b)) for b in codes[c]] + [cell((r, a))]
                lines.append([sliced(f, s) for f in row])
            for b in codes[c]:
                column = [cell((r, a), (c, b)) for a in codes[r]] + [cell((c, b))]
                lines.append([sliced(f, s) for f in column])
            lines.append([sliced(cell((r, a)), s) for a in codes[r]] + [sliced(cell(), s)])
            lines.append([sliced(cell((c, b)), s) for b in codes[c]] + [sliced(cell(), s)])
    return lines


def published_forms(block: Block, codes: Sequence[Sequence[str]]) -> list[Form]:
    """Every form the block's tables and extras publish (before suppression), without
    duplicates, in table order."""
    seen: dict[Form, None] = {}
    for line in table_lines(block, codes):
        for f in line:
            seen.setdefault(f, None)
    for f in block.extra:
        seen.setdefault(f, None)
    return list(seen)


def count(counts: Mapping[Key, int], f: Form) -> int:
    """The value of form ``f`` over the joint ``counts`` (firms)."""
    return sum(n for key, n in counts.items() if all(key[d] in cs for d, cs in f))


def _values(
    counts: Mapping[Key, int], forms: Iterable[Form], codes: Sequence[Sequence[str]]
) -> dict[Form, int]:
    keys = _Keys(codes, [k for k, n in counts.items() if n])
    weights = np.array([counts[k] for k in keys.keys], dtype=np.int64)
    return {f: int(weights[keys.mask(f)].sum()) for f in forms}


def _everything(f: Form, codes: Sequence[Sequence[str]]) -> bool:
    """Whether ``f`` counts every firm (the grand total, or a margin of a dimension with one
    code): it always equals the published grand total."""
    return all(set(codes[d]) <= set(cs) for d, cs in f)


def sensitive_forms(
    block: Block,
    counts: Mapping[Key, int],
    protection: Protection,
    previous: Mapping[Key, int] | None = None,
) -> list[Sensitive]:
    """The forms of this release that must be hidden (small, group disclosure, differences
    against ``previous``), each with the interval it needs; see the module docstring.
    ``protection.k`` <= 1 switches disclosure control off (nothing is sensitive)."""
    if protection.k <= 1:
        return []
    codes = _codes(block, counts)
    lines = table_lines(block, codes, derived=True)
    forms = published_forms(block, codes) + [f for line in lines for f in line]
    values = _values(counts, dict.fromkeys(forms), codes)
    found: dict[Form, Sensitive] = {}
    k = protection.k
    # The grand total is always published, so no form can exceed it: a small cell's upper need
    # stops there (with 1 S0 and 4 S1 firms in all, S1 reaching 6 is not possible to publish).
    firms = sum(counts.values())
    for f, v in values.items():
        if 0 < v < k:
            high = min(float(firms), v + protection.width(v))
            found[f] = Sensitive(f, "small", v, max(0.0, v - protection.width(v)), high)
    for line in lines:
        *cells, total = line
        t = values[total]
        nonzero = [f for f in cells if values[f]]
        if t >= k and len(nonzero) == 1 and len(cells) > 1 and nonzero[0] not in found:
            v = values[nonzero[0]]
            found[nonzero[0]] = Sensitive(nonzero[0], "group", v, v - protection.width(v), None)
    if previous is not None:
        before = _values(previous, values, _codes(block, {**counts, **previous}))
        for f, v in values.items():
            d = v - before[f]
            # The grand total (how many firms are counted) is always published: its change
            # says how many came in, not who or where; the audit holds it as published.
            if 0 < abs(d) < k and f not in found and not _everything(f, codes):
                # The reader must not tell whether the newcomers (leavers) are in this form at
                # all: the difference's interval reaches max(0, d - p) (min(0, d + p)). Only
                # that side is required: the published grand total caps the other one.
                w = protection.width(d)
                if d > 0:
                    found[f] = Sensitive(f, "difference", d, max(0.0, d - w), None)
                else:
                    found[f] = Sensitive(f, "difference", d, -math.inf, min(0.0, d + w))
    return list(found.values())


def share_sensitive(
    hits: int, n: int, protection: Protection, previous_hits: int | None = None
) -> bool:
    """Whether a published share ``hits / n`` (e.g. a plan-target percentage) must be hidden.

    Given its denominator ``n``, a percentage reveals its numerator, a count of firms that no
    other published form contains; so the numerator gets the rules of ``sensitive_forms`` as
    a line (meeting it, not meeting it, total ``n``): hidden when ``n < k``, when 1..k-1 firms
    meet it or do not (small cells), when all or none of ``n >= k`` firms meet it (group
    disclosure: each firm's answer would be known), or when it changed by 1..k-1 firms since
    ``previous_hits`` of the previous release (differencing). Nothing else is derived from a
    hidden share, so no secondary suppression is needed. ``protection.k`` <= 1 hides nothing.
    """
    k = protection.k
    if k <= 1:
        return False
    if n < k or 0 < hits < k or 0 < n - hits < k or hits in (0, n):
        return True
    return previous_hits is not None and 0 < abs(hits - previous_hits) < k


class _Model:
    """The attacker's linear model of one release (and the previous one).

    Unknowns are the counts of every possible key of this release (x) and of the previous one
    (y), non-negative, equal to every published form of their release; where firms stay
    (``y_key <= x_key``, imposed wherever it is true: a conservative, well-informed reader) the
    link is written over the difference: x_key = y_key + z_key with z_key >= 0, so the model
    has only equality rows (one per published form) instead of one inequality row per linked
    key. The vector is ``[x part (nx), y part (ny)]`` where the x entry of a linked key stands
    for z_key and its y column also carries the key's x column. The substitution is a bijection
    between the feasible sets with equal objective values, so every bound is the same as with
    explicit ``y_key - x_key <= 0`` rows (``tests/unit/test_release_audit.py`` checks it against
    that formulation).
    """

    def __init__(
        self,
        block: Block,
        counts: Mapping[Key, int],
        hidden: frozenset[Form],
        previous: Mapping[Key, int] | None,
        previous_hidden: frozenset[Form] | None,
    ) -> None:
        codes = _codes(block, counts)
        forms = published_forms(block, codes)
        values = _values(counts, forms, codes)
        self.published = {f: values[f] for f in forms if f not in hidden}
        self.x = _domain(block, codes, [f for f, v in self.published.items() if v == 0])
        prev_published: dict[Form, int] = {}
        self.y = _Keys(codes, [])
        if previous is not None:
            prev_codes = _codes(block, previous)
            prev_forms = published_forms(block, prev_codes)
            prev_values = _values(previous, prev_forms, prev_codes)
            hidden_before = previous_hidden or frozenset()
            prev_published = {f: prev_values[f] for f in prev_forms if f not in hidden_before}
            self.y = _domain(block, prev_codes, [f for f, v in prev_published.items() if v == 0])
        nx, ny = len(self.x.keys), len(self.y.keys)
        self.n = nx + ny
        self._group: np.ndarray | None = None
        # Firms stay: y_key <= x_key wherever that is true, linked through z_key = x_key - y_key.
        x_index = {key: i for i, key in enumerate(self.x.keys)}
        before = previous or {}
        pairs = [
            (x_index[key], j)
            for j, key in enumerate(self.y.keys)
            if key in x_index and counts.get(key, 0) >= before.get(key, 0)
        ]
        self.linked_x = np.array([p[0] for p in pairs], dtype=np.int64)
        self.linked_y = np.array([p[1] for p in pairs], dtype=np.int64)
        top = self._rows(self.x, list(self.published), nx)
        bottom = self._rows(self.y, list(prev_published), ny)
        # y columns of linked keys carry their x column too (x_key = y_key + z_key)
        carry = csr_matrix((np.ones(len(pairs)), (self.linked_x, self.linked_y)), shape=(nx, ny))
        self.a_eq: csr_matrix | None = None
        if self.published or prev_published:
            self.a_eq = csr_matrix(
                vstack(
                    [
                        hstack([top, top @ carry]),
                        hstack([csr_matrix((len(prev_published), nx)), bottom]),
                    ]
                )
            )
        self.b_eq = np.array(
            list(self.published.values()) + list(prev_published.values()), dtype=float
        )
        # The true counts are feasible (z_key = x_key - y_key where linked): the first known point.
        truth = np.array(
            [counts.get(k, 0) for k in self.x.keys] + [before.get(k, 0) for k in self.y.keys],
            dtype=float,
        )
        truth[self.linked_x] -= truth[nx + self.linked_y]
        self._points: list[csr_matrix] = [csr_matrix(truth)]
        #: LPs solved on this model
        self.solved = 0

    @staticmethod
    def _rows(keys: _Keys, forms: Sequence[Form], n: int) -> csr_matrix:
        """One 0/1 row per form over ``keys`` (``len(forms)`` x ``n``)."""
        masks = [np.flatnonzero(keys.mask(f)) for f in forms]
        cols = np.concatenate(masks) if masks else np.zeros(0, dtype=np.int64)
        at = np.repeat(np.arange(len(masks)), [len(m) for m in masks])
        return csr_matrix((np.ones(len(cols)), (at, cols)), shape=(len(masks), n))

    def objective(self, s: Sensitive) -> np.ndarray:
        """The sensitive form as a coefficient vector (x minus y for a difference)."""
        nx = len(self.x.keys)
        c = np.zeros(self.n)
        c[:nx] = self.x.mask(s.form)
        if s.kind == "difference":
            c[nx:] = -self.y.mask(s.form).astype(float)
        # x_key = y_key + z_key: a linked y also counts wherever its x does
        c[nx + self.linked_y] += c[self.linked_x]
        return c

    def _groups(self) -> np.ndarray:
        """Group number of each unknown: unknowns with identical constraint columns (the same
        published forms of this release and the previous one) are interchangeable, so each LP solves over one sum per
        group - exact for a linear programme, and far smaller where cells are hidden."""
        if self._group is None:
            if self.a_eq is None:
                self._group = np.zeros(self.n, dtype=np.int64)
            else:
                stacked = self.a_eq.tocsc()
                stacked.sort_indices()
                seen: dict[bytes, int] = {}
                self._group = np.array(
                    [
                        seen.setdefault(
                            stacked.indices[stacked.indptr[j] : stacked.indptr[j + 1]].tobytes()
                            + stacked.data[stacked.indptr[j] : stacked.indptr[j + 1]].tobytes(),
                            len(seen),
                        )
                        for j in range(self.n)
                    ],
                    dtype=np.int64,
                )
        return self._group

    def known(self, c: np.ndarray) -> tuple[float, float]:
        """Smallest and largest value of objective ``c`` over the feasible points found so far
        (the true counts and every LP solution of this model), rounded inward: an inner bound,
        the feasible interval is at least this wide."""
        values = vstack(self._points).tocsr() @ c
        return float(math.ceil(values.min() - 1e-6)), float(math.floor(values.max() + 1e-6))

    def solve(self, c: np.ndarray, sign: float) -> float:
        """Smallest (``sign`` 1) or largest (-1) feasible value of objective ``c``, rounded
        inward (counts are whole numbers); ``-math.inf``/``math.inf`` when nothing published
        bounds it (a difference whose previous release hid its grand total). The solution
        joins the known feasible points. Raises ``RuntimeError`` if the solver fails."""
        self.solved += 1
        _, keep = np.unique(self._groups() * 3 + (c + 1).astype(np.int64), return_index=True)
        a_eq = self.a_eq[:, keep] if self.a_eq is not None else None
        res = linprog(
            sign * c[keep],
            A_eq=a_eq,
            b_eq=self.b_eq if a_eq is not None else None,
            bounds=(0, None),
            method="highs",
            # HiGHS's presolve spends 25-160 s on the 30,000-column model of a linked
            # release, the simplex itself under 1 s; presolve never changes the optimum.
            options={"presolve": False},
        )
        if res.status == 3:  # unbounded
            return -sign * math.inf
        if res.status != 0:
            raise RuntimeError(f"audit LP failed: {res.message}")
        # each kept column stands for its group (identical columns): a feasible point
        self._points.append(
            csr_matrix((res.x, (np.zeros(len(keep), dtype=np.int64), keep)), shape=(1, self.n))
        )
        value = sign * float(res.fun)
        return float(math.ceil(value - 1e-6)) if sign > 0 else float(math.floor(value + 1e-6))

    def bounds(
        self, s: Sensitive, need_low: float | None, need_high: float | None
    ) -> tuple[float, float]:
        """The feasible interval of the sensitive form, as far as the audit needs it: a side
        with a need (``need_low``/``need_high``, None for no need) that the known feasible
        points do not already reach is solved exactly (``solve``); otherwise the known points
        give it (an inner bound - the form can be at least that low or high, so the verdict
        is the exact one while fewer LPs are solved)."""
        c = self.objective(s)
        low, high = self.known(c)
        if need_low is not None and not low <= need_low + 1e-9:
            low = self.solve(c, 1.0)
        if need_high is not None and not high >= need_high - 1e-9:
            high = self.solve(c, -1.0)
        return low, high


def audit(
    block: Block,
    counts: Mapping[Key, int],
    hidden: frozenset[Form],
    protection: Protection = Protection(),
    previous: Mapping[Key, int] | None = None,
    previous_hidden: frozenset[Form] | None = None,
    only: Sequence[Sensitive] | None = None,
) -> AuditReport:
    """Interval audit of a suppression pattern: the feasible interval of every sensitive form
    (or of ``only`` those) given everything published in this release and the previous one.

    ``counts`` maps each key (one code per ``block.dims``) to its number of firms; keys absent
    are zero. A sensitive form that is not hidden fails with a zero-width interval.
    """
    sensitive = (
        list(only) if only is not None else sensitive_forms(block, counts, protection, previous)
    )
    # Small and group forms: this release alone must keep their interval; with the previous
    # release (firms stay) only their lower side is checked, since the published grand total
    # caps how far any count can have grown. Differences: against both releases.
    alone = _Model(block, counts, hidden, None, None)
    linked = _Model(block, counts, hidden, previous, previous_hidden) if previous else alone
    published = set(published_forms(block, _codes(block, counts)))
    results = []
    for s in sensitive:
        # a derived form is never shown: only its interval counts
        if s.form in published and s.form not in hidden:
            results.append(Interval(s, s.value, s.value, False))
            continue
        need_low = None if s.need_low == -math.inf else s.need_low
        if s.kind == "difference":
            low, high = linked.bounds(s, need_low, s.need_high)
        else:
            low, high = alone.bounds(s, need_low, s.need_high)
            if linked is not alone:
                low = max(low, linked.bounds(s, need_low, None)[0])
        ok = (s.need_low == -math.inf or low <= s.need_low + 1e-9) and (
            s.need_high is None or high >= s.need_high - 1e-9
        )
        results.append(Interval(s, low, high, ok))
    solved = alone.solved + (linked.solved if linked is not alone else 0)
    return AuditReport(tuple(results), hidden, solved)


def _overlap(f: Form, g: Form) -> bool:
    """Whether forms ``f`` and ``g`` count some key in common."""
    fd = dict(f)
    return all(set(cs) & set(fd[d]) for d, cs in g if d in fd)


def _candidates(
    block: Block, codes: Sequence[Sequence[str]], f: Form, hidden: frozenset[Form]
) -> list[Form]:
    """Visible forms to hide next for a failing ``f``: those on a line through ``f`` (for a
    form of a derived slice: through the same form of each published slice it is derived
    from); when every one is hidden, those counting some of the same firms (in any table); at
    last any."""
    lines = table_lines(block, codes)
    through = {f}
    if any(set(d) <= set(f) for d in block.derived if d):
        base = tuple(p for p in f if not any(p in d for d in block.derived))
        through |= {sliced(base, s) for s in ((), *block.slices)}
    out: list[Form] = []
    for line in lines:
        if through & set(line):
            out += [g for g in line if g not in hidden and g not in out and g != ()]
    if not out:
        everything = ({g for line in lines for g in line} | set(block.extra)) - {()}
        out = [g for g in everything if g not in hidden and _overlap(f, g)]
        out = out or [g for g in everything if g not in hidden]
    return out


def _project(
    counts: Mapping[Key, int], dims: tuple[int, int], filter_: Form = ()
) -> dict[Key, int]:
    out: dict[Key, int] = {}
    for key, n in counts.items():
        if not all(key[d] in cs for d, cs in filter_):
            continue
        sub = (key[dims[0]], key[dims[1]])
        out[sub] = out.get(sub, 0) + n
    return out


def _table_pattern(
    block: Block,
    r: int,
    c: int,
    counts: Mapping[Key, int],
    protection: Protection,
    previous: Mapping[Key, int] | None,
    previous_hidden: frozenset[Form] | None,
    filter_: Form = (),
) -> set[Form]:
    """The pattern that protects table (r, c) of slice ``filter_`` alone, as forms of
    ``block``."""
    table = Block(
        dims=(block.dims[r], block.dims[c]),
        tables=((0, 1),),
        codes={i: block.codes[d] for i, d in enumerate((r, c)) if d in block.codes},
    )
    to_table = {r: 0, c: 1}
    before = None
    if previous_hidden is not None:
        before = frozenset(
            tuple((to_table[d], cs) for d, cs in f if (d, cs) not in filter_)
            for f in previous_hidden
            if set(filter_) <= set(f)
            and all(d in to_table for d, cs in f if (d, cs) not in filter_)
        )
    sub = protect(
        table,
        _project(counts, (r, c), filter_),
        protection,
        _project(previous, (r, c), filter_) if previous is not None else None,
        before,
    )
    return {sliced(tuple(((r, c)[d], cs) for d, cs in f), filter_) for f in sub.hidden}


def protect(
    block: Block,
    counts: Mapping[Key, int],
    protection: Protection = Protection(),
    previous: Mapping[Key, int] | None = None,
    previous_hidden: frozenset[Form] | None = None,
    max_rounds: int = 200,
) -> Pattern:
    """Choose what to hide so that the interval audit passes (see the module docstring).

    Primary: every sensitive form. Secondary: first the classic rule (no line of a table with
    exactly one hidden form), then, while the audit fails, one more form per failing sensitive
    form and round. Returns the pattern with its final audit; ``passed`` is False when no
    visible form is left to hide for some failing form or ``max_rounds`` is reached.
    """
    codes = _codes(block, counts)
    values = _values(counts, published_forms(block, codes), codes)
    sensitive = sensitive_forms(block, counts, protection, previous)
    published = set(published_forms(block, codes))
    hidden = set(s.form for s in sensitive if s.form in published)
    primary = len(hidden)
    if len(block.tables) > 1 or len(block.dims) > 2:
        # Each table protected on its own first (small LPs over its two dimensions): a form
        # failing in its own table fails in the joint too, so most repairs are found cheaply.
        for filter_ in ((), *block.slices):
            for r, c in block.tables:
                hidden |= _table_pattern(
                    block, r, c, counts, protection, previous, previous_hidden, filter_
                )
    lines = table_lines(block, codes)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(f in hidden for f in line) == 1:
                pool = [f for f in line if f not in hidden and f != ()]
                if pool:
                    hidden.add(min(pool, key=lambda g: (-len(g), values[g])))
                    changed = True
    failing = list(sensitive)
    passed: list[Interval] = []
    report = AuditReport((), frozenset(hidden), 0)
    solved = 0
    for _ in range(max_rounds):
        report = audit(
            block, counts, frozenset(hidden), protection, previous, previous_hidden, failing
        )
        solved += report.lp_solved
        passed += [i for i in report.intervals if i.passed]
        failing = [i.sensitive for i in report.intervals if not i.passed]
        if not failing:
            break
        added = False
        for s in failing:
            pool = _candidates(block, codes, s.form, frozenset(hidden))
            if pool:
                hidden.add(min(pool, key=lambda g: (-len(g), values.get(g, 0))))
                added = True
        if not added:
            break
    final = AuditReport(
        tuple(passed) + tuple(i for i in report.intervals if not i.passed),
        frozenset(hidden),
        solved,
    )
    return Pattern(frozenset(hidden), primary, len(hidden) - primary, final)
