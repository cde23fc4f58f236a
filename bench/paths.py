"""Path segments on a synthetic region: sizes, stability, η² of the index given the segment.

Run: ``PYTHONPATH=. python -m bench.paths --firms 100000`` (one line per figure). The persona
baseline (η² 0.86 of the index given the level-driven persona) is domain review §4's figure.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from assessment.instrument import is_applicable, load_instrument
from assessment.paths import PROFILE_COLUMNS, fit_path_model, path_of, profile_of
from assessment.scoring import score_card_v2
from assessment.synthetic import synthetic_cohort


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    instrument = load_instrument("dmi", "2")
    started = time.perf_counter()
    rows, paths, index = [], [], []
    for firm in synthetic_cohort(instrument, args.firms, args.seed):
        visible = {
            c: a
            for c, a in firm.responses.items()
            if is_applicable(instrument.item(c), firm.profile, firm.responses)
        }
        rows.append(profile_of(visible))
        paths.append(path_of(visible))
        index.append(score_card_v2(instrument, firm.profile, visible).maturity_index)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    columns = [c.code for c in PROFILE_COLUMNS]
    model = fit_path_model(np.array(rows), columns, paths, index=index)
    fitted = time.perf_counter() - started
    print(f"firms {args.firms} (seed {args.seed}); generated and scored in {generated:.0f} s")
    print(f"k {model.k}; silhouette {model.silhouette_by_k[model.k]:.3f}; fit {fitted:.1f} s")
    print(f"stability (bootstrap ARI) {model.stability_ari:.3f}")
    print(
        f"eta^2 of the maturity index given the segment {model.eta_squared_index:.3f} (personas: 0.86)"
    )
    for s in model.segments:
        print(f"segment {s.label}: {s.size} firms, path {s.path.value} ({s.path_share:.0%})")


if __name__ == "__main__":
    main()
