"""Hostile input (issue 14): golden cases, one directory each, and the cases a directory cannot hold.

Each ``tests/hostile/<case>/`` holds ``command`` (the arguments, run in a copy
of the directory), optional ``setup`` (special files made before the run, one
per line: ``fifo PATH``, ``socket PATH``, ``mkdir PATH``, ``symlink PATH
TARGET``, ``bigcell PATH N`` (a nodes.csv with one cell of N bytes), ``wide
PATH N`` (a nodes.csv header of N columns), ``env NAME VALUE``), any input
files, and ``expected.txt``: the exact standard error. Every case must exit 1
without a traceback, and leave the directory exactly as it was: nothing
written, replaced or left half-done.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HERE, ROOT, run
from hypothesis import given, settings
from hypothesis import strategies as st

CASES = sorted(p for p in (HERE / "hostile").iterdir() if p.is_dir())


def _setup(work: Path, monkeypatch) -> list[socket.socket]:
    keep = []
    setup = work / "setup"
    lines = setup.read_text(encoding="utf-8").splitlines() if setup.exists() else []
    for line in lines:
        op, *args = line.split()
        path = work / args[0] if args else None
        if path is not None and op != "env":
            path.parent.mkdir(parents=True, exist_ok=True)
        if op == "fifo":
            os.mkfifo(path)
        elif op == "socket":
            s = socket.socket(socket.AF_UNIX)
            s.bind(str(path))
            keep.append(s)
        elif op == "mkdir":
            path.mkdir(parents=True)
        elif op == "symlink":
            os.symlink(args[1], path)
        elif op == "bigcell":
            path.write_text("id,kind,label_en\na,paper," + "x" * int(args[1]) + "\n", encoding="utf-8")
        elif op == "wide":
            n = int(args[1])
            path.write_text(",".join(["id", "kind", "label_en"] + [f"x{i}" for i in range(n - 3)]) + "\n",
                            encoding="utf-8")
        elif op == "env":
            monkeypatch.setenv(args[0], args[1])
        else:
            raise ValueError(f"unknown setup step {line!r}")
    return keep


def _tree(work: Path) -> dict:
    """Every path under ``work``: its type, link target, size and mtime (what a write would change)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(work):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st_ = os.lstat(p)
            out[str(p.relative_to(work))] = (stat.S_IFMT(st_.st_mode), os.readlink(p) if p.is_symlink() else None,
                                             st_.st_size if stat.S_ISREG(st_.st_mode) else None, st_.st_mtime_ns)
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_hostile_input_gets_one_line_per_problem_and_changes_nothing(case, runner, tmp_path, monkeypatch):
    work = tmp_path / case.name
    shutil.copytree(case, work, ignore=shutil.ignore_patterns("expected.txt"))
    keep = _setup(work, monkeypatch)
    monkeypatch.chdir(work)
    before = _tree(work)
    try:
        result = run(runner, *shlex.split((work / "command").read_text(encoding="utf-8")))
    finally:
        for s in keep:
            s.close()
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    assert result.stderr == (case / "expected.txt").read_text(encoding="utf-8")
    assert _tree(work) == before


# ------------------------------------------------------------------ outputs

def _cli(*args, **kw):
    env = {**os.environ, **kw.pop("env", {})}
    return subprocess.run([sys.executable, "-m", "papergraph", *map(str, args)], capture_output=True, env=env,
                          timeout=300, **kw)


def test_full_disk_on_standard_output_is_one_line():
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "papergraph", "prereqs", "dit"], stdout=full,
                           stderr=subprocess.PIPE, text=True, timeout=300)
    assert r.returncode == 1
    assert r.stderr == "Error: cannot write to standard output: No space left on device\n"


def test_closed_pipe_on_standard_output_is_quiet():
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line is written (as after `| head -1`)
    p = subprocess.Popen([sys.executable, "-m", "papergraph", "prereqs", "dit"], stdout=write,
                         stderr=subprocess.PIPE)
    os.close(write)
    err = p.stderr.read().decode()
    assert p.wait(timeout=300) == 1
    assert err == ""


def test_dash_writes_to_standard_output(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ttl = run(runner, "export", "-o", "-")
    assert ttl.exit_code == 0 and ttl.stdout.startswith("@prefix")
    page = run(runner, "html", "-o", "-")
    assert page.exit_code == 0 and page.stdout.startswith("<!DOCTYPE html>") and "wrote standard output" in page.stderr
    md = run(runner, "plan", "--markdown", "-", "--start", "2026-01-05")
    assert md.exit_code == 0 and md.stdout.startswith("# Reading plan")
    assert list(tmp_path.iterdir()) == []


def test_symlinks_are_written_through_and_new_files_get_the_umask_mode(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.symlink("real.ttl", "link.ttl")
    old = os.umask(0o027)
    try:
        assert run(runner, "export", "-o", "link.ttl").exit_code == 0
        assert run(runner, "export", "-o", "new.ttl").exit_code == 0
    finally:
        os.umask(old)
    assert os.readlink("link.ttl") == "real.ttl"
    assert Path("real.ttl").read_text(encoding="utf-8").startswith("@prefix")
    assert stat.S_IMODE(os.stat("new.ttl").st_mode) == 0o640
    os.chmod("new.ttl", 0o604)  # an existing file keeps its mode
    assert run(runner, "export", "-o", "new.ttl").exit_code == 0
    assert stat.S_IMODE(os.stat("new.ttl").st_mode) == 0o604
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.ttl", "new.ttl", "real.ttl"]


def test_import_writes_both_files_or_neither(runner, tmp_path):
    ttl = HERE / "hostile" / "import-directory-in-the-way" / "g.ttl"
    r = run(runner, "import", ttl, "-o", tmp_path / "a" / "b")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == ["edges.csv", "nodes.csv"]
    (tmp_path / "c").write_text("")
    r = run(runner, "import", ttl, "-o", tmp_path / "c" / "d")
    assert r.exit_code == 1 and r.stderr.count("cannot write") == 1
    r = run(runner, "import", ttl, "-o", tmp_path / "new" / "deeper")
    assert r.exit_code == 0
    r = run(runner, "import", HERE / "hostile" / "import-empty-file" / "empty.ttl", "-o", tmp_path / "none" / "x")
    assert r.exit_code == 1 and not (tmp_path / "none").exists()


# ------------------------------------------------------------------ the cache

def _graph(tmp_path: Path) -> Path:
    d = tmp_path / "g"
    d.mkdir()
    (d / "nodes.csv").write_text("id,kind,label_en,year\na,paper,A,2014\nb,paper,B,2015\n", encoding="utf-8")
    (d / "edges.csv").write_text("source,target,relation\nb,a,builds_on\n", encoding="utf-8")
    return d


def test_cache_directory_is_private_and_holds_no_pickle_it_did_not_sign(tmp_path, monkeypatch):
    from papergraph.load import load_graph, open_graph

    cache = tmp_path / "cache"
    monkeypatch.setenv("PAPERGRAPH_CACHE_DIR", str(cache))
    d = _graph(tmp_path)
    assert "a" in open_graph(d)
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(cache / "key").st_mode) == 0o600
    for f in cache.glob("*"):
        if f.is_file():
            assert stat.S_IMODE(f.stat().st_mode) & 0o077 == 0, f
    # a planted pickle that would run code is never unpickled: the signature does not match
    marker = tmp_path / "ran"
    planted = (b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR.")
    for f in cache.glob("*.pickle"):
        f.write_bytes(b"\0" * 32 + planted)
    assert "a" in load_graph(d)
    assert not marker.exists()
    # nor does the query cache hold pickles: its blobs are JSON
    (view,) = cache.glob("*.sqlite")
    con = sqlite3.connect(view)
    blobs = [b for (b,) in con.execute("SELECT data FROM node")]
    con.close()
    assert all(isinstance(json.loads(b), dict) for b in blobs)


@pytest.mark.parametrize("how", ["group-writable", "other-writable"])
def test_a_cache_directory_others_may_write_is_not_used(tmp_path, monkeypatch, how):
    cache = tmp_path / "cache"
    cache.mkdir()
    os.chmod(cache, 0o770 if how == "group-writable" else 0o707)
    env = {"PAPERGRAPH_CACHE_DIR": str(cache)}
    d = _graph(tmp_path)
    r = _cli("prereqs", "b", "--data", d, env=env, text=True)
    assert r.returncode == 0 and "A" in r.stdout
    assert r.stderr.startswith(f"warning: not using the cache {cache}: writable by others")
    assert r.stderr.count("\n") == 1
    assert list(cache.iterdir()) == []


def test_a_cache_file_of_another_user_is_ignored(tmp_path, monkeypatch):
    from papergraph.cache import trusted_file

    f = tmp_path / "f"
    f.write_text("x")
    os.chmod(f, 0o666)
    assert not trusted_file(f)
    os.chmod(f, 0o600)
    assert trusted_file(f)
    if os.geteuid() == 0:  # root can give a file away and check it is refused
        os.chown(f, 12345, -1)
        assert not trusted_file(f)


def test_a_damaged_query_cache_is_rebuilt_not_an_error_forever(tmp_path, monkeypatch):
    from papergraph.load import open_graph
    from papergraph.query import prerequisites

    cache = tmp_path / "cache"
    monkeypatch.setenv("PAPERGRAPH_CACHE_DIR", str(cache))
    d = _graph(tmp_path)
    open_graph(d)
    (view,) = cache.glob("*.sqlite")
    G = open_graph(d)  # opened while whole: the damage shows only when a page is read
    raw = bytearray(view.read_bytes())
    for i in range(4096, len(raw), 4096):
        raw[i:i + 4096] = b"\x0d" * 4096
    view.write_bytes(bytes(raw))
    assert prerequisites(G, "b").papers == ["a"]
    assert prerequisites(open_graph(d), "b").papers == ["a"]


# ------------------------------------------------------------------ the app's progress upload

def test_deeply_nested_progress_upload_is_a_message(seed):
    from papergraph.errors import PapergraphError
    from papergraph.exports import read_progress

    with pytest.raises(PapergraphError, match="nested too deeply"):
        read_progress(seed, b"[" * 100_000 + b"]" * 100_000)


# ------------------------------------------------------------------ spreadsheets

def test_spreadsheet_csvs_neutralise_formulas_and_data_csvs_stay_exact(seed, runner):
    import csv
    import datetime as dt
    import io

    from papergraph.exports import csv_tables, schedule_csv
    from papergraph.plan import schedule

    G = seed.copy()
    G.nodes["dit"]["label_en"] = "=HYPERLINK(\"http://x\")"
    G.nodes["dit"]["label_zh"] = "@SUM(A1)"
    rows = list(csv.reader(io.StringIO(schedule_csv(G, schedule(G, ["dit"], dt.date(2026, 1, 5))).decode("utf-8-sig"))))
    assert rows[1][5] == "'=HYPERLINK(\"http://x\")" and rows[1][6] == "'@SUM(A1)"
    nodes = csv_tables(G)["nodes.csv"].decode("utf-8")
    assert '"=HYPERLINK(""http://x"")"' in nodes and ",@SUM(A1)," in nodes
    r = run(runner, "query", 'SELECT ?x WHERE { VALUES ?x { "=1+2" "-3" "+cmd" "ok" } }', "--format", "csv")
    assert r.stdout.splitlines() == ["x", "'=1+2", "-3", "'+cmd", "ok"]


@given(st.text())
def test_no_spreadsheet_cell_starts_a_formula(text):
    from papergraph.textout import _NUMBER, spreadsheet_cell

    out = spreadsheet_cell(text)
    assert out in (text, "'" + text)
    if out == text:  # unchanged: it starts no formula, or it is a plain number such as -3
        assert not text.startswith(("=", "+", "-", "@", "\t", "\r")) or _NUMBER.fullmatch(text)


@given(st.text())
def test_visible_text_holds_no_terminal_control(text):
    from papergraph.textout import CONTROL, visible

    out = visible(text)
    assert not CONTROL.search(out)
    assert out == text or "\\x" in out


# ------------------------------------------------------------------ bounded work on hostile shapes

sys.path.insert(0, str(ROOT / "bench"))
import shapes  # noqa: E402


@settings(max_examples=5, deadline=None)
@given(st.integers(20, 300))
def test_a_long_concept_chain_gives_short_listing_lines(tmp_path_factory, n):
    from papergraph.cli_common import MAX_CHAIN_SHOWN

    d = shapes.concept_chain(tmp_path_factory.mktemp("chain"), n)
    r = _cli("prereqs", "top", "--data", d, "--limit", "5", text=True)
    assert r.returncode == 0, r.stderr
    why = [line for line in r.stdout.splitlines() if line.strip().startswith("why:")]
    assert len(why) == 5
    assert all(line.count("→") <= 2 * MAX_CHAIN_SHOWN for line in why)
    assert f"{n - 5} more not shown" in r.stdout


@settings(max_examples=5, deadline=None)
@given(st.integers(20, 300))
def test_a_long_builds_on_chain_is_listed_within_the_limit(tmp_path_factory, n):
    d = shapes.builds_on_chain(tmp_path_factory.mktemp("chain"), n)
    r = _cli("unlocks", "p0", "--data", d, "--limit", "10", text=True)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 1 + 10 + 1
    assert len(r.stdout) < 10 * 400


@settings(max_examples=5, deadline=None)
@given(st.integers(2, 400))
def test_every_extra_label_of_one_subject_is_reported_on_its_own_line(tmp_path_factory, n):
    from papergraph.errors import DataError
    from papergraph.rdf.importer import read_rdf

    f = shapes.many_labels_ttl(tmp_path_factory.mktemp("labels") / "l.ttl", n)
    with pytest.raises(DataError) as info:
        read_rdf(f)
    lines = sorted(p.line for p in info.value.problems)
    assert lines == list(range(4, n + 3))


def test_input_limit_is_checked_before_reading(tmp_path, monkeypatch):
    from papergraph.files import InputError, read_input

    f = tmp_path / "f"
    f.write_bytes(b"x" * 100)
    monkeypatch.setenv("PAPERGRAPH_MAX_INPUT_BYTES", "99")
    with pytest.raises(InputError, match="over the input limit"):
        read_input(f)
    monkeypatch.setenv("PAPERGRAPH_MAX_INPUT_BYTES", "100")
    assert read_input(f) == b"x" * 100
    with pytest.raises(FileNotFoundError):
        read_input(tmp_path / "missing")
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(InputError, match="FIFO"):
        read_input(tmp_path / "fifo")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40),
                 st.text(st.characters(min_codepoint=0x10F0, max_codepoint=0x40010), max_size=40)))
def test_width_counts_wide_characters_twice(text):
    import unicodedata

    from papergraph.textout import width

    assert width(text) == sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
