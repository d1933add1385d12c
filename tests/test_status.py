"""A status line on standard error for every command that can run long on a big graph.

On a terminal, with a big input, each of these commands shows what it is
doing while it works, and takes the line away before it prints its answer.
The seed graph is made to count as big and the terminal is faked; the
status line itself is recorded rather than drawn.
"""

import pytest
from conftest import ROOT, run

from papergraph import status as status_mod


class Recorder:
    """Stands in for rich's Status: records what is shown and whether output came while it was."""

    events: list

    def __init__(self, events):
        self.events = events
        self.status = "papergraph"

    def start(self):
        self.events.append(("start", None))

    def update(self, text):
        self.status = text
        self.events.append(("update", text))

    def stop(self):
        self.events.append(("stop", None))


@pytest.fixture
def shown(monkeypatch):
    events = []

    class Console:
        def status(self, *a, **k):
            return Recorder(events)

    monkeypatch.setattr(status_mod, "BIG_NODES", 1)
    monkeypatch.setattr(status_mod, "BIG_BYTES", 1)
    monkeypatch.setattr(status_mod, "_on_terminal", lambda: True)
    monkeypatch.setattr(status_mod, "_console", lambda: Console())
    from papergraph import core

    monkeypatch.setattr(core, "ONE_PASS_FROM", 0)  # check-order takes its big-list path (same answers)
    return events


@pytest.mark.parametrize("args, says", [
    (["stats"], "counting"),
    (["order"], "ordering the papers"),
    (["next", "--read", "word2vec"], "what can be read next"),
    (["check-order", "--guide"], "checking"),
    (["stage", "2"], "building the card of stage 2"),
    (["plan", "--target", "dit", "--start", "2026-01-05"], "scheduling"),
    (["export", "--format", "nt"], "writing nt"),
    (["query", "--example", "prerequisites"], "running the query"),
    (["html", "-o", "{tmp}/map.html"], "drawing the map"),
])
def test_long_commands_show_what_they_do_then_clear_the_line(runner, tmp_path, shown, args, says):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = run(runner, *args, "--data", ROOT / "graph")
    assert result.exit_code in (0, 1), result.output
    messages = [text for what, text in shown if what == "update"]
    assert any(says in m for m in messages), messages
    starts = sum(1 for what, _ in shown if what == "start")
    assert starts >= 1 and starts == sum(1 for what, _ in shown if what == "stop")
    assert result.output  # the answer is still printed, after the line is gone


def test_import_shows_the_file_it_reads(runner, tmp_path, shown):
    ttl = tmp_path / "g.ttl"
    assert run(runner, "export", "-o", ttl, "--data", ROOT / "graph").exit_code == 0
    shown.clear()
    result = run(runner, "import", ttl, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert any("reading" in (text or "") and "g.ttl" in (text or "") for _, text in shown)


def test_no_line_off_a_terminal_or_for_a_small_input(monkeypatch):
    events = []

    class Console:
        def status(self, *a, **k):
            return Recorder(events)

    monkeypatch.setattr(status_mod, "_console", lambda: Console())
    for terminal, big in ((False, True), (True, False)):
        monkeypatch.setattr(status_mod, "_on_terminal", lambda t=terminal: t)
        with status_mod.busy(status_mod.BIG_BYTES if big else 10, "working"):
            pass
    assert events == []
    monkeypatch.setattr(status_mod, "_on_terminal", lambda: True)
    with status_mod.busy(status_mod.BIG_BYTES, "working"):
        with status_mod.busy(status_mod.BIG_BYTES, "inner step"):  # nested: updates the same line
            pass
    assert [e[0] for e in events] == ["start", "update", "update", "update", "stop"]
