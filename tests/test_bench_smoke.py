"""Keep the benchmark suite working: a tiny run of bench/run.py (seed graph and 1k papers).

The benchmark itself is not a test: on a shared machine its figures are not
stable enough to fail a build on. This only checks that every measurement
still runs and that the table has a row for each target of issue #6.
"""

import re
import subprocess
import sys

from conftest import ROOT


def test_bench_smoke_run(tmp_path):
    out = tmp_path / "report.md"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "seed,1k", "--repeat", "1",
                             "--out", str(out)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "Traceback" not in result.stderr
    text = out.read_text(encoding="utf-8")
    assert text == result.stdout
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| ---")]
    targets = {re.match(r"\| (\d)", r).group(1) for r in rows if re.match(r"\| \d ", r)}
    assert targets == {str(i) for i in range(1, 10)}, rows
    assert sum(r.startswith("| H ") for r in rows) == 4, rows  # the hostile shapes of issue 14
    assert sum(r.startswith("| C ") for r in rows) == 8, rows  # the order index's commands of issue 11
    assert sum(r.startswith("| S ") for r in rows) == 2, rows  # questions from a store (issue 15), seed and 1k
    assert "Machine:" in text and "CPUs" in text
    for row in rows[1:]:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
        assert len(cells) == 8 and cells[6] in ("met", "NOT met", "info", "not measured"), row


def test_generator_says_why_it_cannot_write_and_leaves_nothing_half_written(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    gen = [sys.executable, str(ROOT / "bench" / "generate.py"), "--papers", "20"]
    result = subprocess.run([*gen, "-o", str(blocker / "out")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"cannot write into {blocker / 'out'}" in result.stderr
    out = tmp_path / "graph"
    assert subprocess.run([*gen, "-o", str(out)], capture_output=True, timeout=120).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]  # no temporary file left
    bad = subprocess.run([*gen[:-1], "3", "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--papers must be at least 10" in bad.stderr


def test_runner_refuses_bad_arguments_before_it_measures(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    run = [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "seed"]
    for args, says in ((["--repeat", "0"], "must be at least 1"),
                       (["--only", "cli,maps"], "unknown measurement(s) 'maps'"),
                       (["--sizes", "seed,2k"], "unknown size(s): 2k"),
                       (["--out", str(blocker / "r.md")], "is not a writable directory")):
        result = subprocess.run([*run, *args], capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert result.returncode == 2 and says in result.stderr and "Traceback" not in result.stderr, args
        assert result.stdout == ""  # nothing was measured
