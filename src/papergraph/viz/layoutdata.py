"""The :class:`Layout` of a map: where every node sits (a leaf: computed by placement, kept by persist)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Layout"]


@dataclass
class Layout:
    """Where every node sits, computed once per graph.

    Attributes
    ----------
    pos
        ``{node: (x, y)}``.
    column
        ``{node: column}``: ``-1`` is background knowledge, ``0…`` the
        stages (or reading generations), then papers without a stage.
    home
        ``{node: stage or None}``: a paper's stage, a concept's first
        introducer's stage, a stage itself.
    rank
        ``{node: i}``: reading position on the map, column by column.
    headers
        ``[(kind, column, x, y)]`` for the columns that have no stage node
        (``"background"``, ``"unstaged"``).
    stages
        The stage ids in order.
    by_kind
        ``{kind: [node]}`` in the graph's order.
    members
        ``{stage: {"papers": [...], "questions": [...]}}``: what each stage holds.
    cap_order
        Every node in the order a capped map keeps them: the stages, then
        column by column (a background node with the first stage that needs
        it), in reading position.
    background
        Whether some concept is background knowledge (introduced by no paper).
    """

    pos: dict[str, tuple[float, float]]
    column: dict[str, int]
    home: dict[str, str | None]
    rank: dict[str, int]
    headers: list[tuple[str, int, float, float]] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    by_kind: dict[str, list[str]] = field(default_factory=dict)
    members: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    cap_order: list[str] = field(default_factory=list)
    background: bool = False
