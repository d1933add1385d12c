"""Hostile shapes of input (issue 14): graphs and files whose naive handling grows with the square of their size.

Each function writes ``nodes.csv`` and ``edges.csv`` (or one RDF file) of a
given size into a directory; ``bench/run.py`` times papergraph on them
against a linear baseline, and ``tests/test_hostile.py`` runs small sizes.

* :func:`concept_chain` — ``n`` concepts, each requiring the one before; the
  last paper requires the last concept, every concept is introduced by its
  own paper: ``prereqs`` of the last paper lists ``n`` papers whose reason
  chains share one long path.
* :func:`builds_on_chain` — ``n`` papers, each building on the one before.
* :func:`many_labels_ttl` — one subject with ``n`` English labels (``import``
  reports one clash per extra label, located once each).
* :func:`wide_header` — a ``nodes.csv`` header of ``n`` columns.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["builds_on_chain", "concept_chain", "many_labels_ttl", "wide_header"]

_NODES = "id,kind,label_en,year\n"
_EDGES = "source,target,relation\n"


def _write(d: Path, nodes: list[str], edges: list[str]) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    (d / "nodes.csv").write_text(_NODES + "".join(nodes), encoding="utf-8")
    (d / "edges.csv").write_text(_EDGES + "".join(edges), encoding="utf-8")
    return d


def concept_chain(d: Path, n: int) -> Path:
    """``c0 ← c1 ← … ← c{n-1}`` (each requires the one before), ``pi`` introduces ``ci``, ``top`` requires the last."""
    nodes = [f"c{i},concept,Concept {i},\n" for i in range(n)]
    nodes += [f"p{i},paper,Paper {i},2000\n" for i in range(n)]
    nodes.append("top,paper,Top,2001\n")
    edges = [f"c{i},c{i - 1},requires\n" for i in range(1, n)]
    edges += [f"p{i},c{i},introduces\n" for i in range(n)]
    edges.append(f"top,c{n - 1},requires\n")
    return _write(d, nodes, edges)


def builds_on_chain(d: Path, n: int) -> Path:
    """``p0 ← p1 ← … ← p{n-1}``: each paper builds on the one before (all in one year)."""
    nodes = [f"p{i},paper,Paper {i},2000\n" for i in range(n)]
    edges = [f"p{i},p{i - 1},builds_on\n" for i in range(1, n)]
    return _write(d, nodes, edges)


def many_labels_ttl(path: Path, n: int) -> Path:
    """One pg:Paper with ``n`` different English labels."""
    lines = ["@prefix pg: <https://w3id.org/papergraph/ns#> .\n",
             "<https://w3id.org/papergraph/paper/a> a pg:Paper ;\n"]
    lines += [f'  pg:label "Label {i}"@en ;\n' for i in range(n)]
    lines.append('  pg:id "a" .\n')
    path.write_text("".join(lines), encoding="utf-8")
    return path


def wide_header(d: Path, n: int) -> Path:
    """A ``nodes.csv`` whose header has ``n`` columns (one row)."""
    d.mkdir(parents=True, exist_ok=True)
    extra = [f"x{i}" for i in range(max(0, n - 3))]
    (d / "nodes.csv").write_text(",".join(["id", "kind", "label_en", *extra]) + "\n"
                                 + ",".join(["a", "paper", "A", *[""] * len(extra)]) + "\n", encoding="utf-8")
    (d / "edges.csv").write_text(_EDGES, encoding="utf-8")
    return d
