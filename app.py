"""The papergraph explorer: ``streamlit run app.py [-- --data DIR]``.

A thin entry point: the app itself is package code
(:mod:`papergraph.webapp`), so ``papergraph app`` finds it after any install.
"""

from papergraph.webapp.streamlit_app import run

run()
