"""README.md is generated from nbs/index.ipynb and must agree with it."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def _tool():
    spec = importlib.util.spec_from_file_location('make_readme', ROOT/'tools'/'make_readme.py')
    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
    return m

def test_readme_matches_index_notebook():
    text = _tool().render()
    assert (ROOT/'README.md').read_text(encoding='utf-8') == text, \
        "README.md is out of date with nbs/index.ipynb: run `python tools/make_readme.py` and commit it."

def test_readme_has_the_two_commands():
    text = (ROOT/'README.md').read_text(encoding='utf-8')
    assert 'pip install -e ".[dev]" && tl-lessons' in text
    assert 'pip install -e ".[dev]" && pytest' in text

def test_ci_runs_the_readme_test_command():
    ci = (ROOT/'.ci'/'run').read_text()
    assert 'pip install -e ".[dev]"' in ci and 'pytest' in ci
