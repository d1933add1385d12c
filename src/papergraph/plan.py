"""Dated study schedules, and their iCalendar and Markdown forms.

Pacing
------
Each stage has the guide's suggested weeks (``weeks_min``–``weeks_max``).
A stage's time is the midpoint of that range, shared equally among *all*
the papers the guide lists in that stage, so a paper's share does not depend
on which other papers a plan happens to include. The guide's weeks assume
:data:`BASE_HOURS_PER_WEEK` hours of study a week; with ``hours_per_week``
the durations scale by ``BASE_HOURS_PER_WEEK / hours_per_week``. A paper with
no stage (or a stage without weeks) gets :data:`DEFAULT_DAYS`. Every paper
gets at least one day. Papers follow each other with no gap.

Examples
--------
>>> import datetime as dt, networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("s", kind="stage", order=1, weeks_min=1, weeks_max=3, label_en="S")
>>> for p in ("a", "b"):
...     G.add_node(p, kind="paper", label_en=p.upper())
...     _ = G.add_edge(p, "s", "in_stage", relation="in_stage")
>>> [(i.paper, str(i.start), i.days) for i in schedule(G, ["a", "b"], dt.date(2026, 1, 5))]
[('a', '2026-01-05', 7), ('b', '2026-01-12', 7)]
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from .errors import PapergraphError
from .query import label, stage_of

__all__ = ["BASE_HOURS_PER_WEEK", "DEFAULT_DAYS", "Item", "paper_days", "schedule", "to_ics", "to_markdown"]

#: Study hours a week that the guide's suggested weeks assume.
BASE_HOURS_PER_WEEK = 10
#: Days for a paper whose stage gives no weeks.
DEFAULT_DAYS = 7


@dataclass(frozen=True)
class Item:
    """One paper in a schedule: read from ``start`` up to (not including) ``end``."""

    paper: str
    start: dt.date
    end: dt.date
    stage: str | None

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def _stage_size(G, stage: str) -> int:
    return sum(1 for s, _, r in G.in_edges(stage, keys=True) if r == "in_stage" and G.nodes[s].get("kind") == "paper")


#: Most study hours a week can hold.
HOURS_IN_A_WEEK = 168


def paper_days(G, paper: str, hours_per_week: float = BASE_HOURS_PER_WEEK, _sizes: dict | None = None) -> int:
    """Days of study the pacing rule gives ``paper``."""
    if not isinstance(hours_per_week, (int, float)) or not math.isfinite(hours_per_week) \
            or not 0 < hours_per_week <= HOURS_IN_A_WEEK:
        raise PapergraphError(f"hours per week must be a number above 0 and at most {HOURS_IN_A_WEEK}, "
                              f"got {hours_per_week}")
    st = stage_of(G, paper)
    days = float(DEFAULT_DAYS)
    if st is not None:
        data = G.nodes[st]
        lo, hi = data.get("weeks_min"), data.get("weeks_max")
        if lo is not None or hi is not None:
            weeks = ((lo if lo is not None else hi) + (hi if hi is not None else lo)) / 2
            if _sizes is None:
                n = _stage_size(G, st)
            else:
                if st not in _sizes:
                    _sizes[st] = _stage_size(G, st)
                n = _sizes[st]
            days = 7 * weeks / max(n, 1)
    return max(1, round(days * BASE_HOURS_PER_WEEK / hours_per_week))


def schedule(G, papers: list[str], start: dt.date, hours_per_week: float = BASE_HOURS_PER_WEEK) -> list[Item]:
    """Dates for reading ``papers`` in the given order, one after another."""
    out, day, sizes = [], start, {}
    for p in papers:
        try:
            end = day + dt.timedelta(days=paper_days(G, p, hours_per_week, sizes))
        except OverflowError:
            raise PapergraphError(f"the plan starting {start.isoformat()} would end after the year "
                                  f"{dt.date.max.year}; choose an earlier --start") from None
        out.append(Item(p, day, end, stage_of(G, p)))
        day = end
    return out


def _link(G, p: str) -> str:
    return G.nodes[p].get("url", "")


def to_ics(G, items: list[Item], reasons: dict[str, list[str]] | None = None) -> bytes:
    """An iCalendar file with one all-day event per paper (RFC 5545)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//papergraph//reading plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "papergraph reading plan / 论文阅读计划")
    for it in items:
        d = G.nodes[it.paper]
        ev = Event()
        ev.add("uid", f"{it.paper}-{it.start.isoformat()}@papergraph")
        ev.add("dtstamp", dt.datetime.combine(it.start, dt.time(0, 0), tzinfo=dt.timezone.utc))
        ev.add("dtstart", it.start)
        ev.add("dtend", it.end)
        ev.add("summary", f"{label(G, it.paper, 'en')} / {label(G, it.paper, 'zh')}")
        lines = [d.get("title", "")]
        if it.stage:
            lines.append(f"Stage / 阶段: {label(G, it.stage, 'en')} / {label(G, it.stage, 'zh')}")
        if reasons and it.paper in reasons:
            lines.append("Needed for / 用于: " + " → ".join(label(G, x) for x in reasons[it.paper]))
        if _link(G, it.paper):
            ev.add("url", _link(G, it.paper))
            lines.append(_link(G, it.paper))
        ev.add("description", "\n".join(x for x in lines if x))
        cal.add_component(ev)
    return cal.to_ical()


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _stage_extras(G, stage: str) -> list[str]:
    from .cards import stage_questions, stage_tools

    out = []
    tools = stage_tools(G, stage)
    if tools:
        out += ["", "**Practise with / 动手练习:**", ""]
        for t in tools:
            url = G.nodes[t].get("url", "")
            name = _md(label(G, t, "en"))
            out.append(f"- [{name}]({url}) · {_md(label(G, t, 'zh'))}" if url else f"- {name} · {_md(label(G, t, 'zh'))}")
    questions = stage_questions(G, stage)
    if questions:
        out += ["", "**Self-check / 自测:**", ""]
        out += [f"- [ ] {_md(q['text_en'])} / {_md(q['text_zh'])}" for q in questions]
    return out


def to_markdown(G, items: list[Item], title: str = "Reading plan / 阅读计划", cards: bool = True) -> str:
    """The schedule as a Markdown table, grouped by stage, with links.

    With ``cards``, each stage's practice tools and self-check questions
    follow its papers.
    """
    out = [f"# {title}", ""]
    if not items:
        return "\n".join(out + ["Nothing left to read. / 没有需要阅读的论文。", ""])
    out += [f"{items[0].start.isoformat()} → {items[-1].end.isoformat()} "
            f"({(items[-1].end - items[0].start).days} days / 天)", ""]
    current = object()
    for it in items:
        if it.stage != current:
            if cards and isinstance(current, str):
                out += _stage_extras(G, current)
            current = it.stage
            head = f"{label(G, it.stage, 'en')} / {label(G, it.stage, 'zh')}" if it.stage else "No stage / 无阶段"
            out += ["", f"## {_md(head)}", "", "| # | Dates / 日期 | Paper / 论文 | 中文 | Days / 天 |",
                    "|---|---|---|---|---|"]
            n = 0
        n += 1
        name = _md(label(G, it.paper, "en"))
        url = _link(G, it.paper)
        cell = f"[{name}]({url})" if url else name
        end = it.end - dt.timedelta(days=1)
        out.append(f"| {n} | {it.start.isoformat()} – {end.isoformat()} | {cell} | "
                   f"{_md(label(G, it.paper, 'zh'))} | {it.days} |")
    if cards and isinstance(current, str):
        out += _stage_extras(G, current)
    return "\n".join(out) + "\n"

