"""Statistics releases: the first and the second release of a round, each suppressed and audited
(``reports.release_audit.protect``), with the audit's figures.

* Demo cohort: ``demo.seed_demo`` (300 firms) in a temporary SQLite database, release 1 by
  ``releases.cut_release``; then ``NEWCOMERS`` generated firms submit and release 2 is cut
  against release 1 (the linked audit).
* A region of N firms (default 100,000): its joint table (town, cluster, size class,
  production type, above scale, stage) drawn at random with a fixed seed - towns, clusters and
  production types uniform, sizes 1/5/30/64 % large/medium/small/micro, stages 30/40/20/10 % -
  then ``NEWCOMERS`` more firms for release 2. Generating a real region of 100,000 through the
  database takes hours on a loaded 2-core machine; the audit sees only the joint table.

Usage: ``python -m bench.release_audit [N] [NEWCOMERS]`` (defaults 100,000 and 200).
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from typing import Any

from assessment.classification import TOWNS
from assessment.types import IndustryCluster, ProductionType, SizeClass
from bench.scratch import scratch_app
from reports.release_audit import Key, Pattern, Protection, protect
from webapp.extensions import db
from webapp.services import aggregates, demo, releases
from webapp.services.region import generate_region
from webapp.services.rounds import current_round


def _line(label: str, figures: dict[str, Any], seconds: float) -> None:
    print(
        f"  {label:<28} sensitive {figures['sensitive']:>4}, hidden {figures['hidden']:>4} "
        f"({figures['primary']} + {figures['secondary']}), narrowest "
        f"{figures['narrowest']} firms, {figures['lp_solved']} LPs, passed "
        f"{figures['passed']}, audit {seconds:7.1f} s",
    )


def _figures(pattern: Pattern) -> dict[str, Any]:
    return {
        "sensitive": len(pattern.audit.intervals),
        "hidden": len(pattern.hidden),
        "primary": pattern.primary,
        "secondary": pattern.secondary,
        "narrowest": pattern.audit.narrowest,
        "lp_solved": pattern.audit.lp_solved,
        "passed": pattern.passed,
    }


def demo_releases(newcomers: int) -> None:
    print(f"demo cohort (300 firms), then {newcomers} newcomers")
    with scratch_app("demo.sqlite") as app:
        with app.app_context():
            demo.seed_demo(enterprises=300, seed=20260401)
            round_code = current_round()
            for label in ("first release", f"second (+{newcomers} firms)"):
                if label != "first release":
                    generate_region(newcomers, 2, int(round_code), seed=2)
                release = releases.cut_release(round_code, "cli")
                _line(label, release.audit["facts"], release.audit["seconds"])
            db.session.remove()
            db.engine.dispose()


def _region(n: int, rng: random.Random) -> Counter[Key]:
    towns = [t.code for t in TOWNS]
    clusters = [c.value for c in IndustryCluster]
    sizes = [SizeClass.LARGE.value, SizeClass.MEDIUM.value, SizeClass.SMALL.value]
    sizes.append(SizeClass.MICRO.value)
    types = [p.value for p in ProductionType]
    out: Counter[Key] = Counter()
    for _ in range(n):
        size = rng.choices(sizes, weights=[1, 5, 30, 64])[0]
        above = "1" if size in sizes[:2] or rng.random() < 0.3 else "0"
        stage = rng.choices(aggregates.STAGES, weights=[30, 40, 20, 10])[0]
        out[(rng.choice(towns), rng.choice(clusters), size, rng.choice(types), above, stage)] += 1
    return out


def region_releases(n: int, newcomers: int) -> None:
    print(f"region of {n:,} firms (random joint table), then {newcomers} newcomers")
    rng = random.Random(1)
    first = _region(n, rng)
    second = first + _region(newcomers, rng)
    start = time.perf_counter()
    one = protect(aggregates.FACT_BLOCK, first, Protection())
    _line("first release", _figures(one), time.perf_counter() - start)
    start = time.perf_counter()
    two = protect(aggregates.FACT_BLOCK, second, Protection(), first, one.hidden)
    _line(f"second (+{newcomers} firms)", _figures(two), time.perf_counter() - start)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    newcomers = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    demo_releases(min(newcomers, 20))
    region_releases(n, newcomers)


if __name__ == "__main__":
    main()
