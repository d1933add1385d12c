"""Whether a list of "read before" pairs has a cycle, fast on half a million pairs.

The loader checks every graph for cycles among the order relations before it
builds anything, and almost every graph has none; only then does it ask
NetworkX to name the cycles. This module answers the yes/no question with
Kahn's algorithm run a layer at a time on NumPy arrays: the nodes whose
prerequisites are all gone leave together, and their out-edges are removed
with one array operation per layer. A long chain (many thin layers) would
make that one NumPy call per node, so once a layer is thin the rest runs as
plain Python over the same arrays. Either way the cost is about linear in the
number of pairs.

Examples
--------
>>> is_acyclic(["a", "b"], ["b", "c"])
True
>>> is_acyclic(["a", "b", "c"], ["b", "c", "a"])
False
>>> is_acyclic([], [])
True
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["is_acyclic"]

#: A layer with fewer nodes than this is cheaper to peel in plain Python.
THIN = 64


def is_acyclic(before: Sequence[str], after: Sequence[str]) -> bool:
    """Whether the edges ``before[i] → after[i]`` form no directed cycle.

    Parameters
    ----------
    before, after : sequences of hashable node names, the same length
        Edge ``i`` says ``before[i]`` comes before ``after[i]``. A self-loop
        (``before[i] == after[i]``) is a cycle. Two NumPy arrays of
        non-negative integers (node numbers) skip the numbering step.

    Returns
    -------
    bool

    Raises
    ------
    ValueError
        If the two sequences differ in length.

    Examples
    --------
    >>> is_acyclic(["x"], ["x"])
    False
    >>> is_acyclic(["a", "a", "b"], ["b", "c", "c"])
    True
    >>> import numpy as np
    >>> is_acyclic(np.array([0, 1]), np.array([1, 0]))
    False
    """
    import numpy as np
    import pandas as pd

    if len(before) != len(after):
        raise ValueError(f"{len(before)} sources but {len(after)} targets")
    m = len(before)
    if m == 0:
        return True
    numbered = all(isinstance(x, np.ndarray) and x.dtype.kind in "iu" for x in (before, after))
    if numbered:
        u, v = before.astype(np.int64, copy=False), after.astype(np.int64, copy=False)
        n = int(max(u.max(), v.max())) + 1
    else:
        codes, names = pd.factorize(np.asarray(list(before) + list(after), dtype=object), sort=False)
        n = len(names)
        u, v = codes[:m], codes[m:]
    by_source = np.argsort(u, kind="stable")
    heads = v[by_source]  # out-neighbours of every node, grouped by node
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(u, minlength=n), out=start[1:])
    indeg = np.bincount(v, minlength=n)
    layer = np.flatnonzero(indeg == 0)
    removed = 0
    while len(layer) >= THIN:
        lo, hi = start[layer], start[layer + 1]
        width = hi - lo
        total = int(width.sum())
        if not total:
            return removed == m
        # positions lo..hi-1 of every node of the layer, as one array
        offsets = np.repeat(lo - np.cumsum(width) + width, width) + np.arange(total)
        targets = heads[offsets]
        removed += total
        hit, times = np.unique(targets, return_counts=True)
        indeg[hit] -= times
        layer = hit[indeg[hit] == 0]
    # the thin rest: Kahn's algorithm on plain lists
    start_, heads_, left = start.tolist(), heads.tolist(), indeg.tolist()
    stack = layer.tolist()
    while stack:
        x = stack.pop()
        for i in range(start_[x], start_[x + 1]):
            y = heads_[i]
            removed += 1
            left[y] -= 1
            if not left[y]:
                stack.append(y)
    return removed == m
