"""The release audit: group disclosure, published zeros, exact solving and differencing (security
review, findings 1 and 2) each fail against a protected release, checked by an independent
integer attacker (``scipy.optimize.milp``) as well as by the audit's own LP."""

from __future__ import annotations

import math
from itertools import product

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from reports.release_audit import (
    Block,
    Form,
    Key,
    Pattern,
    Protection,
    Sensitive,
    audit,
    cell,
    count,
    protect,
    published_forms,
    sensitive_forms,
    share_sensitive,
    sliced,
)
from tests.examples import examples

STAGES = ("S0", "S1", "S2", "S3")
#: town x stage, like the dashboard's town table (dimension 0 = town, 1 = stage)
TOWN_STAGE = Block(dims=("town", "stage"), tables=((0, 1),), codes={1: STAGES})
#: town x cluster x stage with three linked tables, like a release
LINKED = Block(
    dims=("town", "cluster", "stage"), tables=((0, 2), (1, 2), (0, 1)), codes={2: STAGES}
)


def integer_attack(
    block: Block, counts: dict[Key, int], pattern: Pattern, s: Sensitive
) -> tuple[float, float]:
    """The exact (integer programme) attacker of the review: smallest and largest whole-number
    value of a sensitive form given every published form of the release."""
    codes = [
        sorted({k[d] for k, n in counts.items() if n} | set(block.codes.get(d, ())))
        for d in range(len(block.dims))
    ]
    forms = [f for f in published_forms(block, codes) if f not in pattern.hidden]
    keys = list(product(*codes))
    a = np.array([[all(k[d] in cs for d, cs in f) for k in keys] for f in forms], dtype=float)
    b = np.array([count(counts, f) for f in forms], dtype=float)
    c = np.array([all(k[d] in cs for d, cs in s.form) for k in keys], dtype=float)
    out = []
    for sign in (1.0, -1.0):
        res = milp(
            sign * c,
            constraints=[LinearConstraint(a, b, b)] if len(forms) else [],
            integrality=np.ones(len(keys)),
            bounds=Bounds(0, 1000),
        )
        assert res.status == 0, res.message
        out.append(sign * res.fun)
    return out[0], out[1]


def assert_protected(block: Block, counts: dict[Key, int], pattern: Pattern) -> None:
    """Every sensitive form is hidden and even an integer attacker cannot narrow it below the
    protection interval (upper bounds capped at 1000 firms stand for 'unbounded')."""
    assert pattern.passed
    for s in sensitive_forms(block, counts, Protection()):
        assert s.form in pattern.hidden, s
        low, high = integer_attack(block, counts, pattern, s)
        assert low <= s.need_low + 1e-9, (s, low, high)
        assert s.need_high is None or high >= s.need_high - 1e-9, (s, low, high)


def test_zeros_beside_a_suppressed_cell_no_longer_tell_every_firm_s_stage() -> None:
    """Review 2a: Shilong 0,0,0,x (one S3 firm) and Fenggang 0,x,0,0 told each firm's stage."""
    counts = {("shilong", "S3"): 1, ("fenggang", "S1"): 3}
    counts |= {("houjie", s): n for s, n in zip(STAGES, (20, 30, 12, 6), strict=True)}
    counts |= {("humen", s): n for s, n in zip(STAGES, (9, 14, 8, 5), strict=True)}
    pattern = protect(TOWN_STAGE, counts)
    assert_protected(TOWN_STAGE, counts, pattern)
    # The attack itself: an S3 count of 0 for Shilong is feasible, so is a non-S3 firm.
    s3 = next(
        s for s in pattern.audit.intervals if s.sensitive.form == cell((0, "shilong"), (1, "S3"))
    )
    assert s3.low == 0 and s3.high >= 3
    zeros = [cell((0, "shilong"), (1, s)) for s in ("S0", "S1", "S2")]
    assert any(z in pattern.hidden for z in zeros)  # not every zero of the row is published


def test_group_disclosure_hides_a_row_whose_firms_share_one_stage_even_above_k() -> None:
    counts = {("wanjiang", "S1"): 8}
    counts |= {("houjie", s): n for s, n in zip(STAGES, (20, 30, 12, 6), strict=True)}
    counts |= {("humen", s): n for s, n in zip(STAGES, (9, 14, 8, 5), strict=True)}
    found = {s.form: s for s in sensitive_forms(TOWN_STAGE, counts, Protection())}
    group = found[cell((0, "wanjiang"), (1, "S1"))]
    assert group.kind == "group" and group.need_low == 6  # 8 - max(2, 20 % of 8)
    pattern = protect(TOWN_STAGE, counts)
    assert_protected(TOWN_STAGE, counts, pattern)


def test_town_by_cluster_cells_can_no_longer_be_solved_exactly_from_the_margins() -> None:
    """Review 2b: Humen 0,0,13,0,x,x = 15 gave furniture = other = 1 exactly."""
    clusters = ("electronics", "equipment", "textiles", "food", "furniture", "other")
    block = Block(dims=("town", "cluster"), tables=((0, 1),), codes={1: clusters})
    counts = {("humen", "textiles"): 13, ("humen", "furniture"): 1, ("humen", "other"): 1}
    counts |= {("houjie", c): n for c, n in zip(clusters, (7, 9, 12, 6, 30, 8), strict=True)}
    counts |= {("changan", c): n for c, n in zip(clusters, (25, 11, 6, 7, 5, 9), strict=True)}
    pattern = protect(block, counts)
    assert_protected(block, counts, pattern)
    for c in ("furniture", "other"):
        low, high = integer_attack(
            block, counts, pattern, Sensitive(cell((0, "humen"), (1, c)), "small", 1, 0, 3)
        )
        assert low == 0 and high >= 3  # no longer the exact value 1


def test_differencing_two_releases_cannot_single_out_the_newcomer() -> None:
    """Review 1a: Liaobu 5 -> 6 and S1 134 -> 135 between two looks gave one firm's stage."""
    before = {("liaobu", "S0"): 2, ("liaobu", "S2"): 3}
    before |= {("houjie", s): n for s, n in zip(STAGES, (20, 30, 12, 6), strict=True)}
    before |= {("humen", s): n for s, n in zip(STAGES, (9, 14, 8, 5), strict=True)}
    first = protect(TOWN_STAGE, before)
    after = dict(before) | {("liaobu", "S1"): 1}
    second = protect(TOWN_STAGE, after, previous=before, previous_hidden=first.hidden)
    assert second.passed
    differences = [i for i in second.audit.intervals if i.sensitive.kind == "difference"]
    # Liaobu 5 -> 6 and S1 +1 are protected; the grand total (how many) is always published.
    assert {i.sensitive.form for i in differences} >= {cell((0, "liaobu")), cell((1, "S1"))}
    assert cell() not in {i.sensitive.form for i in differences}
    for i in differences:  # the newcomer may as well not be in the form at all
        assert i.sensitive.form in second.hidden and i.low <= 0 and i.passed
    # The same pattern without looking at the previous release would let the difference through.
    alone = protect(TOWN_STAGE, after)
    check = audit(TOWN_STAGE, after, alone.hidden, Protection(), before, first.hidden)
    assert not check.passed


def test_a_release_whose_sensitive_cell_is_published_fails_the_audit() -> None:
    counts = {("shilong", "S3"): 1, ("houjie", "S1"): 30, ("houjie", "S2"): 12}
    report = audit(TOWN_STAGE, counts, frozenset())
    assert not report.passed and report.narrowest == 0


def test_protection_interval_is_the_larger_of_two_firms_and_twenty_percent() -> None:
    p = Protection()
    assert (p.width(1), p.width(10), p.width(30)) == (2, 2, 6)


cohorts = st.dictionaries(
    st.tuples(
        st.sampled_from(("t1", "t2", "t3", "t4")),
        st.sampled_from(("c1", "c2", "c3")),
        st.sampled_from(STAGES),
    ),
    st.integers(min_value=1, max_value=14),
    min_size=1,
    max_size=14,
)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts)
def test_every_protected_release_of_a_random_cohort_passes_an_integer_attacker(counts) -> None:  # type: ignore[no-untyped-def]
    """Linked town x stage, cluster x stage and town x cluster tables of a random cohort: the
    protected release passes its LP audit and the integer attacker agrees for every sensitive
    form."""
    pattern = protect(LINKED, counts)
    assert_protected(LINKED, counts, pattern)
    assert all(math.isfinite(i.low) for i in pattern.audit.intervals)


def link_rows_bounds(
    block: Block,
    counts: dict[Key, int],
    hidden: frozenset[Form],
    previous: dict[Key, int] | None,
    previous_hidden: frozenset[Form],
    form: Form,
    difference: bool,
) -> tuple[float, float]:
    """The attacker's LP written the plain way, as the audit first did: unknowns x (this
    release) and y (the previous one) over every key outside published zeros, one equality row
    per published form, and one row ``y_key - x_key <= 0`` per key in both where firms stayed.
    The audit's own model substitutes ``x = y + z`` and merges identical columns; its bounds
    must be exactly these."""

    def side(release: dict[Key, int], hid: frozenset[Form]) -> tuple[list[Key], list[Form]]:
        codes = [
            sorted(set(block.codes.get(d, ())) | {k[d] for k, n in release.items() if n})
            for d in range(len(block.dims))
        ]
        shown = [f for f in published_forms(block, codes) if f not in hid]
        zeros = [f for f in shown if count(release, f) == 0]
        keys = [
            k
            for k in product(*codes)
            if not any(all(k[d] in cs for d, cs in z) for z in zeros)
            and not (block.impossible and block.impossible(k))
        ]
        return keys, shown

    def inside(k: Key, f: Form) -> bool:
        return all(k[d] in cs for d, cs in f)

    xs, x_forms = side(counts, hidden)
    ys, y_forms = side(previous, previous_hidden) if previous is not None else ([], [])
    n = len(xs) + len(ys)
    rows = [[inside(k, f) for k in xs] + [False] * len(ys) for f in x_forms]
    rows += [[False] * len(xs) + [inside(k, f) for k in ys] for f in y_forms]
    b_eq = [count(counts, f) for f in x_forms] + [count(previous or {}, f) for f in y_forms]
    links = []
    for j, k in enumerate(ys):
        if k in xs and counts.get(k, 0) >= (previous or {}).get(k, 0):
            row = np.zeros(n)
            row[xs.index(k)], row[len(xs) + j] = -1, 1
            links.append(row)
    c = np.array([inside(k, form) for k in xs] + [-inside(k, form) * difference for k in ys])
    out = []
    for sign in (1.0, -1.0):
        res = linprog(
            sign * c,
            A_ub=np.array(links) if links else None,
            b_ub=np.zeros(len(links)) if links else None,
            A_eq=np.array(rows, dtype=float) if rows else None,
            b_eq=np.array(b_eq, dtype=float) if rows else None,
            bounds=(0, None),
            method="highs",
        )
        assert res.status in (0, 3), res.message
        out.append(-sign * math.inf if res.status == 3 else sign * res.fun)
    low, high = out
    return (
        math.ceil(low - 1e-6) if math.isfinite(low) else low,
        math.floor(high + 1e-6) if math.isfinite(high) else high,
    )


def _changed(data: st.DataObject, before: dict[Key, int]) -> dict[Key, int]:
    """``before`` with a few firms in, out or moved (the next release's cohort)."""
    after = dict(before)
    keys = list(product(("t1", "t2", "t3"), ("c1", "c2"), STAGES))
    for key in data.draw(st.lists(st.sampled_from(keys), max_size=6)):
        after[key] = max(0, after.get(key, 0) + data.draw(st.sampled_from((-2, -1, 1, 3))))
    return {k: v for k, v in after.items() if v}


small_cohorts = st.dictionaries(
    st.tuples(
        st.sampled_from(("t1", "t2", "t3")), st.sampled_from(("c1", "c2")), st.sampled_from(STAGES)
    ),
    st.integers(min_value=1, max_value=9),
    min_size=1,
    max_size=10,
)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_cohorts, st.data())
def test_the_audit_s_difference_formulation_gives_the_link_row_intervals(before, data) -> None:  # type: ignore[no-untyped-def]
    """The linked model over the difference (x = y + z, no link rows, identical columns merged,
    only the needed sides solved) gives the verdicts of the plain two-release LP with one
    ``y <= x`` row per key, and intervals inside its intervals, for every sensitive form under
    random suppression patterns of both releases."""
    after = _changed(data, before)
    codes = [sorted({k[d] for k in after} | set(LINKED.codes.get(d, ()))) for d in range(3)]
    prev_codes = [sorted({k[d] for k in before} | set(LINKED.codes.get(d, ()))) for d in range(3)]
    previous_hidden = frozenset(
        data.draw(st.sets(st.sampled_from(published_forms(LINKED, prev_codes)), max_size=12))
    )
    sensitive = sensitive_forms(LINKED, after, Protection(), before)
    hidden = frozenset(s.form for s in sensitive) | frozenset(
        data.draw(st.sets(st.sampled_from(published_forms(LINKED, codes)), max_size=12))
    )
    report = audit(LINKED, after, hidden, Protection(), before, previous_hidden)
    assert len(report.intervals) == len(sensitive)
    for i in report.intervals:
        s = i.sensitive
        if s.kind == "difference":
            expected = link_rows_bounds(
                LINKED, after, hidden, before, previous_hidden, s.form, True
            )
        else:
            low, high = link_rows_bounds(LINKED, after, hidden, None, frozenset(), s.form, False)
            linked_low, _ = link_rows_bounds(
                LINKED, after, hidden, before, previous_hidden, s.form, False
            )
            expected = (max(low, linked_low), high)
        low, high = expected
        # the verdict is the plain LP's; the interval reported lies inside the plain LP's (a side
        # the audit does not need, or already reached by a known feasible point, is not solved)
        ok = (s.need_low == -math.inf or low <= s.need_low + 1e-9) and (
            s.need_high is None or high >= s.need_high - 1e-9
        )
        assert i.passed == ok, (s, i, expected)
        assert low <= i.low and i.high <= high, (s, i, expected)
        if not ok:  # a failing side is solved exactly
            assert (i.low == low) or (i.high == high), (s, i, expected)


def test_a_plan_target_share_is_hidden_when_few_all_or_none_meet_it_or_few_changed() -> None:
    """A percentage with its denominator gives its numerator away: 1-4 firms meeting it (or not
    meeting it), all or none of them, or 1-4 newcomers since the previous release."""
    p = Protection()
    assert share_sensitive(3, 40, p) and share_sensitive(37, 40, p)  # 3 firms meet / do not
    assert share_sensitive(40, 40, p) and share_sensitive(0, 40, p)  # every firm's answer known
    assert share_sensitive(2, 4, p)  # fewer than k firms in all
    assert not share_sensitive(12, 40, p)
    assert share_sensitive(12, 41, p, previous_hits=11)  # the one newcomer meets it
    assert not share_sensitive(12, 45, p, previous_hits=7)  # five came in
    assert not share_sensitive(3, 40, Protection(k=1))  # disclosure control off


def test_a_small_cell_s_upper_need_stops_at_the_published_grand_total() -> None:
    """Found by the property test above: one town, one cluster, 1 firm at S0 and 4 at S1. The
    grand total 5 is always published, so S1 can never be shown to reach 4 + 2 = 6; the need
    stops at 5, and hiding both stage cells protects each within [0, 5]."""
    counts = {("t1", "c1", "S0"): 1, ("t1", "c1", "S1"): 4}
    s1 = next(s for s in sensitive_forms(LINKED, counts, Protection()) if s.form == cell((2, "S1")))
    assert (s1.need_low, s1.need_high) == (2.0, 5.0)
    pattern = protect(LINKED, counts)
    assert_protected(LINKED, counts, pattern)
    assert integer_attack(LINKED, counts, pattern, s1) == (0.0, 5.0)


BASES = ("self_reported", "staff_verified", "onsite_rated")
VERIFIED: Form = ((2, ("staff_verified", "onsite_rated")),)
ONSITE: Form = ((2, ("onsite_rated",)),)
#: town x stage for all results and again for each basis filter, like the government tables
#: (issue 17); self-reported only and staff-verified only follow by subtraction
BY_BASIS = Block(
    dims=("town", "stage", "basis"),
    tables=((0, 1),),
    codes={1: STAGES, 2: BASES},
    slices=(VERIFIED, ONSITE),
    derived=(((2, ("self_reported",)),), ((2, ("staff_verified",)),)),
)


def _by_basis(rows: dict[tuple[str, str], tuple[int, int, int]]) -> dict[Key, int]:
    """(town, stage) -> (self-reported, staff-verified, on-site rated) firms as a joint table."""
    return {
        (town, stage, basis): n
        for (town, stage), ns in rows.items()
        for basis, n in zip(BASES, ns, strict=True)
        if n
    }


def _cohort_by_basis(houjie_s1: tuple[int, int, int]) -> dict[Key, int]:
    rows = {
        ("houjie", "S0"): (8, 6, 0),
        ("houjie", "S1"): houjie_s1,
        ("houjie", "S2"): (9, 5, 0),
        ("houjie", "S3"): (7, 6, 0),
        ("humen", "S0"): (10, 5, 0),
        ("humen", "S1"): (11, 7, 0),
        ("humen", "S2"): (6, 8, 0),
        ("humen", "S3"): (5, 9, 0),
    }
    return _by_basis(rows)


def test_a_filtered_table_still_hides_its_small_cells() -> None:
    # Houjie at S1: 12 self-reported firms and 3 staff-verified ones; the filter "verified or
    # on-site" shows 3 there - a small cell like any other.
    counts = _cohort_by_basis((12, 3, 0))
    small = sliced(cell((0, "houjie"), (1, "S1")), VERIFIED)
    found = {s.form: s for s in sensitive_forms(BY_BASIS, counts, Protection())}
    assert found[small].kind == "small" and found[small].value == 3
    pattern = protect(BY_BASIS, counts)
    assert pattern.passed and small in pattern.hidden
    low, high = integer_attack(BY_BASIS, counts, pattern, found[small])
    assert low <= found[small].need_low and high >= found[small].need_high


def test_a_filtered_table_cannot_be_subtracted_from_the_unfiltered_one() -> None:
    # Houjie at S1: 12 firms, 10 of them staff-verified: both cells are >= 5, but subtracting
    # them would tell that exactly 2 self-reported firms of Houjie are at S1.
    counts = _cohort_by_basis((2, 10, 0))
    derived = sliced(cell((0, "houjie"), (1, "S1")), ((2, ("self_reported",)),))
    found = {s.form: s for s in sensitive_forms(BY_BASIS, counts, Protection())}
    assert found[derived].kind == "small" and found[derived].value == 2
    # Audited apart (no derived slices), both tables publish that cell: the difference is exact.
    apart = Block(BY_BASIS.dims, BY_BASIS.tables, BY_BASIS.codes, slices=BY_BASIS.slices)
    naive = protect(apart, counts)
    assert integer_attack(apart, counts, naive, found[derived]) == (2, 2)
    # Audited together, the two published tables leave the derived cell its interval [0, 4]:
    # the same protection as a published small cell, even against an integer attacker.
    pattern = protect(BY_BASIS, counts)
    assert pattern.passed
    assert derived not in pattern.hidden  # never a published form: nothing to hide itself
    for s in found.values():
        low, high = integer_attack(BY_BASIS, counts, pattern, s)
        assert low <= s.need_low + 1e-9, (s, low, high)
        assert s.need_high is None or high >= s.need_high - 1e-9, (s, low, high)


def test_a_filtered_table_cannot_single_out_a_newcomer_against_the_previous_release() -> None:
    before = _cohort_by_basis((12, 10, 0))
    # one firm of Houjie at S1 got verified between releases (self-reported 12 -> 11)
    after = _cohort_by_basis((11, 11, 0))
    moved = sliced(cell((0, "houjie"), (1, "S1")), VERIFIED)
    first = protect(BY_BASIS, before)
    second = protect(BY_BASIS, after, Protection(), before, first.hidden)
    found = {s.form: s for s in sensitive_forms(BY_BASIS, after, Protection(), before)}
    assert found[moved].kind == "difference" and found[moved].value == 1
    assert second.passed and moved in second.hidden
