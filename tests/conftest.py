import os
import pathlib

import pytest
from click.testing import CliRunner

HERE = pathlib.Path(__file__).parent
ROOT = HERE.parent


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Keep the on-disk graph cache of the tests away from the user's."""
    old = os.environ.get("PAPERGRAPH_CACHE_DIR")
    os.environ["PAPERGRAPH_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("PAPERGRAPH_CACHE_DIR", None)
    else:
        os.environ["PAPERGRAPH_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def seed():
    from papergraph.load import load_graph

    return load_graph(ROOT / "graph", cache=False)


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args, input=None):
    from papergraph.cli import cli

    return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
