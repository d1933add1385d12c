"""The command line, driven through click's runner."""

import json

import pytest
from conftest import HERE, run


def js(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_validate_counts(runner):
    r = run(runner, "validate")
    assert r.exit_code == 0
    assert "valid" in r.stdout and "paper" in r.stdout and "requires" in r.stdout
    data = js(run(runner, "validate", "--json"))
    assert data["valid"] is True and data["kinds"]["paper"] == 30


def test_stats_json(runner):
    data = js(run(runner, "stats", "--json"))
    assert data["kinds"]["paper"] == 30 and data["kinds"]["stage"] == 7
    assert sum(data["papers_by_stage"].values()) == 30
    assert "neural-network" in data["background"]


def test_prereqs_json_shape(runner):
    data = js(run(runner, "prereqs", "DiT", "--json"))
    assert set(data) == {"target", "papers", "concepts", "background", "components", "recommended", "why"}
    assert data["target"] == "dit"
    assert "latent-diffusion" in data["papers"]
    assert data["why"]["latent-diffusion"][0] == "dit"
    assert (set(data["papers"]) | set(data["concepts"]) | set(data["background"]) | set(data["recommended"])
            == set(data["why"]))


def test_recommended_papers_are_optional_and_never_in_papers(runner):
    """Stable Diffusion uses CLIP's text encoder: CLIP is recommended, not required, and brings nothing along."""
    data = js(run(runner, "prereqs", "latent-diffusion", "--json"))
    assert "clip" in data["recommended"] and "clip" not in data["papers"]
    assert data["why"]["clip"] == ["latent-diffusion", "contrastive-image-text-learning", "clip"]
    assert "vit" not in data["papers"] and "gpt-3" not in data["papers"]  # CLIP's own prerequisites
    assert not set(data["papers"]) & set(data["recommended"])


def test_prereqs_human_output_is_bilingual(runner):
    r = run(runner, "prereqs", "dit")
    assert r.exit_code == 0
    assert "Stable Diffusion (LDM)" in r.stdout and "潜在扩散模型" in r.stdout
    assert "why:" in r.stdout and "Background concepts" in r.stdout


def test_unknown_name_suggests_and_exits_1(runner):
    r = run(runner, "prereqs", "Transfomer")
    assert r.exit_code == 1
    assert "unknown" in r.stderr and "Transformer" in r.stderr
    assert "Traceback" not in r.output


def test_unlocks_json(runner):
    data = js(run(runner, "unlocks", "Transformer", "--json"))
    assert data["target"] == "transformer" and "bert" in data["papers"]


def test_order_json_and_targets(runner):
    data = js(run(runner, "order", "--json"))
    assert data["strategy"] == "guide" and len(data["order"]) == 30
    data = js(run(runner, "order", "--target", "DiT", "--read", "word2vec,resnet", "--strategy",
                  "chronological", "--json"))
    assert data["order"][-1] == "dit" and "word2vec" not in data["order"]
    r = run(runner, "order")
    assert "transformer needs gnmt: Transformer → builds on → GNMT" in r.stdout


@pytest.mark.parametrize("args", [["order"], ["next", "--read", "word2vec"], ["order", "--target", "dit"]])
def test_paper_tables_are_numbered_from_one_in_order(runner, args):
    text = run(runner, *args).stdout.split("\n\n")[0]
    rows = text.splitlines()[2:]
    ids = js(run(runner, *args, "--json"))
    ids = ids.get("order") or ids.get("next")
    assert [r.split()[0] for r in rows] == [str(k) for k in range(1, len(ids) + 1)]
    assert [r.split()[1] for r in rows] == ids


def test_order_explains_at_most_limit_conflicts(runner):
    every = run(runner, "order", "--limit", "0").stdout
    n = every.count(" needs ")
    assert n > 2 and "more not shown" not in every
    r = run(runner, "order", "--limit", "2")
    assert r.stdout.count(" needs ") == 2
    assert f"… {n - 2} more not shown (--limit 2; --limit 0 lists all)" in r.stdout
    assert r.stdout.split("\n\n")[0] == every.split("\n\n")[0]  # the order itself is never cut


def test_next_json(runner):
    data = js(run(runner, "next", "--read", "word2vec,seq2seq,gnmt", "--read", "resnet,ilsvrc", "--json"))
    assert "transformer" in data["next"] and "word2vec" not in data["next"]


def test_check_order_from_stdin(runner):
    r = run(runner, "check-order", "-", "--json", input="BERT\nTransformer\n# comment\n\nNo Such Paper\n")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert not data["valid"]
    assert {"paper": "bert", "needs": "transformer"} in [{k: v[k] for k in ("paper", "needs")}
                                                          for v in data["violations"]]
    assert data["unknown"] == ["No Such Paper"]
    assert "dit" in data["missing"]


def test_check_order_accepts_the_tools_own_order(runner, tmp_path):
    order = js(run(runner, "order", "--json"))["order"]
    f = tmp_path / "order.txt"
    f.write_text("\n".join(order), encoding="utf-8")
    r = run(runner, "check-order", f, "--complete")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip().endswith("valid")


def test_check_order_human_output_names_the_reason(runner):
    r = run(runner, "check-order", "-", input="双向 transformer 预训练模型\nBERT 双向预训练模型\nTransformer\n")
    assert r.exit_code == 1
    assert "bert needs transformer, which comes later" in r.stdout
    assert "not valid" in r.stdout


def test_check_order_guide(runner):
    r = run(runner, "check-order", "--guide")
    assert r.exit_code == 1
    assert "transformer needs gnmt, which comes later: Transformer → builds on → GNMT" in r.stdout


def test_check_order_needs_file_or_guide(runner):
    assert run(runner, "check-order").exit_code == 2


def test_why(runner):
    r = run(runner, "why", "Transformer", "BERT")
    assert r.exit_code == 0 and "must be read before" in r.stdout and "→ 基于 →" in r.stdout
    r = run(runner, "why", "BERT", "Transformer")
    assert r.exit_code == 0 and "need not" in r.stdout
    assert js(run(runner, "why", "ddpm", "dit", "--json"))["needed"] is True


def test_plan_writes_ics_and_markdown(runner, tmp_path):
    from icalendar import Calendar

    ics, md = tmp_path / "plan.ics", tmp_path / "plan.md"
    data = js(run(runner, "plan", "--target", "CLIP", "--start", "2026-01-05", "--ics", ics,
                  "--markdown", md, "--json"))
    items = data["items"]
    assert items[0]["start"] == "2026-01-05" and items[-1]["paper"] == "clip"
    for a, b in zip(items, items[1:]):
        assert a["end"] == b["start"]
    cal = Calendar.from_ical(ics.read_bytes())
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == len(items)
    assert str(events[-1]["summary"]).startswith("CLIP")
    assert events[0]["dtstart"].dt.isoformat() == "2026-01-05"
    text = md.read_text(encoding="utf-8")
    assert "[CLIP](https://arxiv.org/abs/2103.00020)" in text and "## " in text


def test_plan_pacing_scales_with_hours(runner):
    slow = js(run(runner, "plan", "--target", "bert", "--start", "2026-01-05", "--hours-per-week", "5", "--json"))
    fast = js(run(runner, "plan", "--target", "bert", "--start", "2026-01-05", "--hours-per-week", "20", "--json"))
    assert sum(i["days"] for i in slow["items"]) > sum(i["days"] for i in fast["items"])
    # stage 2: 1-2 weeks, midpoint 1.5 weeks over its 2 papers, at 10 h/week = 5.25 → 5 days
    normal = js(run(runner, "plan", "--target", "bert", "--read", "word2vec,seq2seq,resnet,ilsvrc,gnmt,transformer",
                    "--start", "2026-01-05", "--json"))
    assert normal["items"] == [{"paper": "bert", "start": "2026-01-05", "end": "2026-01-10", "days": 5,
                                "stage": "stage-2"}]


def test_bad_date_is_a_usage_error(runner):
    assert run(runner, "plan", "--start", "05/01/2026").exit_code == 2


@pytest.mark.parametrize("command", ["prereqs dit", "order", "next", "why a b", "plan"])
def test_cyclic_data_is_reported_not_crashed(runner, command):
    r = run(runner, *command.split(), "--data", HERE / "bad" / "cycle")
    assert r.exit_code == 1
    assert "cycle in reading order" in r.stderr


def test_every_command_works_on_a_minimal_graph(runner):
    d = HERE / "good" / "minimal"
    assert js(run(runner, "prereqs", "b", "--data", d, "--json"))["papers"] == ["a"]
    assert js(run(runner, "order", "--data", d, "--json"))["order"] == ["a", "b"]
    assert js(run(runner, "next", "--data", d, "--json"))["next"] == ["a"]
    assert js(run(runner, "plan", "--data", d, "--start", "2026-01-01", "--json"))["items"][1]["start"] == "2026-01-08"


def test_installed_command_finds_its_data_from_any_directory(tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "papergraph", "validate", "--json"], cwd=tmp_path,
                       capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["kinds"]["paper"] == 30


@pytest.mark.parametrize("args", [["plan", "--target", "dit", "--ics", "{d}/missing/p.ics"],
                                  ["plan", "--target", "dit", "--markdown", "{d}/missing/p.md"],
                                  ["html", "-o", "{d}/missing/map.html"],
                                  ["export", "-o", "{d}/missing/g.ttl"]])
def test_unwritable_output_is_a_message_not_a_traceback(runner, tmp_path, args):
    r = run(runner, *[a.format(d=tmp_path) for a in args])
    assert r.exit_code == 1
    assert "cannot write" in r.stderr and "missing" in r.stderr
    assert "Traceback" not in r.output
    assert not (tmp_path / "missing").exists()
