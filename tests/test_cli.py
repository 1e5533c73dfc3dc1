"""The README's main command works as a user types it."""
import json, shutil, subprocess, sys
from pathlib import Path

from _cli import cli_command as _cli   # tests/_cli.py

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

def test_demo_quick_json(tmp_path):
    out = tmp_path/'demo'
    r = subprocess.run(_cli() + ['demo', '--budgets', '1', '--out', str(out), '--json'], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout)
    acc = {d['approach']: d['mean'] for d in res['summary']}
    assert acc['transfer (fine-tuned)'] > acc['SVM on pixels'] > 0.3
    assert (out/'results.json').exists() and (out/'sample_efficiency.png').stat().st_size > 5000
    assert 'Warning' not in r.stderr, r.stderr          # nothing the user did not cause (fastai's torch.jit.script notice is silenced)

def test_demo_table_says_what_one_seed_is(tmp_path):
    from _cli import run
    rc, stdout, _ = run('demo', '--budgets', '1', '--out', tmp_path/'demo')
    assert rc == 0 and '(seed 0; --seeds 3 or more for a mean and its spread)' in stdout and '± sd over 1 seed' not in stdout, stdout

def test_demo_sends_own_images_to_fit(tmp_path):
    "demo is for the digits course: a user's folder is never put through the 16-pixel digit model; the message names fit"
    (tmp_path/'imgs'/'a').mkdir(parents=True)
    r = subprocess.run(_cli() + ['demo', '--target', str(tmp_path/'imgs')], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and f'tl-lessons fit {tmp_path/"imgs"}' in r.stderr and 'Traceback' not in r.stderr

def test_demo_bad_arguments(tmp_path):
    r = subprocess.run(_cli() + ['demo', '--budgets', '0'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and 'at least 1' in r.stderr
    bad = tmp_path/'bad.pth'; bad.write_bytes(b'not a model')
    r = subprocess.run(_cli() + ['demo', '--model', str(bad)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and 'corrupt' in r.stderr

def test_grade_from_the_command_line(tmp_path):
    "tl-lessons grade: one kernel per submission, a CSV row per check, the summary printed; a missing folder is a clear error"
    import csv, nbformat
    subs = tmp_path/'subs'
    for student, answer in (('ann', '4'), ('bob', "'four'")):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(f"from tl_lessons.course.checks import exercises_for\nq1, *_ = exercises_for('01_models')\nq1.check({answer})")]
        nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
        (subs/student).mkdir(parents=True); nbformat.write(nb, subs/student/'01_models.ipynb')
    r = subprocess.run(_cli() + ['grade', str(subs), '--out', str(tmp_path/'out'), '--timeout', '120'], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    rows = {x['student']: x for x in csv.DictReader(open(tmp_path/'out'/'grades.csv')) if x['exercise'].startswith('models.q1 ')}
    assert rows['ann']['outcome'] == 'correct' and rows['bob']['outcome'] == 'incorrect' and 'whole number' in rows['bob']['message']
    assert 'ann' in r.stdout and 'bob' in r.stdout
    r = subprocess.run(_cli() + ['grade', str(tmp_path/'nope')], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and 'No submissions folder' in r.stderr

def test_train_lm_quick_check(tmp_path):
    "tl-lessons train-lm: the shipped language model's recipe on the first 200 glosses, loadable by the text lessons; bad input is one line"
    import os, pytest
    from tl_lessons.data.wordnet import _complete, DEBIAN_WORDNET
    if not _complete(DEBIAN_WORDNET):
        if os.environ.get('TL_DATA_REQUIRED'): pytest.fail("Debian's wordnet-base is not installed (TL_DATA_REQUIRED is set): apt-get install wordnet-base")
        pytest.skip("Debian's wordnet-base is not installed")
    out = tmp_path/'lm.pth'
    r = subprocess.run(_cli() + ['train-lm', '--out', str(out), '--epochs', '1', '--texts', '200'], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'perplexity' in r.stdout and out.exists()
    from tl_lessons.text.ulmfit import load_lm
    lm = load_lm(out)
    assert lm['meta']['texts'] == 200 and lm['vocab'][:2] == ['xxunk', 'xxpad']
    r = subprocess.run(_cli() + ['train-lm', '--out', str(out), '--texts', '3'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and 'at least 10' in r.stderr and 'Traceback' not in r.stderr
