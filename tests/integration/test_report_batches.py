"""A centre's PDF batch reads the PDFs already stored and hands chunks of the rest to other
workers (issue 18); without other workers it makes them all itself."""

from __future__ import annotations

import io
import zipfile

import pytest
from flask import Flask
from sqlalchemy import select

from models import User
from webapp.extensions import db
from webapp.services import report_batches, report_files


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The assessment id of every PDF made."""
    calls: list[int] = []
    make = report_files.make_pdf

    def counting(assessment_id: int, lang: str) -> tuple[bytes, str]:
        calls.append(assessment_id)
        return make(assessment_id, lang)

    monkeypatch.setattr(report_files, "make_pdf", counting)
    return calls


def _staff_id() -> int:
    staff = db.session.scalar(select(User.id).where(User.email == "staff@demo.invalid"))
    assert staff is not None
    return staff


def test_chunks_cover_every_id_once_in_order() -> None:
    assert report_batches.chunks_of([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
    assert report_batches.chunks_of([], 3) == []


@pytest.mark.demo_cohort(enterprises=16, seed=3, round_code="2026")
def test_a_batch_reports_its_progress_in_its_own_language(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The job page shows the progress message as the job wrote it: in the batch's language
    (the language of the page that started it), not in English."""
    monkeypatch.setattr(report_files, "make_pdf", lambda _id, _lang: (b"%PDF-1.7", "r.pdf"))
    for lang, done in (("zh", "已生成 {n}/{n} 份报告"), ("en", "{n} of {n} reports made")):
        progress: list[tuple[int, str]] = []
        with app.app_context():
            _data, count = report_batches.cohort_pdf_zip(
                _staff_id(), "2026", lang, lambda p, m, seen=progress: seen.append((p, m))
            )
        assert count >= 2 and progress[-1] == (100, done.format(n=count))


@pytest.mark.demo_cohort(enterprises=16, seed=3, round_code="2026")
def test_a_batch_hands_out_chunks_and_makes_each_pdf_once(
    app: Flask, renders: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_batches, "CHUNK", 2)
    handed: list[list[int]] = []

    def other_workers(chunks: list[list[int]]) -> None:
        handed.extend(chunks)
        for chunk in chunks:  # the other workers finish before the batch gets to theirs
            report_batches.render_chunk(chunk, "zh")

    progress: list[tuple[int, str]] = []
    with app.app_context():
        staff = _staff_id()
        cohort = [a.id for a in report_batches.cohort_assessments(staff, "2026")]
        assert len(cohort) >= 3
        data, count = report_batches.cohort_pdf_zip(
            staff, "2026", "zh", lambda p, m: progress.append((p, m)), other_workers
        )
    assert count == len(cohort)
    expected = report_batches.chunks_of(cohort, 2)
    assert handed == expected[:-1]  # all but the last chunk went to other workers
    assert sorted(renders) == sorted(cohort)  # each PDF made once, by whoever got there first
    assert progress[-1] == (100, f"已生成 {count}/{count} 份报告")  # in the batch's language
    assert len(zipfile.ZipFile(io.BytesIO(data)).namelist()) == count

    renders.clear()
    with app.app_context():  # a second batch reads the stored PDFs
        again, _ = report_batches.cohort_pdf_zip(_staff_id(), "2026", "zh", None, other_workers)
    assert renders == [] and _contents(again) == _contents(data)


def _contents(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}
