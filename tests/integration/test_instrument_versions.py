"""Publishing instrument v2 leaves every v1 assessment as it was answered and scored."""

from __future__ import annotations

import shutil

import pytest

from assessment.instrument import INSTRUMENT_DIR
from tests.integration.questionnaire_client import (
    DECLARED,
    answer_with,
    current_assessment,
    most_mature_on,
)
from webapp.instrument_registry import InstrumentRegistry

#: About questionnaire v1 behaviour (v1 item codes and gates): the app starts drafts on v1.
pytestmark = pytest.mark.usefixtures("instrument_v1")


def test_v1_assessments_keep_v1_after_v2_is_published(
    client, app, make_user, make_enterprise, login, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    enterprise = make_enterprise(user)
    login(user)
    v1 = answer_with(client, app, enterprise.id, most_mature_on("1"))
    client.post(f"/enterprise/assessments/{v1.public_id}/submit", data=DECLARED)
    before = current_assessment(app, enterprise.id)

    # Publish v2: same questions, very different dimension weights.
    source = INSTRUMENT_DIR / "dmi-v1.toml"
    shutil.copy(source, tmp_path / "dmi-v1.toml")
    v2_text = source.read_text(encoding="utf-8").replace('version = "1"', 'version = "2"', 1)
    v2_text = v2_text.replace("weight = 0.12", "weight = 0.5", 1)
    (tmp_path / "dmi-v2.toml").write_text(v2_text, encoding="utf-8")
    # This app now ships v1 and v2 and starts new assessments on v2.
    app.extensions["instruments"] = registry = InstrumentRegistry(tmp_path, ("dmi", "2"))
    assert registry.current().version == "2"
    assert registry.current().dimensions[0].weight == 0.5
    page = client.get(f"/enterprise/assessments/{v1.public_id}/result")
    assert page.status_code == 200 and "dmi-v1" in page.get_data(as_text=True)
    after = current_assessment(app, enterprise.id)
    assert after.instrument_version == "1" and after.result == before.result
    result = app.test_cli_runner().invoke(
        args=["assessments", "rescore", "--round", "2026", "--scoring-version", "1"]
    )
    assert "0 re-scored, 1 already" in result.output
