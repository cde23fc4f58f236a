"""The demo cohort on questionnaire v2 and the quality command's MIIT level shares."""

from __future__ import annotations

import re

from sqlalchemy import select

from models import Assessment
from webapp.extensions import db
from webapp.services import demo


def test_demo_seed_gives_v2_assessments_and_quality_prints_level_shares(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        demo.seed_demo(enterprises=40, seed=3)
        rows = db.session.scalars(select(Assessment)).all()
    assert rows and all(r.instrument_version == "2" and r.scoring_version == "2" for r in rows)
    assert all(r.result is not None and "miit" in r.result for r in rows)
    result = app.test_cli_runner().invoke(args=["assessments", "quality", "--round", "2026"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("MIIT level shares: "))
    shares = [float(v) for v in re.findall(r"(\d+\.\d)%", line)]
    assert len(shares) == 5 and abs(sum(shares) - 100) < 0.5
    assert "stage x MIIT level" in result.output
    table = result.output.split("stage x MIIT level", 1)[1].splitlines()[1:5]
    assert [t.split(":")[0].strip() for t in table] == ["S0", "S1", "S2", "S3"]
    assert sum(int(c) for t in table for c in t.split(":")[1].split()) == len(rows)
