#!/usr/bin/env bash
# Set up everything the tests need, then run them: a virtual environment with
# the project and its test extras, Debian's chromium (for the browser tests),
# raptor2-utils (an independent RDF parser), Java (for the HermiT reasoner) and a
# Chinese font (screenshots). The test extras bring an Oxigraph server and owlready2.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rapper >/dev/null 2>&1 || need_apt+=(raptor2-utils)
# Node runs the map page's prerequisite core against Python's (tests/test_pgcore.py)
command -v node >/dev/null 2>&1 || command -v nodejs >/dev/null 2>&1 || need_apt+=(nodejs)
# Java runs HermiT (bundled with owlready2) over the ontology (tests/test_ontology.py)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
# a Chinese font, so that screenshots of the map show Chinese labels
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need_apt+=(fonts-wqy-microhei)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing ${need_apt[*]} with apt-get" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q ".[test]"
# lint first (the configuration is in pyproject.toml), then the whole suite
.venv/bin/ruff check src tests bench app.py
exec .venv/bin/python -m pytest "$@"
