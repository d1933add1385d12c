"""Graphs for the explorer's tests: the small curriculum, copies with hostile labels or with tools and
questions, a large one."""

from __future__ import annotations

import csv
import io
import pathlib
import shutil

HERE = pathlib.Path(__file__).parent
CURRICULUM = HERE / "explorer" / "curriculum"
MINIMAL = HERE / "good" / "minimal"
ARTIFACTS = HERE / "artifacts"

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(1)</script>"
#: A summary with characters that break naive JSON-in-HTML: U+2028, U+2029, &, quotes.
XSS_TEXT = "line\u2028sep\u2029para & \"quotes\" 'single' <b>bold</b> {{x}} ${y}"


def _append(path: pathlib.Path, rows: list[dict]) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    for r in rows:
        w.writerow({k: r.get(k, "") for k in header})
    with open(path, "a", encoding="utf-8", newline="") as fh:
        fh.write(buf.getvalue())


def xss_graph(dest: pathlib.Path) -> pathlib.Path:
    """The curriculum plus a paper and a concept whose names are script injections."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("nodes.csv", "edges.csv"):
        shutil.copy(CURRICULUM / name, dest / name)
    _append(dest / "nodes.csv", [
        {"id": "xss-img", "kind": "paper", "label_en": XSS_IMG, "label_zh": XSS_IMG, "title": XSS_SCRIPT,
         "authors": "Mallory <script>;Eve & Co", "year": "2024", "venue": "<i>venue</i>",
         "url": "https://example.org/?a=1&b=<x>", "description_en": XSS_TEXT, "description_zh": XSS_TEXT,
         "flag": "doubtful", "note": XSS_SCRIPT, "note_zh": XSS_SCRIPT, "order": "99"},
        {"id": "xss-script", "kind": "concept", "label_en": XSS_SCRIPT, "label_zh": XSS_SCRIPT,
         "aliases": "[click](javascript:alert(1));:red[x]", "description_en": XSS_IMG, "description_zh": XSS_IMG},
    ])
    _append(dest / "edges.csv", [
        {"source": "xss-img", "target": "s7-topics", "relation": "in_stage"},
        {"source": "xss-img", "target": "xss-script", "relation": "introduces"},
        {"source": "xss-img", "target": "self-attention", "relation": "requires", "note": XSS_SCRIPT},
        {"source": "xss-img", "target": "dit", "relation": "builds_on"},
    ])
    return dest


#: Tools (stage → tool, with their sites) and self-check questions added by :func:`stage_graph`.
TOOLS = {"pytorch": "https://pytorch.org/", "gensim": "https://radimrehurek.com/gensim/",
         "hf-transformers": "https://huggingface.co/docs/transformers"}
QUESTIONS = {
    "q1-residual": ("Why do residual connections make very deep networks trainable?",
                    "为什么残差连接能让很深的网络训练得动？"),
    "q1-word-vectors": ("Why can word vectors capture analogies that one-hot vectors cannot?",
                        "为什么词向量能体现类比关系，而独热向量做不到？"),
    "q2-qkv": ("Why does attention use separate query, key and value vectors?",
               "注意力为什么要分别使用查询、键、值三个向量？"),
}


def stage_graph(dest: pathlib.Path, base: pathlib.Path = CURRICULUM) -> pathlib.Path:
    """The curriculum (or ``base``) plus tools and self-check questions for stages 1 and 2.

    Stage 1 (word2vec, seq2seq, resnet) practises with PyTorch and Gensim and
    asks two questions; stage 2 (transformer, bert) practises with Hugging
    Face Transformers and asks one.
    """
    dest.mkdir(parents=True, exist_ok=True)
    if base.resolve() != dest.resolve():
        for name in ("nodes.csv", "edges.csv"):
            shutil.copy(base / name, dest / name)
    _append(dest / "nodes.csv", [
        {"id": "pytorch", "kind": "tool", "label_en": "PyTorch", "label_zh": "PyTorch 深度学习框架",
         "url": TOOLS["pytorch"], "description_en": "A deep-learning framework; build and train a small Seq2Seq model.",
         "description_zh": "深度学习框架；用它搭建并训练一个小型 Seq2Seq 模型。"},
        {"id": "gensim", "kind": "tool", "label_en": "Gensim", "label_zh": "Gensim 词向量库", "url": TOOLS["gensim"],
         "description_en": "Train Word2Vec on a corpus and probe the vectors.",
         "description_zh": "在语料上训练 Word2Vec 并检验词向量。"},
        {"id": "hf-transformers", "kind": "tool", "label_en": "Hugging Face Transformers",
         "label_zh": "Hugging Face Transformers 库", "url": TOOLS["hf-transformers"],
         "description_en": "Load a pretrained BERT and fine-tune it.", "description_zh": "加载预训练 BERT 并微调。"},
    ] + [{"id": q, "kind": "question", "label_en": en, "label_zh": zh} for q, (en, zh) in QUESTIONS.items()])
    edges = [("s1-foundation", "pytorch", "practises_with"), ("s1-foundation", "gensim", "practises_with"),
             ("s2-transformer", "hf-transformers", "practises_with"),
             ("pytorch", "residual-connection", "demonstrates"), ("gensim", "word-embedding", "demonstrates"),
             ("hf-transformers", "self-attention", "demonstrates"),
             ("q1-residual", "s1-foundation", "in_stage"), ("q1-residual", "residual-connection", "asks_about"),
             ("q1-residual", "resnet", "asks_about"),
             ("q1-word-vectors", "s1-foundation", "in_stage"), ("q1-word-vectors", "word-embedding", "asks_about"),
             ("q2-qkv", "s2-transformer", "in_stage"), ("q2-qkv", "self-attention", "asks_about")]
    _append(dest / "edges.csv", [{"source": u, "target": v, "relation": r} for u, v, r in edges])
    return dest


def large_graph(dest: pathlib.Path, stages: int = 7, papers: int = 1400, concepts: int = 1600) -> pathlib.Path:
    """A synthetic curriculum of a few thousand nodes with prerequisite chains."""
    dest.mkdir(parents=True, exist_ok=True)
    nodes = ["id,kind,label_en,label_zh,year,order"]
    edges = ["source,target,relation"]
    for s in range(stages):
        nodes.append(f"s{s},stage,Stage {s},阶段 {s},,{s + 1}")
        if s:
            edges.append(f"s{s - 1},s{s},precedes")
    for c in range(concepts):
        nodes.append(f"c{c},concept,Concept {c},概念 {c},,")
        if c >= 10 and c % 3 == 0:
            edges.append(f"c{c},c{c // 2},requires")
    for p in range(papers):
        nodes.append(f"p{p},paper,Paper {p},论文 {p},{2000 + p * 20 // papers},{p}")
        edges.append(f"p{p},s{p * stages // papers},in_stage")
        edges.append(f"p{p},c{p},introduces")
        if p:
            edges.append(f"p{p},c{(p * 7) % p},requires")
        if p > 5 and p % 4 == 0:
            edges.append(f"p{p},p{p // 2},builds_on")
    (dest / "nodes.csv").write_text("\n".join(nodes) + "\n", encoding="utf-8")
    (dest / "edges.csv").write_text("\n".join(edges) + "\n", encoding="utf-8")
    return dest


def sparql_broken() -> str:
    """Why papergraph.rdf's SPARQL cannot run a plain query right now ("" when it can)."""
    try:
        from papergraph.rdf.sparql import check_query
    except ImportError as exc:
        return f"papergraph.rdf.sparql is missing: {exc}"
    try:
        check_query("SELECT ?s WHERE { ?s ?p ?o }")
    except Exception as exc:  # noqa: BLE001 - any failure of the library under test
        return f"papergraph.rdf.sparql.check_query refuses a plain SELECT: {exc}"
    return ""
