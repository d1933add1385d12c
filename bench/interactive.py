"""Time to an interactive map (issue 13): the roadmap against today's concept network, in the same run.

Opens each page in Debian's Chromium (``/usr/bin/chromium``, through
Playwright) and times navigation start → the map drawn and answering
(``document.body[data-ready]``, set after vis-network's first drawing and the
roadmap's set-up). Baselines are measured in the same run, interleaved:

* standalone: ``papergraph html`` of the seed graph as the roadmap (ours)
  against the same graph drawn as the full concept network (the page before
  the roadmap);
* app: the explorer served by Streamlit on the seed graph, a fresh page each
  time, ``?style=roadmap`` (ours) against ``?style=network``.

Examples::

    python bench/interactive.py --repeat 5
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _ready(page, timeout=60.0) -> float:
    """Seconds from navigation start until a frame of the page has its map ready."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for f in page.frames:
            try:
                t = f.evaluate("() => document.body && document.body.getAttribute('data-ready') === '1'"
                               " ? performance.now() + performance.timeOrigin : null")
            except Exception:  # noqa: BLE001 - a frame being replaced
                continue
            if t:
                start = page.evaluate("() => performance.timeOrigin")
                return (t - start) / 1000
        time.sleep(0.01)
    raise TimeoutError("the map was not drawn")


def _open(browser, url, viewport=(1366, 768)) -> float:
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    try:
        page.goto(url, wait_until="commit")
        return _ready(page)
    finally:
        page.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(data_dir: Path, cache: Path):
    port = _free_port()
    env = dict(os.environ, PAPERGRAPH_CACHE_DIR=str(cache))
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--", "--data", str(data_dir)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc, url + "/"
        except OSError:
            time.sleep(0.25)
    proc.terminate()
    raise TimeoutError("streamlit did not start")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-app", action="store_true", help="only the standalone page")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from papergraph import viz
    from papergraph.load import default_data_dir, load_graph

    tmp = Path(tempfile.mkdtemp(prefix="pg-interactive-"))
    G = load_graph(default_data_dir())
    pages = {}
    for view in ("roadmap", "network"):
        pages[view] = tmp / f"{view}.html"
        viz.write_html(G, pages[view], "zh", view=view)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        _open(browser, pages["roadmap"].as_uri())  # warm the browser once
        times = {"roadmap": [], "network": []}
        for _ in range(args.repeat):
            for view in times:
                times[view].append(_open(browser, pages[view].as_uri()))
        ours, base = statistics.median(times["roadmap"]), statistics.median(times["network"])
        rows.append(("standalone HTML, seed graph (zh, 1366×768)", ours, base))
        if not args.no_app:
            proc, url = _serve(default_data_dir(), tmp / "cache")
            try:
                _open(browser, url + "?style=network")  # the server's first run fills its caches
                _open(browser, url)
                times = {"roadmap": [], "network": []}
                for _ in range(args.repeat):
                    for view in times:
                        times[view].append(_open(browser, url + f"?style={view}"))
                ours, base = statistics.median(times["roadmap"]), statistics.median(times["network"])
                rows.append(("app (Streamlit), seed graph, fresh page (zh, 1366×768)", ours, base))
            finally:
                proc.terminate()
                proc.wait(timeout=15)
        browser.close()
    print("| page | roadmap (ours) | concept network, same run (baseline) | ratio |")
    print("|---|---|---|---|")
    for what, ours, base in rows:
        print(f"| {what} | {ours:.2f} s | {base:.2f} s | {ours / base:.2f}× |")
    print(f"\nmedian of {args.repeat} runs each, interleaved; time from navigation start to the map drawn and "
          "answering (data-ready)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
