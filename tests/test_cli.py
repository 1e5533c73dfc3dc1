"""The README's main command works as a user types it."""
import json, shutil, subprocess, sys
from pathlib import Path

def _cli():
    exe = Path(sys.executable).parent/'tl-lessons'
    return [str(exe)] if exe.exists() else [sys.executable, '-m', 'tl_lessons.cli']

def test_tl_lessons_data_writes_grids(tmp_path):
    r = subprocess.run(_cli() + ['data', '--out', str(tmp_path/'out'), '--json'], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert set(res) == {'digits', 'glyphs', 'letters'}
    assert res['digits']['test'] == 800
    for k in res: assert Path(res[k]['grid']).stat().st_size > 1000

def test_tl_lessons_without_command_shows_help():
    r = subprocess.run(_cli(), capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and 'data' in r.stdout
