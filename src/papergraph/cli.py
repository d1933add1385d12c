"""The ``papergraph`` command line: a thin layer over the library.

Errors raised on purpose (:class:`~papergraph.errors.PapergraphError`) become
a message on standard error and a non-zero exit status; usage errors exit 2.
Heavy libraries (pandas, rdflib, pyvis, streamlit) are imported only inside
the commands that need them.
"""

from __future__ import annotations

import datetime as dt
import sys

import click

from . import __version__, rdf_commands, viz_commands
from .errors import DataError, PapergraphError
from .status import busy

__all__ = ["cli", "main"]


class _Group(click.Group):
    def invoke(self, ctx):
        out, err = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Visible(out), _Visible(err)
        try:
            return self._invoke(ctx)
        finally:
            sys.stdout, sys.stderr = out, err

    def _invoke(self, ctx):
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
            return result
        except DataError as exc:
            for p in exc.problems:
                click.echo(str(p), err=True)
            n = len(exc.problems)
            click.echo(f"Error: {n} problem{'s' if n != 1 else ''} found.", err=True)
            ctx.exit(1)
        except PapergraphError as exc:
            click.echo(f"Error: {_safe(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:  # standard output full (> /dev/full) or closed (| head)
            _output_failed(ctx, exc)
        except RecursionError:
            click.echo("Error: the input is nested too deeply", err=True)
            ctx.exit(1)


def _safe(text: str) -> str:
    from .textout import visible

    return visible(text)


class _Visible:
    """A text stream that writes control characters (ESC, BEL, NUL, C1…) as ``\\xNN``: see ``textout.visible``."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        from .textout import CONTROL, visible

        if isinstance(text, str) and CONTROL.search(text):
            text = visible(text)
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _output_failed(ctx, exc: OSError):
    import errno
    import os

    try:  # nothing more can reach standard output; keep Python from complaining about it at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    if exc.errno == errno.EPIPE:  # the reader stopped reading (| head): not worth a message
        ctx.exit(1)
    if exc.filename:
        click.echo(f"Error: {_safe(str(exc.filename))}: {exc.strerror or exc}", err=True)
    elif exc.errno in (errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)):
        click.echo(f"Error: cannot write to standard output: {exc.strerror or exc}", err=True)
    else:
        click.echo(f"Error: {exc.strerror or exc}", err=True)
    ctx.exit(1)

    def list_commands(self, ctx):
        return list(self.commands)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="papergraph")
def cli():
    """papergraph: a bilingual knowledge graph of AI papers, concepts and stages.

    \b
    Example:
        papergraph validate
        papergraph prereqs DiT
    """


from .cli_common import _both, _dump, _load, _paper_rows, _split, data_option, endpoint_option, json_option, reason  # noqa: E402

_PAPER_HEAD = ["#", "id", "name · 名称", "year", "stage · 阶段"]


# ---------------------------------------------------------------- foundation

@cli.command()
@data_option
@click.option("--strict", is_flag=True, help="Also require the columns a curated graph fills in.")
@json_option
def validate(data_dir, strict, as_json):
    """Check nodes.csv and edges.csv; print counts by kind and relation.

    Exit status: 0 valid, 1 invalid (every problem is listed as FILE:LINE:
    message), 2 usage error.

    \b
    Example:
        papergraph validate --data my-curriculum/
    """
    from .stats import stats

    G = _load(data_dir, strict=strict, cache=not strict)
    s = stats(G)
    if as_json:
        _dump({"valid": True, **s})
        return
    click.echo(f"{G.graph['data_dir']}: valid")
    _print_stats(s)


def _print_stats(s):
    from .textout import table

    click.echo(table([[k, str(v)] for k, v in s["kinds"].items()], ["kind", "count"]))
    click.echo("")
    click.echo(table([[k, str(v)] for k, v in s["relations"].items()], ["relation", "count"]))


@cli.command("stats")
@data_option
@endpoint_option
@json_option
def stats_cmd(data_dir, as_json):
    """Counts by kind, relation and stage, and the background concepts.

    \b
    Example:
        papergraph stats --json
    """
    from .stats import stats
    from .textout import table

    G = _load(data_dir, lazy=True)
    with busy(G, f"counting {len(G):,} nodes"):
        s = stats(G)
    if as_json:
        _dump(s)
        return
    _print_stats(s)
    click.echo("")
    click.echo(table([[st, _both(G, st), str(n)] for st, n in s["papers_by_stage"].items()],
                     ["stage", "name · 名称", "papers"]))
    click.echo("")
    click.echo(f"background concepts (introduced by no paper): {len(s['background'])}")
    click.echo(f"flagged papers: {', '.join(f'{k} ({v})' for k, v in s['flagged'].items()) or 'none'}")


# ---------------------------------------------------------------- questions

def limit_option(f):
    return click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True,
                        help="List at most this many items per section (0: all); what is cut is counted.")(f)


def _cut_note(shown: int, total: int) -> None:
    if shown < total:
        click.echo(f"  … {total - shown} more not shown (--limit {shown}; --limit 0 lists all)")


_PART = "only the part of the graph this question depends on is fetched."


@cli.command()
@click.argument("paper")
@click.option("--direct", is_flag=True, help="Only immediate prerequisites.")
@limit_option
@data_option
@endpoint_option(scope=lambda kw: ([kw["paper"]], "before"), help_scope=_PART)
@json_option
def prereqs(paper, direct, limit, data_dir, as_json):
    """What must be read before PAPER, and why.

    PAPER is an id, an English or Chinese name, an alias or an arXiv id.

    \b
    Example:
        papergraph prereqs DiT
        papergraph prereqs 1810.04805 --direct --json
    """
    from .query import prerequisites, resolve

    G = _load(data_dir, lazy=True)
    target = resolve(G, paper, kinds=None)
    r = prerequisites(G, target, direct=direct)
    cap = limit or None
    if as_json:
        _dump(r.to_dict(limit=cap))
        return
    click.echo(f"Prerequisites of {_both(G, target)} ({'direct' if direct else 'transitive'}):")
    if not r.papers:
        click.echo("  no prerequisite papers")
    for i, p in enumerate(r.papers[:cap], 1):
        click.echo(f"  {i}. {_both(G, p)} [{p}]")
        click.echo(f"     why: {reason(G, r.why[p])}")
    _cut_note(len(r.papers[:cap]), len(r.papers))
    for head, items in (("Concepts introduced by those papers", r.concepts),
                        ("Background concepts (no paper here introduces them)", r.background),
                        ("Components it uses (learnable from any textbook)", r.components)):
        click.echo(f"{head}: {len(items)}")
        for c in items[:cap]:
            click.echo(f"  - {_both(G, c)} [{c}]")
        _cut_note(len(items[:cap]), len(items))
    if r.recommended:
        click.echo(f"Recommended, not required (they introduce those components): {len(r.recommended)}")
        for p in r.recommended[:cap]:
            click.echo(f"  - {_both(G, p)} [{p}]")
            click.echo(f"     why: {reason(G, r.why[p])}")
        _cut_note(len(r.recommended[:cap]), len(r.recommended))


@cli.command("unlocks")
@click.argument("paper")
@limit_option
@data_option
@endpoint_option(scope=lambda kw: ([kw["paper"]], "after"), help_scope=_PART)
@json_option
def unlocks_cmd(paper, limit, data_dir, as_json):
    """The papers that depend on PAPER, directly and transitively.

    \b
    Example:
        papergraph unlocks Transformer
    """
    from .query import resolve, unlocks

    G = _load(data_dir, lazy=True)
    target = resolve(G, paper, kinds=None)
    u = unlocks(G, target)
    cap = limit or None
    if as_json:
        _dump(u.to_dict(limit=cap))
        return
    click.echo(f"{_both(G, target)} unlocks {len(u.papers)} paper(s), {len(u.direct)} directly:")
    direct = set(u.direct)
    for p in u.papers[:cap]:
        mark = "direct" if p in direct else "later "
        click.echo(f"  [{mark}] {_both(G, p)} [{p}]  ({reason(G, list(reversed(u.why[p])))})")
    _cut_note(len(u.papers[:cap]), len(u.papers))


@cli.command("order")
@click.option("--target", "targets", multiple=True, metavar="PAPER",
              help="Only what these papers need (repeat, or separate with commas).")
@click.option("--read", "read", multiple=True, metavar="PAPER,…", help="Papers already read.")
@click.option("--strategy", type=click.Choice(["guide", "chronological"]), default="guide", show_default=True,
              help="Tie-break among valid orders.")
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True,
              help="Explain at most this many places where a prerequisite overrides the guide (0: all).")
@data_option
@endpoint_option(part="order")
@json_option
def order_cmd(targets, read, strategy, limit, data_dir, as_json):
    """A valid reading order of every paper, or of what the targets need.

    \b
    Example:
        papergraph order
        papergraph order --target DiT --read word2vec,resnet --strategy chronological
    """
    from .order import plan_papers, stage_conflicts
    from .query import resolve_many
    from .textout import table

    G = _load(data_dir, lazy=True)
    tids = resolve_many(G, _split(targets))
    rids = resolve_many(G, _split(read))
    with busy(G, "ordering the papers"):
        papers = plan_papers(G, tids, rids, strategy)
    if as_json:
        _dump({"strategy": strategy, "order": papers})
        return
    click.echo(table(_paper_rows(G, papers), _PAPER_HEAD))
    listed = set(papers)
    conflicts = [c for c in stage_conflicts(G) if c["paper"] in listed]
    if conflicts and strategy == "guide":
        click.echo("\nWhere a prerequisite overrides the guide's stage order:")
        shown = conflicts[:limit] if limit else conflicts
        for c in shown:
            click.echo(f"  {c['paper']} needs {c['needs']}: {reason(G, c['why'])}")
        _cut_note(len(shown), len(conflicts))


@cli.command("next")
@click.option("--read", "read", multiple=True, metavar="PAPER,…", help="Papers already read.")
@data_option
@endpoint_option(part="order")
@json_option
def next_cmd(read, data_dir, as_json):
    """Papers whose prerequisites are all read, and that are not read yet.

    \b
    Example:
        papergraph next --read word2vec,seq2seq,resnet
    """
    from .order import next_papers
    from .query import resolve_many
    from .textout import table

    G = _load(data_dir, lazy=True)
    papers = next_papers(G, resolve_many(G, _split(read)))
    if as_json:
        _dump({"next": papers})
        return
    click.echo(table(_paper_rows(G, papers), _PAPER_HEAD))


@cli.command("check-order")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True), required=False)
@click.option("--guide", is_flag=True, help="Check the guide's own order (stages, then listing order).")
@click.option("--complete", is_flag=True, help="Also require every paper of the graph.")
@data_option
@endpoint_option(part="order")
@json_option
def check_order_cmd(file, guide, complete, data_dir, as_json):
    """Check a reading order: FILE (or - for stdin) lists one paper per line.

    Lines may name a paper by id, name, alias or arXiv id; blank lines and
    lines starting with # are ignored. Exit 1 when the order is not valid.

    \b
    Example:
        papergraph check-order my-order.txt
        papergraph check-order --guide
    """
    from .errors import NotAPaperError, UnknownNameError
    from .order import check_order, guide_order
    from .query import resolve

    if (file is None) == (not guide):
        raise click.UsageError("give either FILE (or -) or --guide")
    lines = _text_lines(file) if file is not None else []
    G = _load(data_dir, lazy=True)
    unknown, ids = [], []
    if guide:
        ids = guide_order(G)
    else:
        for n, line in enumerate(lines, 1):
            name = line.strip()
            if not name or name.startswith("#"):
                continue
            try:
                ids.append(resolve(G, name))
            except (UnknownNameError, NotAPaperError) as exc:
                unknown.append({"line": n, "name": name, "error": str(exc)})
    report = check_order(G, ids, complete=complete)
    report["unknown"] = [u["name"] for u in unknown]
    report["valid"] = report["valid"] and not unknown
    if as_json:
        _dump({"valid": report["valid"],
               "violations": [{k: v[k] for k in ("paper", "needs", "why")} for v in report["violations"]],
               "unknown": report["unknown"], "missing": report["missing"],
               "duplicates": report["duplicates"]})
    else:
        where = "the guide's order" if guide else ("<stdin>" if file == "-" else file)
        for u in unknown:
            click.echo(f"{where}:{u['line']}: {u['error']}")
        for v in report["violations"]:
            how = "which the order leaves out" if v["missing"] else "which comes later"
            click.echo(f"{v['paper']} needs {v['needs']}, {how}: {reason(G, v['why'])}")
        for d in report["duplicates"]:
            click.echo(f"{d} is listed more than once")
        if report["missing"]:
            click.echo(f"not listed ({len(report['missing'])}): {', '.join(report['missing'])}")
        click.echo("valid" if report["valid"] else "not valid")
    sys.exit(0 if report["valid"] else 1)


def _text_lines(file: str) -> list[str]:
    """The lines of a UTF-8 text file (``-``: standard input), within the input size limit."""
    from .errors import DataError, Problem
    from .files import max_input_bytes, read_input

    if file == "-":
        raw = getattr(sys.stdin, "buffer", sys.stdin).read(max_input_bytes() + 1)
        if len(raw) > max_input_bytes():
            raise PapergraphError(f"<stdin>: over the input limit of {max_input_bytes():,} bytes")
        name = "<stdin>"
    else:
        try:
            raw = read_input(file)
        except FileNotFoundError:
            raise PapergraphError(f"{file}: file not found") from None
        name = file
    try:
        return raw.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataError([Problem(name, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                                             "save the file as UTF-8")]) from None


@cli.command("why")
@click.argument("a")
@click.argument("b")
@data_option
@endpoint_option(scope=lambda kw: ([kw["a"], kw["b"]], "before"), help_scope=_PART)
@json_option
def why_cmd(a, b, data_dir, as_json):
    """Why A must be read before B (the reason chain), or that it need not.

    \b
    Example:
        papergraph why Transformer BERT
    """
    from .query import explain, resolve, why

    G = _load(data_dir, lazy=True)
    ia, ib = resolve(G, a, kinds=None), resolve(G, b, kinds=None)
    chain = why(G, ia, ib)
    if as_json:
        _dump({"before": ia, "after": ib, "needed": chain is not None, "why": chain or []})
        return
    if chain is None:
        click.echo(f"{_both(G, ia)} need not be read before {_both(G, ib)}.")
    else:
        click.echo(f"{_both(G, ia)} must be read before {_both(G, ib)}:")
        click.echo(f"  {explain(G, chain)}")
        click.echo(f"  {explain(G, chain, 'zh')}")


@cli.command("stage")
@click.argument("stage")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the card.")
@data_option
@endpoint_option
@json_option
def stage_cmd(stage, lang, data_dir, as_json):
    """The card of a stage: goal, weeks, papers, concepts, tools, self-check questions.

    STAGE is its number (1–7 in the seed graph), id or name.

    \b
    Example:
        papergraph stage 2
        papergraph stage "Multimodal & Diffusion" --lang en --json
    """
    from .cards import resolve_stage, stage_card
    from .query import label

    G = _load(data_dir, lazy=True)
    with busy(G, f"building the card of stage {stage}"):
        card = stage_card(G, resolve_stage(G, stage), lang)
    if as_json:
        _dump(card)
        return
    zh = lang == "zh"
    lo, hi = card["weeks"]
    weeks = "" if lo is None and hi is None else (f"{lo}" if lo == hi else f"{lo}–{hi}")
    click.echo(f"{'阶段' if zh else 'Stage'} {card['stage']}: {card['name']}")
    if weeks:
        click.echo(f"{'建议时长' if zh else 'Suggested'}: {weeks} {'周' if zh else 'weeks'}")
    if card["goal"]:
        click.echo(f"{'目标' if zh else 'Goal'}: {card['goal']}")
    sections = [("论文（阅读顺序）" if zh else "Papers (reading order)", card["papers"]),
                ("核心概念" if zh else "Key concepts", card["concepts"]),
                ("动手练习工具" if zh else "Practise with", card["tools"])]
    for head, items in sections:
        click.echo(f"\n{head}:")
        for i, n in enumerate(items, 1):
            extra = f"  {G.nodes[n]['url']}" if G.nodes[n].get("kind") == "tool" and G.nodes[n].get("url") else ""
            click.echo(f"  {i}. {label(G, n, lang)} [{n}]{extra}")
    click.echo(f"\n{'自测问题' if zh else 'Self-check questions'}:")
    for q in card["questions"]:
        click.echo(f"  [ ] {q['text_zh'] if zh and q['text_zh'] else q['text_en']}")


@cli.command("plan")
@click.option("--target", "targets", multiple=True, metavar="PAPER",
              help="Papers to reach (repeat, or separate with commas); default: all.")
@click.option("--read", "read", multiple=True, metavar="PAPER,…", help="Papers already read.")
@click.option("--strategy", type=click.Choice(["guide", "chronological"]), default="guide", show_default=True)
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="First day, YYYY-MM-DD (default: today).")
@click.option("--hours-per-week", type=click.FloatRange(min=0.5, max=168), default=10.0, show_default=True,
              help="Study hours a week; the guide's weeks assume 10.")
@click.option("--ics", type=click.Path(allow_dash=True),
              help="Write an iCalendar file (- for standard output, instead of the table).")
@click.option("--markdown", type=click.Path(allow_dash=True),
              help="Write a Markdown plan (- for standard output, instead of the table).")
@data_option
@endpoint_option(part="order")
@json_option
def plan_cmd(targets, read, strategy, start, hours_per_week, ics, markdown, data_dir, as_json):
    """A dated study schedule, paced by the guide's suggested weeks per stage.

    A stage's time is the midpoint of its suggested weeks, shared equally by
    the papers the guide lists in it, scaled by 10 / --hours-per-week.

    \b
    Example:
        papergraph plan --target DiT --start 2026-01-05 --ics plan.ics --markdown plan.md
    """
    from .cli_common import write_output
    from .order import plan_papers
    from .plan import schedule, to_ics, to_markdown
    from .query import resolve_many

    if ics == "-" and markdown == "-":
        raise click.UsageError("only one of --ics and --markdown can be - (standard output)")

    G = _load(data_dir, lazy=True)
    tids = resolve_many(G, _split(targets))
    with busy(G, "scheduling the papers"):
        papers = plan_papers(G, tids, resolve_many(G, _split(read)), strategy)
        first = start.date() if start else dt.date.today()
        items = schedule(G, papers, first, hours_per_week)
        from .files import check_target

        for path in (ics, markdown):  # refuse a device or directory before writing either
            if path and path != "-":
                check_target(path)
        if ics:
            write_output(ics, to_ics(G, items))
        if markdown:
            write_output(markdown, to_markdown(G, items, cards=True))
    if "-" in (ics, markdown):
        return
    if as_json:
        _dump({"strategy": strategy, "start": first.isoformat(),
               "items": [{"paper": i.paper, "start": i.start.isoformat(), "end": i.end.isoformat(),
                          "days": i.days, "stage": i.stage} for i in items]})
        return
    from .textout import table

    rows = [[str(n), i.start.isoformat(), str(i.days), i.paper, _both(G, i.paper)]
            for n, i in enumerate(items, 1)]
    click.echo(table(rows, ["#", "start", "days", "id", "name · 名称"]))
    if items:
        click.echo(f"\n{len(items)} papers, {items[0].start} → {items[-1].end} "
                   f"({(items[-1].end - items[0].start).days} days)")
    for what, path in (("iCalendar", ics), ("Markdown", markdown)):
        if path:
            click.echo(f"wrote {what}: {path}")


# Commands that live in their own modules; each imports its heavy libraries (rdflib, pyvis,
# streamlit) inside the command, so registering them costs nothing.
for _command in (*rdf_commands.COMMANDS, *viz_commands.COMMANDS):
    cli.add_command(_command)


def main(argv=None):
    """Entry point of the ``papergraph`` console script."""
    cli.main(args=argv, prog_name="papergraph")
