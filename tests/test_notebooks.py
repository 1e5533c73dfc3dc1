"""Every notebook in nbs/ is a test: it runs top to bottom in quick mode (IN_TEST=1) with all its assertions."""
import contextlib, io, os
from pathlib import Path
import pytest

NBS = Path(__file__).resolve().parent.parent/'nbs'
# Lesson notebooks with exercises run in tests/test_exercises.py instead, through the grader, which runs each one
# top to bottom in its own kernel (quick mode, every assertion) and also checks its exercises: running them here too
# would only double the suite's time.
from tl_lessons.course.exercises import solution_regions
NOTEBOOKS = sorted(p for p in NBS.glob('**/*.ipynb') if not p.name.startswith('_') and not solution_regions(p))   # lessons and library pages

def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 3, f"expected the lesson notebooks in {NBS}, found {NOTEBOOKS}"

@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[p.relative_to(NBS).with_suffix('').as_posix() for p in NOTEBOOKS])
def test_notebook_runs(nb, monkeypatch):
    from nbdev.test import test_nb
    monkeypatch.setenv('IN_TEST', '1')
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        ok, secs = test_nb(nb, basepath=NBS.parent)
    assert ok, f"{nb.name} failed after {secs:.0f} s:\n{err.getvalue()[-6000:]}"
