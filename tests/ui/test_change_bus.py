"""The change bus broadcasts what an operation changed as soon as the operation has ended, and
gathers what follows within COALESCE_MS into one later batch (the clock is the test's)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from reader.model import Changed
from tests.ui.conftest import WAIT_MS
from ui.core.change_bus import COALESCE_MS, ChangeBus, Changes


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _bus() -> tuple[ChangeBus, Clock, list[Changes]]:
    clock = Clock()
    bus = ChangeBus(clock=clock)
    batches: list[Changes] = []
    bus.changed.connect(batches.append)
    return bus, clock, batches


def test_an_operations_changes_go_out_when_it_ends(qtbot: QtBot) -> None:
    bus, _clock, batches = _bus()
    bus.on_worker_changed(Changed.HIGHLIGHTS)
    bus.on_worker_changed(Changed.TAGS)
    assert batches == []
    bus.on_worker_operationEnded()
    # At once, in the same turn of the event loop: no timer stands between.
    assert [b.kinds for b in batches] == [frozenset({Changed.HIGHLIGHTS, Changed.TAGS})]
    bus.on_worker_operationEnded()  # an operation that changed nothing sends nothing
    assert len(batches) == 1


def test_operations_close_together_are_gathered_into_one_later_batch(qtbot: QtBot) -> None:
    bus, clock, batches = _bus()
    bus.on_worker_changed(Changed.READ)
    bus.on_worker_operationEnded()
    clock.now += COALESCE_MS / 4000
    bus.on_worker_changed(Changed.READ)
    bus.on_worker_operationEnded()
    clock.now += COALESCE_MS / 4000
    bus.on_worker_changed(Changed.STORIES)
    bus.on_worker_operationEnded()
    assert len(batches) == 1, "the two later operations wait for the interval to pass"
    qtbot.waitUntil(lambda: len(batches) == 2, timeout=WAIT_MS)
    assert batches[1].kinds == frozenset({Changed.READ, Changed.STORIES})


def test_once_the_interval_has_passed_the_next_operation_goes_out_at_once(qtbot: QtBot) -> None:
    bus, clock, batches = _bus()
    bus.on_worker_changed(Changed.NOTES)
    bus.on_worker_operationEnded()
    clock.now += COALESCE_MS / 1000 + 0.001
    bus.on_worker_changed(Changed.NOTES)
    bus.on_worker_operationEnded()
    assert len(batches) == 2


def test_a_change_no_operation_end_follows_still_goes_out(qtbot: QtBot) -> None:
    bus, _clock, batches = _bus()
    bus.on_worker_changed(Changed.SUBSCRIPTIONS)
    qtbot.waitUntil(lambda: bool(batches), timeout=WAIT_MS)
    assert batches[0].kinds == frozenset({Changed.SUBSCRIPTIONS})
