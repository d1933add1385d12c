"""Every string the explorer shows, in Chinese and English.

The map (:mod:`papergraph.viz`), the standalone HTML page and the Streamlit
app (:mod:`papergraph.webapp`) take their words from here; names of kinds
and relations come from :mod:`papergraph.schema`, which already holds them
in both languages.

>>> t("view_map", "zh"), t("view_map", "en")
('地图', 'Map')
>>> t("read_count", "en", n=2, total=30)
'Read 2 of 30 papers'
>>> kind_label("paper", "zh"), relation_label("requires", "en")
('论文', 'requires')
"""

from __future__ import annotations

from . import schema

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "STRINGS",
    "flag_label",
    "kind_label",
    "lang_name",
    "norm_lang",
    "relation_label",
    "t",
]

#: Languages of the interface; the first is the default.
LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

_LANG_NAMES = {"zh": "中文", "en": "English"}

#: key -> {"en": ..., "zh": ...}; ``{name}`` fields are filled by :func:`t`.
STRINGS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ page
    "app_title": {"en": "papergraph · a learning map of AI papers", "zh": "papergraph · AI 论文学习地图"},
    "app_intro": {
        "en": "Seven stages from the basics to the frontier. Find a paper, see what it needs and what it unlocks, "
              "plan your reading and keep track of it.",
        "zh": "从基础到前沿的七个阶段。查找论文，看它需要什么、能解锁什么，规划阅读并记录进度。",
    },
    "lang_switch": {"en": "语言 / Language", "zh": "语言 / Language"},
    "view": {"en": "View", "zh": "视图"},
    "view_map": {"en": "Map", "zh": "地图"},
    "view_plan": {"en": "Reading plan", "zh": "阅读计划"},
    "view_stages": {"en": "Stages", "zh": "学习阶段"},
    "view_data": {"en": "Export & query", "zh": "导出与查询"},
    "data_source": {"en": "Graph: {path}", "zh": "图谱：{path}"},
    "data_error": {"en": "The graph in {path} is not valid:", "zh": "{path} 中的图谱无效："},
    # ------------------------------------------------------------ search and focus
    "search": {"en": "Search (English, Chinese, alias or arXiv id)", "zh": "搜索（英文、中文、别名或 arXiv 编号）"},
    "search_placeholder": {"en": "e.g. DiT, 扩散 Transformer, 2212.09748", "zh": "例如 DiT、扩散 Transformer、2212.09748"},
    "search_unknown": {"en": "Nothing is called “{name}”.", "zh": "没有名为“{name}”的节点。"},
    "search_suggest": {"en": "Did you mean: {names}?", "zh": "你是不是要找：{names}？"},
    "search_ambiguous": {"en": "“{name}” names several nodes; pick one below.", "zh": "“{name}”对应多个节点，请在下方选择。"},
    "focus": {"en": "Focus on a paper or concept", "zh": "聚焦论文或概念"},
    "focus_none": {"en": "(whole map)", "zh": "（整张地图）"},
    "focus_list_capped": {"en": "The list offers the first {shown} of {total} nodes; type any name in the search box "
                                "above to focus the others.",
                          "zh": "列表只列出 {total} 个节点中的前 {shown} 个；其余节点请在上方搜索框输入名称来聚焦。"},
    "depth": {"en": "Depth (steps along prerequisites)", "zh": "深度（沿前置关系的步数）"},
    "depth_all": {"en": "all", "zh": "全部"},
    "others": {"en": "Other nodes", "zh": "其他节点"},
    "others_fade": {"en": "fade", "zh": "淡化"},
    "others_hide": {"en": "hide", "zh": "隐藏"},
    "filters": {"en": "Filters", "zh": "筛选"},
    "filter_stages": {"en": "Stages", "zh": "阶段"},
    "filter_kinds": {"en": "Node kinds", "zh": "节点类型"},
    "filter_relations": {"en": "Relations", "zh": "关系类型"},
    "read_count": {"en": "Read {n} of {total} papers", "zh": "已读 {n} / {total} 篇论文"},
    "ticked_count": {"en": "Ticked {n} of {total} self-check questions", "zh": "已勾选 {n} / {total} 道自测题"},
    # ------------------------------------------------------------ the map
    "map_caption": {
        "en": "Stages run from left to right; background knowledge is on the far left. "
              "Hover a node for a short card, click it for the full card, scroll to zoom.",
        "zh": "阶段从左到右排列，最左侧是背景知识。悬停节点查看简介，点击查看完整卡片，滚轮缩放。",
    },
    "map_capped_focus": {
        "en": "This graph has {total} nodes; the map shows the {shown} nearest {name}. "
              "Lower the depth, hide the rest or choose stages to narrow it.",
        "zh": "该图谱共有 {total} 个节点，地图只显示离「{name}」最近的 {shown} 个。可减小深度、隐藏其余节点或选择阶段来缩小范围。",
    },
    "map_capped": {
        "en": "This graph has {total} nodes; the map shows {shown} of them. "
              "Focus on a paper or choose stages to see the rest.",
        "zh": "该图谱共有 {total} 个节点，地图只显示其中 {shown} 个。请聚焦某篇论文或选择阶段以查看其余部分。",
    },
    "map_empty": {"en": "Nothing to show with these filters.", "zh": "在当前筛选条件下没有可显示的内容。"},
    # ------------------------------------------------------------ the roadmap (the map's first view)
    "app_title_for": {"en": "papergraph · {name}", "zh": "papergraph · {name}"},
    "map_start_here": {"en": "Start here", "zh": "从这里开始"},
    "map_read_next": {"en": "Read next", "zh": "可以接着读"},
    "map_flagged": {"en": "set apart (off-topic or doubtful)", "zh": "已单独放置（偏题或存疑）"},
    "map_read_first_arrow": {"en": "read first", "zh": "先读"},
    "map_label": {"en": "Roadmap of {n} papers in reading order; the list of papers beside it holds the same, as text.",
                  "zh": "按阅读顺序排列的 {n} 篇论文路线图；旁边的论文列表以文字给出同样的内容。"},
    "map_caption_roadmap": {
        "en": "Stages run from left to right, papers are numbered in reading order and arrows point from a paper to "
              "what builds on it. Click a paper to see only what to read before it; switch on concepts, citations "
              "or tools under Layers.",
        "zh": "阶段从左到右排列，论文按阅读顺序编号，箭头从一篇论文指向以它为基础的论文。点击论文只看读它之前要读的；"
              "在“图层”里可打开概念、引用或工具。",
    },
    "map_capped_roadmap": {
        "en": "This graph has {total} papers; the map shows {shown} of them ({stages}). To see the rest, choose "
              "stages with the stage chooser above the map (or write a map with papergraph html --stage NAME).",
        "zh": "该图谱共有 {total} 篇论文，地图显示其中 {shown} 篇（{stages}）。要查看其余部分，请用地图上方的阶段选择框选择阶段"
              "（或用 papergraph html --stage 阶段名 生成地图）。",
    },
    "map_list": {"en": "Papers", "zh": "论文列表"},
    "map_list_toggle": {"en": "List", "zh": "列表"},
    "map_layers": {"en": "Layers", "zh": "图层"},
    "layer_concepts": {"en": "Concepts", "zh": "概念"},
    "layer_citations": {"en": "Citations", "zh": "引用"},
    "layer_tools": {"en": "Tools", "zh": "工具"},
    "map_back": {"en": "← Roadmap", "zh": "← 路线图"},
    "map_focus_paper": {"en": "{name}: read these {n} papers first (left to right).",
                        "zh": "{name}：先按从左到右的顺序读这 {n} 篇论文。"},
    "map_focus_unlocks": {"en": "{name}: the {n} papers it unlocks.", "zh": "{name}：它解锁的 {n} 篇论文。"},
    "map_focus_hidden": {"en": "{n} of them are not on this map.", "zh": "其中 {n} 篇不在当前地图上。"},
    "map_show_unlocks": {"en": "Show what it unlocks ({n})", "zh": "显示它解锁的论文（{n}）"},
    "map_show_prereqs": {"en": "Show what to read first ({n})", "zh": "显示要先读的论文（{n}）"},
    "map_direct": {"en": "direct", "zh": "直接"},
    "map_chips": {"en": "Concepts", "zh": "概念"},
    "map_zoom_hint": {"en": "Labels too small to read are hidden; zoom in to see them.",
                      "zh": "字太小时标签会隐藏，放大即可看到。"},
    "sparql_at_store": {"en": "Queries run at {store}, over the whole store (this explorer holds only a part of it).",
                        "zh": "查询在 {store} 上运行，覆盖整个存储（本浏览器只载入了其中一部分）。"},
    "app_part_of_store": {"en": "Read from {store}: only the part around {focus} (what it unlocks and everything "
                                "those need, {n:,} nodes). Stages, plans and statistics cover this part only.",
                          "zh": "读取自 {store}：只含 {focus} 周围的部分（它解锁的内容以及这些内容所需的一切，"
                                "共 {n:,} 个节点）。阶段、计划和统计都只覆盖这一部分。"},
    "map_part_of_store": {"en": "Read from {store}: only the focus, what it unlocks and what those need "
                                "({n:,} nodes), so a stage lists only these papers.",
                          "zh": "读取自 {store}：只含焦点、它解锁的内容以及这些内容所需的内容（{n:,} 个节点），"
                                "因此阶段只列出其中的论文。"},
    "plan_target": {"en": "Plan for one paper (name, alias or arXiv id; Enter)",
                    "zh": "为一篇论文制定计划（名称、别名或 arXiv 编号，回车）"},
    "plan_target_now": {"en": "Planning for: {name}", "zh": "当前计划目标：{name}"},
    "plan_target_all": {"en": "Planning for every paper.", "zh": "当前计划覆盖全部论文。"},
    "plan_target_clear": {"en": "Plan for every paper", "zh": "改为全部论文"},
    "map_style": {"en": "Map", "zh": "地图样式"},
    "map_style_roadmap": {"en": "Roadmap", "zh": "路线图"},
    "map_style_network": {"en": "Concept network", "zh": "概念网络"},
    "map_focus": {"en": "Focus: {name} — what it needs (left) and what it unlocks (right).",
                  "zh": "聚焦：{name}——左侧是它需要的，右侧是它解锁的。"},
    "map_download": {"en": "Download this map (HTML)", "zh": "下载当前地图（HTML）"},
    "map_frame": {"en": "Concept map", "zh": "概念地图"},
    "fit": {"en": "Whole map", "zh": "全图"},
    "close": {"en": "Close", "zh": "关闭"},
    "search_none": {"en": "No node matches “{q}”.", "zh": "没有与“{q}”匹配的节点。"},
    "search_go": {"en": "Find", "zh": "查找"},
    "highlight_hint": {"en": "Highlighted: this node, what it needs and what it unlocks. Click empty space to clear.",
                       "zh": "已高亮：该节点、它需要的和它解锁的内容。点击空白处取消。"},
    "header_background": {"en": "Background knowledge", "zh": "背景知识"},
    "header_unstaged": {"en": "No stage", "zh": "未分阶段"},
    "legend": {"en": "Legend", "zh": "图例"},
    "legend_stages": {"en": "Colour: stage", "zh": "颜色：阶段"},
    "legend_kinds": {"en": "Shape: kind", "zh": "形状：类型"},
    "legend_relations": {"en": "Line: relation", "zh": "线条：关系"},
    "legend_state": {"en": "Progress", "zh": "进度"},
    "legend_background": {"en": "background concept", "zh": "背景概念"},
    "legend_read": {"en": "read", "zh": "已读"},
    "legend_next": {"en": "can read next", "zh": "可以接着读"},
    "legend_stage_done": {"en": "stage done (papers read, questions ticked)", "zh": "阶段完成（论文已读、问题已勾选）"},
    "legend_toggle": {"en": "Click a kind or relation to show or hide it.", "zh": "点击类型或关系可显示/隐藏。"},
    "prerequisite_tag": {"en": "prerequisite", "zh": "前置"},
    # ------------------------------------------------------------ cards
    "card_authors": {"en": "Authors", "zh": "作者"},
    "card_year": {"en": "Year", "zh": "年份"},
    "card_venue": {"en": "Venue", "zh": "发表于"},
    "card_stage": {"en": "Stage", "zh": "阶段"},
    "card_link": {"en": "Read the paper", "zh": "阅读原文"},
    "card_summary": {"en": "Summary", "zh": "摘要"},
    "card_definition": {"en": "Definition", "zh": "定义"},
    "card_goal": {"en": "Goal", "zh": "目标"},
    "card_weeks": {"en": "Suggested time", "zh": "建议时长"},
    "weeks": {"en": "{lo}–{hi} weeks", "zh": "{lo}–{hi} 周"},
    "weeks_one": {"en": "{n} weeks", "zh": "{n} 周"},
    "card_note": {"en": "Note", "zh": "说明"},
    "card_prereqs": {"en": "Read first", "zh": "先读这些论文"},
    "card_prereqs_none": {"en": "No prerequisite papers.", "zh": "没有前置论文。"},
    "card_recommended": {"en": "Recommended, not required (they introduce a component it uses)",
                         "zh": "推荐但非必读（提出了它所用组件的论文）"},
    "card_concepts_needed": {"en": "Concepts it needs", "zh": "需要的概念"},
    "card_background": {"en": "Background knowledge (no paper here introduces it)", "zh": "背景知识（本图谱中没有论文提出）"},
    "card_unlocks": {"en": "What it unlocks", "zh": "它解锁的论文"},
    "card_introduces": {"en": "Concepts it introduces", "zh": "提出的概念"},
    "card_requires": {"en": "Concepts it uses directly", "zh": "直接使用的概念"},
    "card_introduced_by": {"en": "Introduced by", "zh": "提出于"},
    "card_required_by": {"en": "Needed by", "zh": "被以下内容需要"},
    "card_related": {"en": "Related concepts", "zh": "相关概念"},
    "card_stage_papers": {"en": "Papers in this stage, in reading order", "zh": "本阶段论文（按阅读顺序）"},
    "card_stage_concepts": {"en": "Concepts met in this stage", "zh": "本阶段涉及的概念"},
    "card_stage_tools": {"en": "Practise with", "zh": "动手练习工具"},
    "card_stage_questions": {"en": "Self-check questions", "zh": "自测问题"},
    "card_direct": {"en": "direct", "zh": "直接"},
    "card_via": {"en": "through {name}", "zh": "经由 {name}"},
    "card_more": {"en": "… and {n} more", "zh": "…… 另有 {n} 项"},
    "card_why": {"en": "why", "zh": "原因"},
    "card_read": {"en": "I have read this paper", "zh": "我已读过这篇论文"},
    "card_tool_link": {"en": "Open the tool's site", "zh": "打开工具主页"},
    # ------------------------------------------------------------ stages and their progress
    "stage_line_papers": {"en": "{n}/{total} papers", "zh": "{n}/{total} 篇"},
    "stage_line_questions": {"en": "{n}/{total} questions", "zh": "{n}/{total} 题"},
    "stage_count_paper": {"en": "{n} paper", "zh": "{n} 篇论文"},
    "stage_count_papers": {"en": "{n} papers", "zh": "{n} 篇论文"},
    "stage_count_question": {"en": "{n} question", "zh": "{n} 道题"},
    "stage_count_questions": {"en": "{n} questions", "zh": "{n} 道题"},
    "stage_ready_heading": {"en": "Ready for the next stage?", "zh": "准备好进入下一阶段了吗？"},
    "stage_ready_next": {"en": "Yes: every paper is read and every question ticked. Next: {name}.",
                         "zh": "是的：本阶段论文已全部读完，自测题已全部勾选。下一阶段：{name}。"},
    "stage_ready_last": {"en": "Yes: every paper is read and every question ticked. This is the last stage.",
                         "zh": "是的：本阶段论文已全部读完，自测题已全部勾选。这是最后一个阶段。"},
    "stage_not_ready": {"en": "Not yet: {left}.", "zh": "还没有：{left}。"},
    "stage_left_paper": {"en": "{n} paper to read", "zh": "还有 {n} 篇论文未读"},
    "stage_left_papers": {"en": "{n} papers to read", "zh": "还有 {n} 篇论文未读"},
    "stage_left_question": {"en": "{n} question to tick", "zh": "{n} 道自测题未勾选"},
    "stage_left_questions": {"en": "{n} questions to tick", "zh": "{n} 道自测题未勾选"},
    "list_sep": {"en": ", ", "zh": "，"},
    "stage_pick": {"en": "Stage", "zh": "阶段"},
    "stage_number": {"en": "Stage {n}", "zh": "第 {n} 阶段"},
    "stage_papers_read": {"en": "Papers read: {n} of {total}", "zh": "已读论文：{n} / {total}"},
    "stage_questions_ticked": {"en": "Questions ticked: {n} of {total}", "zh": "已勾选自测题：{n} / {total}"},
    "stage_questions_hint": {"en": "Tick a question when you can answer it without looking.",
                             "zh": "能不看资料答出来时，就勾选这道题。"},
    "stage_no_tools": {"en": "No tools listed for this stage.", "zh": "本阶段没有列出练习工具。"},
    "stage_no_questions": {"en": "No self-check questions for this stage.", "zh": "本阶段没有自测题。"},
    "stage_none": {"en": "This graph has no stages.", "zh": "该图谱没有学习阶段。"},
    "stage_overview": {"en": "All stages", "zh": "全部阶段"},
    "stage_covers": {"en": "Covers: {names}", "zh": "涉及：{names}"},
    "col_papers": {"en": "Papers read", "zh": "已读论文"},
    "col_questions": {"en": "Questions ticked", "zh": "已勾选题目"},
    "col_done": {"en": "Done", "zh": "完成"},
    "flag_off-topic": {"en": "Off-topic", "zh": "偏离主题"},
    "flag_doubtful": {"en": "Doubtful entry", "zh": "存疑条目"},
    "no_stage": {"en": "no stage", "zh": "无阶段"},
    # ------------------------------------------------------------ progress and plan
    "progress": {"en": "Progress", "zh": "阅读进度"},
    "progress_read": {"en": "Papers I have read", "zh": "我读过的论文"},
    "progress_share": {
        "en": "Progress is kept in this page's address: bookmark it or share the link.",
        "zh": "进度保存在本页地址中：收藏或分享链接即可保留。",
    },
    "next": {"en": "You can read next", "zh": "接下来可以读"},
    "next_none": {"en": "Every paper is read. Well done!", "zh": "所有论文都已读完，恭喜！"},
    "mark_read": {"en": "Mark read", "zh": "标为已读"},
    "schedule": {"en": "Schedule", "zh": "日程安排"},
    "plan_targets": {"en": "Targets (leave empty for the whole curriculum)", "zh": "目标论文（留空表示全部）"},
    "plan_strategy": {"en": "Order", "zh": "排序方式"},
    "strategy_guide": {"en": "the guide's stages", "zh": "按指南阶段"},
    "strategy_chronological": {"en": "chronological", "zh": "按发表时间"},
    "plan_start": {"en": "Start on", "zh": "开始日期"},
    "plan_hours": {"en": "Study hours a week", "zh": "每周学习小时数"},
    "plan_summary": {"en": "{n} papers, {start} → {end} ({days} days)", "zh": "{n} 篇论文，{start} → {end}（共 {days} 天）"},
    "plan_empty": {"en": "Nothing left to read for these targets.", "zh": "这些目标已没有需要阅读的论文。"},
    "plan_downloads": {"en": "Download the plan", "zh": "下载计划"},
    "col_no": {"en": "#", "zh": "序号"},
    "col_start": {"en": "Start", "zh": "开始"},
    "col_end": {"en": "End", "zh": "结束"},
    "col_days": {"en": "Days", "zh": "天数"},
    "col_paper": {"en": "Paper", "zh": "论文"},
    "col_stage": {"en": "Stage", "zh": "阶段"},
    "col_year": {"en": "Year", "zh": "年份"},
    "col_id": {"en": "id", "zh": "编号"},
    "dl_ics": {"en": "Calendar (.ics)", "zh": "日历（.ics）"},
    "dl_markdown": {"en": "Markdown (.md)", "zh": "Markdown（.md）"},
    "dl_csv": {"en": "Table (.csv)", "zh": "表格（.csv）"},
    "progress_export": {"en": "Export progress (JSON)", "zh": "导出进度（JSON）"},
    "progress_import": {"en": "Import progress (JSON)", "zh": "导入进度（JSON）"},
    "import_ok": {"en": "Imported: {n} papers marked read, {q} questions ticked.",
                  "zh": "已导入：{n} 篇论文标为已读，{q} 道自测题已勾选。"},
    "import_bad": {"en": "Not a papergraph progress file: {error}", "zh": "不是 papergraph 进度文件：{error}"},
    "import_unknown": {"en": "Ignored ids this graph does not have: {ids}", "zh": "已忽略本图谱中不存在的编号：{ids}"},
    # ------------------------------------------------------------ export and query
    "export": {"en": "Download the graph", "zh": "下载图谱"},
    "dl_turtle": {"en": "Turtle (.ttl)", "zh": "Turtle（.ttl）"},
    "dl_jsonld": {"en": "JSON-LD (.jsonld)", "zh": "JSON-LD（.jsonld）"},
    "dl_graphml": {"en": "GraphML (.graphml)", "zh": "GraphML（.graphml）"},
    "dl_nodes": {"en": "nodes.csv", "zh": "nodes.csv（节点）"},
    "dl_edges": {"en": "edges.csv", "zh": "edges.csv（关系）"},
    "rdf_missing": {"en": "RDF export (Turtle, JSON-LD, SPARQL) is not available in this installation.",
                    "zh": "此安装不支持 RDF 导出（Turtle、JSON-LD、SPARQL）。"},
    "sparql": {"en": "SPARQL query", "zh": "SPARQL 查询"},
    "sparql_example": {"en": "Example queries", "zh": "示例查询"},
    "sparql_custom": {"en": "(write your own)", "zh": "（自己编写）"},
    "sparql_run": {"en": "Run query", "zh": "运行查询"},
    "sparql_rows": {"en": "{n} rows", "zh": "{n} 行结果"},
    "sparql_error": {"en": "The query failed: {error}", "zh": "查询失败：{error}"},
    "summary": {"en": "Summary", "zh": "概况"},
    "stat_nodes": {"en": "Nodes", "zh": "节点"},
    "stat_edges": {"en": "Edges", "zh": "关系"},
    "stat_background": {"en": "Background concepts", "zh": "背景概念"},
    "stat_flagged": {"en": "Flagged papers", "zh": "被标注的论文"},
}


def norm_lang(lang: str | None) -> str:
    """``lang`` if it is a supported language, else the default (Chinese).

    >>> norm_lang("EN"), norm_lang("fr"), norm_lang(None)
    ('en', 'zh', 'zh')
    """
    if lang in LANGS:  # already normal: the common case, asked thousands of times per map
        return lang
    lang = (lang or "").strip().lower()
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str, **fields) -> str:
    """The string ``key`` in ``lang``, with ``{fields}`` filled in."""
    text = STRINGS[key][norm_lang(lang)]
    return text.format(**fields) if fields else text


def lang_name(lang: str) -> str:
    """The language's own name: 中文, English."""
    return _LANG_NAMES[norm_lang(lang)]


def kind_label(kind: str, lang: str) -> str:
    """'Paper' / '论文'; unknown kinds are returned as they are."""
    k = schema.KINDS.get(kind)
    if k is None:
        return str(kind)
    return k.label_zh if norm_lang(lang) == "zh" else k.label_en


def relation_label(relation: str, lang: str, inverse: bool = False) -> str:
    """'requires' / '需要' (or the inverse reading, 'required by' / '被需要于')."""
    r = schema.RELATIONS.get(relation)
    if r is None:
        return str(relation)
    if norm_lang(lang) == "zh":
        return r.inverse_zh if inverse else r.label_zh
    return r.inverse_en if inverse else r.label_en


def flag_label(flag: str, lang: str) -> str:
    """'Off-topic' / '偏离主题' for a node's ``flag``."""
    key = f"flag_{flag}"
    return t(key, lang) if key in STRINGS else str(flag)
