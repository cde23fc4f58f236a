"""The app-owned questionnaire registry: packaged and published versions, the current one, the
refresh interval, and readers in other threads while a refresh swaps the table."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from assessment.errors import InstrumentVersionError
from assessment.instrument import load_instrument
from webapp.instrument_registry import InstrumentRegistry

V1 = load_instrument("dmi", "1")
V1_KEY = ("dmi", "1")  # the registry's mechanics, shown with v1 as the packaged current version
V9 = dataclasses.replace(V1, version="9")  # a version no file ships


def test_packaged_versions_are_served_and_v1_is_current_without_publications() -> None:
    registry = InstrumentRegistry(packaged_current=V1_KEY)
    assert registry.current() == V1
    assert registry.get("dmi", "1") is registry.get("dmi", "1")  # parsed once per registry
    assert "1" in registry.packaged_versions("dmi")
    with pytest.raises(InstrumentVersionError):
        registry.get("dmi", "99")
    with pytest.raises(InstrumentVersionError):
        registry.get("../etc", "1")


def test_a_publication_becomes_current_and_older_versions_stay_served() -> None:
    registry = InstrumentRegistry(packaged_current=V1_KEY)
    registry.register(V9, current=True)
    assert registry.current().version == "9" and registry.is_current_publication("dmi", "9")
    assert registry.get("dmi", "1") == V1  # v1 assessments keep their instrument
    registry.forget_published()
    assert registry.current() == V1 and not registry.is_current_publication("dmi", "9")
    with pytest.raises(InstrumentVersionError):
        registry.get("dmi", "9")


def test_two_registries_share_nothing() -> None:
    first, second = (
        InstrumentRegistry(packaged_current=V1_KEY),
        InstrumentRegistry(packaged_current=V1_KEY),
    )
    first.register(V9, current=True)
    assert second.current() == V1


def test_refresh_is_due_once_per_interval() -> None:
    registry = InstrumentRegistry(packaged_current=V1_KEY)
    assert registry.sync_due(100.0, 30.0)  # never synced
    assert not registry.sync_due(129.9, 30.0)
    assert registry.sync_due(130.0, 30.0)
    assert not registry.sync_due(130.0, 30.0)  # claimed: another thread does not read again


def test_readers_in_other_threads_always_see_a_whole_table_while_it_is_swapped() -> None:
    registry = InstrumentRegistry(packaged_current=V1_KEY)
    seen: set[str] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        try:
            while not stop.is_set():
                seen.add(registry.current().version)
                registry.get("dmi", "1")
        except BaseException as exc:  # noqa: BLE001 - any failure of a reader fails the test
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for thread in readers:
        thread.start()
    for i in range(20_000):
        if i % 2:
            registry.replace([V9], ("dmi", "9"))
        else:
            registry.forget_published()
    stop.set()
    for thread in readers:
        thread.join(timeout=10)
    assert errors == [] and seen <= {"1", "9"} and seen


def test_by_default_new_drafts_start_on_v2_and_v1_stays_served() -> None:
    registry = InstrumentRegistry()
    assert registry.current() == load_instrument("dmi", "2")
    assert registry.packaged_versions("dmi") == ["1", "2"]
    assert registry.get("dmi", "1") == V1
