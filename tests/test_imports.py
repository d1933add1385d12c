"""Data flows one way: no module of papergraph imports, directly or through others, a module that imports it.

Imports inside functions count too (they are how a command defers a heavy library, not a way around a
cycle). Shared helpers live in leaf modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import papergraph

PKG = Path(papergraph.__file__).parent


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> nx.DiGraph:
    D = nx.DiGraph()
    modules = {module_name(p): p for p in PKG.rglob("*.py")}
    for name, path in modules.items():
        D.add_node(name)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
            for t in targets:
                if t in modules and t != name:
                    D.add_edge(name, t)
    return D


def test_the_import_graph_has_no_cycle():
    D = import_graph()
    # a package's __init__ re-exporting its own submodules is not a cycle of the code's data flow
    for pkg in [n for n in D if (PKG.parent / n.replace(".", "/") / "__init__.py").exists()]:
        D.remove_edges_from([(pkg, m) for m in list(D.successors(pkg)) if m.startswith(pkg + ".")])
    cycles = sorted(" → ".join(c + [c[0]]) for c in nx.simple_cycles(D) if len(c) < 8)
    assert cycles == [], "\n".join(cycles[:20])


def test_the_core_imports_no_ui_and_no_heavy_library():
    for name in ("papergraph.core", "papergraph.orderindex", "papergraph.names"):
        src = (PKG.parent / (name.replace(".", "/") + ".py")).read_text(encoding="utf-8")
        mods = {a.name.split(".")[0] for n in ast.walk(ast.parse(src)) if isinstance(n, ast.Import) for a in n.names}
        mods |= {(n.module or "").split(".")[0] for n in ast.walk(ast.parse(src))
                 if isinstance(n, ast.ImportFrom) and not n.level}
        assert not mods & {"networkx", "pandas", "numpy", "rdflib", "pyvis", "streamlit", "click"}, (name, mods)
