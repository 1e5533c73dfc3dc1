"""Classroom tools: the student release and a grader that survives bad submissions."""
import csv, json
from pathlib import Path
import nbformat
import pytest
from tl_lessons.exercises import grade, student_version, student_release, NOT_ATTEMPTED, CORRECT

EX = """from tl_lessons.exercises import Exercise, Wrong, ___
def _chk(x):
    if x != 4: raise Wrong(f'{x} is not 2 + 2')
q1 = Exercise('q1', _chk, lesson='demo')"""

def _nb(path, *cells):
    nb = nbformat.v4.new_notebook(); nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    path.parent.mkdir(parents=True, exist_ok=True); nbformat.write(nb, path)

def test_student_release_replaces_solutions_and_runs_not_attempted(tmp_path):
    _nb(tmp_path/'lesson.ipynb', EX, "### BEGIN SOLUTION\nanswer = 2 + 2\n### END SOLUTION\nq1.check(answer)")
    assert student_version(tmp_path/'lesson.ipynb', tmp_path/'student'/'lesson.ipynb') == 1
    src = nbformat.read(tmp_path/'student'/'lesson.ipynb', 4).cells[1].source
    assert 'answer = ___' in src and '2 + 2' not in src
    assert student_release(tmp_path, tmp_path/'rel') == {'lesson.ipynb': 1}

def test_grader_records_outcomes_and_survives_bad_submissions(tmp_path):
    subs = tmp_path/'subs'
    _nb(subs/'ann'/'demo.ipynb', EX, "q1.check(4)")
    _nb(subs/'bob'/'demo.ipynb', EX, "q1.check(5)", "raise RuntimeError('boom')")
    _nb(subs/'cat'/'demo.ipynb', EX, "q1.check(___)", "while True: pass")
    (subs/'dan').mkdir(); (subs/'dan'/'demo.ipynb').write_text('{not json')
    _nb(subs/'eve'/'demo.ipynb', EX, "import os, glob\nfor f in glob.glob('*'): os.remove(f)", "q1.check(4)")
    (subs/'eve'/'data.txt').write_text('keep me')
    rows_path = grade(subs, tmp_path/'out', timeout=10)
    rows = list(csv.DictReader(open(rows_path)))
    got = {(r['student'], r['exercise']): r['outcome'] for r in rows}
    assert got[('ann', 'q1')] == 'correct'
    assert got[('bob', 'q1')] == 'incorrect' and got[('bob', '(notebook)')] == 'error'
    assert got[('cat', 'q1')] == 'not attempted' and got[('cat', '(notebook)')] == 'timeout'
    assert got[('dan', '(notebook)')] == 'invalid notebook'
    assert got[('eve', 'q1')] == 'correct' and (subs/'eve'/'data.txt').exists()   # deleted only a scratch copy
    assert (tmp_path/'out'/'summary.csv').exists()

def test_lesson_validation_both_ways(tmp_path):
    "Every instructor exercise passes its check; the student release runs to the end with every check 'not attempted'"
    import shutil, subprocess, sys
    root = Path(__file__).resolve().parent.parent
    subs = tmp_path/'subs'
    (subs/'instructor').mkdir(parents=True)
    shutil.copy(root/'nbs'/'00_data.ipynb', subs/'instructor'/'00_data.ipynb')
    exe = Path(sys.executable).parent/'tl-lessons'
    cli = [str(exe)] if exe.exists() else [sys.executable, '-m', 'tl_lessons.cli']
    r = subprocess.run(cli + ['student', str(subs/'student'), '--nbs', str(root/'nbs')], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and '00_data.ipynb (4 exercises)' in r.stdout, r.stderr
    for p in (subs/'student').glob('*.ipynb'):
        if p.name != '00_data.ipynb': p.unlink()
    rows = list(csv.DictReader(open(grade(subs, tmp_path/'out', timeout=300))))
    by = {}
    for row in rows: by.setdefault(row['student'], []).append((row['exercise'], row['outcome']))
    assert len(by['instructor']) == 4 and all(o == 'correct' for _, o in by['instructor']), by['instructor']
    assert len(by['student']) == 4 and all(o == 'not attempted' for _, o in by['student']), by['student']
