"""The audit's progress bar on stderr: done/total, and the rate and ETA of this run's work."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichProgress


class NoProgress:
    """The progress display when there is none to show (``--quiet``, stderr not a TTY)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        return None

    def advance(self, _count: int) -> None:
        return None


def rate_and_eta(fresh: int, left: int, elapsed: float) -> tuple[str, str]:
    """The rate and the time left, from the segments computed by this run (``fresh``) in
    ``elapsed`` seconds and the segments still to do (``left``): segments taken from the
    store count in neither, so a resumed run does not report their instant "speed"."""
    if fresh <= 0 or elapsed <= 0:
        return "", "-:--:--"
    rate = fresh / elapsed
    seconds = round(max(left, 0) / rate)
    hours, rest = divmod(seconds, 3600)
    return f"{rate:,.0f} seg/s", f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


class Progress:
    """A rich progress bar on stderr: done/total (stored segments included), and the rate
    and ETA of this run's own work (see :func:`rate_and_eta`)."""

    def __init__(self, total: int, stored: int = 0) -> None:
        self._progress = RichProgress(
            TextColumn("audit"),
            BarColumn(),
            TaskProgressColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA {task.fields[eta]}"),
            console=Console(stderr=True),
            transient=False,
        )
        self._left = total - stored
        self._fresh = 0
        self._started = 0.0
        # completed= sets the bar without a speed sample: stored work has no rate.
        self._task = self._progress.add_task(
            "audit", total=total, completed=stored, rate="", eta="-:--:--"
        )

    def __enter__(self):
        self._started = time.monotonic()
        self._progress.__enter__()
        return self

    def __exit__(self, *exc_info) -> None:
        self._progress.__exit__(*exc_info)

    def advance(self, count: int) -> None:
        self._fresh += count
        rate, eta = rate_and_eta(
            self._fresh, self._left - self._fresh, time.monotonic() - self._started
        )
        self._progress.update(self._task, advance=count, rate=rate, eta=eta)


def progress(total: int, show: bool, stored: int = 0):
    """The progress display: ``total`` segments, ``stored`` of them done before this run."""
    return Progress(total, stored) if show else NoProgress()
