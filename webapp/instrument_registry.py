"""The questionnaire versions one app serves: the packaged files plus the versions an
administrator published after deployment (stored in the database).

One ``InstrumentRegistry`` per app, created in the factory and kept in
``app.extensions["instruments"]`` (``webapp.registries.instruments()`` returns it). The database
side (reading and storing publications) is ``webapp/services/instruments.py``; this object only
holds the parsed versions and answers "which version is this?" and "which version do new
assessments start on?". Several versions are served at once: an assessment keeps the version it
was started on (DESIGN.md: "a published version never changes").

Thread-safe: gthread workers serve requests from several threads of one process, so every read
and every change of the shared state holds ``_lock``, and a refresh swaps the whole table at once
(a reader never sees a half-cleared registry).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from assessment.instrument import CURRENT, INSTRUMENT_DIR, packaged_versions, read_instrument_file
from assessment.types import Instrument

Key = tuple[str, str]


class InstrumentRegistry:
    """Packaged and published instrument versions of one app.

    Parameters
    ----------
    directory : Path
        Where the packaged ``<id>-v<n>.toml`` files are (``assessment/instruments``).
    packaged_current : tuple[str, str]
        (id, version) new assessments start on while nothing was published.
    """

    def __init__(self, directory: Path = INSTRUMENT_DIR, packaged_current: Key = CURRENT) -> None:
        self.directory = directory
        self.packaged_current = packaged_current
        self._lock = threading.Lock()
        self._packaged: dict[Key, Instrument] = {}
        self._published: dict[Key, Instrument] = {}
        self._current: Key | None = None
        self._last_sync = float("-inf")

    def get(self, instrument_id: str, version: str) -> Instrument:
        """The version (id, version): a publication if one is registered, else the packaged file.

        Raises
        ------
        InstrumentVersionError
            Neither published nor packaged (``read_instrument_file``'s message).
        """
        key = (instrument_id, version)
        with self._lock:
            found = self._published.get(key) or self._packaged.get(key)
        if found is not None:
            return found
        parsed = read_instrument_file(instrument_id, version, self.directory)
        with self._lock:
            return self._packaged.setdefault(key, parsed)

    def current(self) -> Instrument:
        """The version new assessments start on: the current publication, else the packaged
        ``packaged_current``."""
        with self._lock:  # key and table read together: a refresh cannot come between them
            key = self._current or self.packaged_current
            found = self._published.get(key) or self._packaged.get(key)
        return found if found is not None else self.get(*key)

    def is_current_publication(self, instrument_id: str, version: str) -> bool:
        """Is (id, version) the registered current publication?"""
        with self._lock:
            return self._current == (instrument_id, version)

    def packaged_versions(self, instrument_id: str) -> list[str]:
        """Versions of ``instrument_id`` shipped as files and in force, oldest first: for the
        packaged current id, only up to ``packaged_current``'s version; a later file (a version
        that ships as a draft until an administrator publishes it) is not listed."""
        versions = packaged_versions(instrument_id, self.directory)
        current_id, current_version = self.packaged_current
        if instrument_id != current_id:
            return versions
        return [v for v in versions if int(v) <= int(current_version)]

    def packaged_path(self, instrument_id: str, version: str) -> Path | None:
        """The packaged file of (id, version), or None when it is not packaged."""
        if version not in self.packaged_versions(instrument_id):
            return None
        return self.directory / f"{instrument_id}-v{version}.toml"

    def register(self, instrument: Instrument, *, current: bool) -> None:
        """Add one publication (the publishing worker, at once), optionally as the current one.

        Registering the same (id, version) again replaces it (published texts are immutable in
        the database, so the content is the same)."""
        key = (instrument.id, instrument.version)
        with self._lock:
            self._published[key] = instrument
            if current:
                self._current = key

    def replace(self, published: Iterable[Instrument], current: Key | None) -> None:
        """Swap in the database's publications in one step (``current`` None: packaged only)."""
        table = {(i.id, i.version): i for i in published}
        with self._lock:
            self._published = table
            self._current = current

    def forget_published(self) -> None:
        """Back to the packaged files only (the state of a worker that has not synced yet)."""
        self.replace((), None)

    def sync_due(self, now: float, interval: float) -> bool:
        """Claim the next refresh from the database: True (and the clock restarts) when at least
        ``interval`` seconds (monotonic ``now``) passed since the last claim, so one thread per
        interval reads the database."""
        with self._lock:
            if now - self._last_sync < interval:
                return False
            self._last_sync = now
            return True
