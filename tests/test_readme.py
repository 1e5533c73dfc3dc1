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

def _readme_commands() -> list[str]:
    "The shell lines of the README's code blocks"
    import re
    text = (ROOT/'README.md').read_text(encoding='utf-8')
    return [l.split('#')[0].strip() for b in re.findall(r'```sh\n(.*?)```', text, re.S) for l in b.splitlines() if l.strip()]

def test_ci_runs_the_readme_test_command_in_a_fresh_venv():
    "CI does what a newcomer does: a fresh virtual environment in the clone, activated, then the README's test command word for word"
    test_cmd = [c for c in _readme_commands() if c.endswith('&& pytest') or '&& pytest ' in c]
    assert test_cmd == ['pip install -e ".[dev]" && pytest'], test_cmd
    lines = [l.strip() for l in (ROOT/'.ci'/'run').read_text().splitlines() if l.strip() and not l.lstrip().startswith('#')]
    venv = next(i for i, l in enumerate(lines) if l.startswith('python3 -m venv .venv'))
    assert lines[venv - 1] == 'rm -rf .venv'                          # fresh: nothing left from an earlier run
    activate = lines.index('source .venv/bin/activate')
    run = lines.index(test_cmd[0])
    assert venv < activate < run, (venv, activate, run)
    assert not any('pip install' in l or 'pytest' in l for l in lines[:activate]), "nothing is installed outside the venv"
    assert '--system-site-packages' not in lines[venv]
