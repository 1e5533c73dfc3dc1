"""The classroom as a teacher runs it, outside the project: a release partly filled in and graded from the command line
with points and feedback, and nbgrader's own pipeline on a lesson."""
import csv, json, os, shutil, subprocess, sys
from pathlib import Path
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent

from _cli import cli_command as _cli   # tests/_cli.py

def _fill(release:Path, instructor:Path, out:Path, answered:set):
    "A student's notebook: the release with the instructor's answer cells for the exercises in `answered` (by nbgrader grade id)"
    rel, ins = nbformat.read(release, 4), nbformat.read(instructor, 4)
    answers = {c.metadata['nbgrader']['grade_id']: c.source for c in ins.cells if c.metadata.get('nbgrader', {}).get('solution')}
    for c in rel.cells:
        gid = c.metadata.get('nbgrader', {}).get('grade_id')
        if gid in answered: c.source = answers[gid]
    out.parent.mkdir(parents=True, exist_ok=True); nbformat.write(rel, out)

def test_teacher_flow_release_fill_grade(tmp_path):
    "tl-lessons student, two students fill in some answers of 01_models, tl-lessons grade --points: clean rows, points, feedback"
    r = subprocess.run(_cli() + ['student', 'rel', '--nbs', str(ROOT/'nbs')], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lesson = '01_models'
    _fill(tmp_path/'rel'/f'{lesson}.ipynb', ROOT/'nbs'/f'{lesson}.ipynb', tmp_path/'subs'/'ann'/f'{lesson}.ipynb', {'models-q1-answer', 'models-q2-answer'})
    _fill(tmp_path/'rel'/f'{lesson}.ipynb', ROOT/'nbs'/f'{lesson}.ipynb', tmp_path/'subs'/'ben'/f'{lesson}.ipynb', {'models-q3-answer'})
    nb = nbformat.read(tmp_path/'subs'/'ben'/f'{lesson}.ipynb', 4)   # Ben also gets q1 wrong
    for c in nb.cells:
        if c.metadata.get('nbgrader', {}).get('grade_id') == 'models-q1-answer': c.source = 'n_groups = 3'
    nbformat.write(nb, tmp_path/'subs'/'ben'/f'{lesson}.ipynb')
    (tmp_path/'points.json').write_text(json.dumps({'models.q2': 3}))
    r = subprocess.run(_cli() + ['grade', 'subs', '--out', 'grades', '--quick', '--timeout', '300', '--points', 'points.json'],
                       capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    rows = list(csv.DictReader(open(tmp_path/'grades'/'grades.csv')))
    assert not [x for x in rows if x['exercise'] == '(notebook)'], rows
    got = {(x['student'], x['exercise'].split()[0]): (x['outcome'], float(x['points'])) for x in rows}
    assert got[('ann', 'models.q1')] == ('correct', 1) and got[('ann', 'models.q2')] == ('correct', 3)
    assert got[('ann', 'models.q3')][0] == got[('ann', 'models.q4')][0] == 'not attempted'
    assert got[('ben', 'models.q1')] == ('incorrect', 0) and got[('ben', 'models.q3')] == ('correct', 1)
    summary = {(x['student'], x['lesson']): (float(x['points']), float(x['max'])) for x in csv.DictReader(open(tmp_path/'grades'/'summary.csv'))}
    assert summary[('ann', lesson)] == (4, 7) and summary[('ben', lesson)] == (1, 7) and summary[('ann', '(total)')] == (4, 7)
    fb = (tmp_path/'grades'/'feedback'/'ben'/f'{lesson}.md').read_text()
    assert 'Points: 1 / 7' in fb and 'Hint:' in fb and 'models.q1' in fb

@pytest.mark.skipif(shutil.which('nbgrader') is None, reason='nbgrader is not installed (pip install -e ".[dev]" brings it)')
def test_nbgrader_generate_and_autograde(tmp_path):
    "nbgrader's own pipeline on a lesson: generate the assignment, autograde the instructor version (full marks) and the blank release (zero)"
    course = tmp_path/'course'
    (course/'source'/'ch00').mkdir(parents=True)
    shutil.copy(ROOT/'nbs'/'01_models.ipynb', course/'source'/'ch00'/'01_models.ipynb')
    (course/'nbgrader_config.py').write_text("c = get_config()\nc.CourseDirectory.course_id = 'tl_lessons'\nc.CourseDirectory.root = '.'\n"
                                             "c.ExecutePreprocessor.timeout = 300\n")
    env = {k: v for k, v in os.environ.items() if k != 'IN_TEST'} | {'TL_QUICK': '1'}
    run = lambda *a: subprocess.run(['nbgrader', *a], cwd=course, env=env, capture_output=True, text=True, timeout=600)
    r = run('generate_assignment', 'ch00', '--force'); assert r.returncode == 0, r.stderr[-3000:]
    release = nbformat.read(course/'release'/'ch00'/'01_models.ipynb', 4)
    assert not any('### BEGIN SOLUTION' in c.source for c in release.cells)
    for who, src in (('teacher', course/'source'/'ch00'/'01_models.ipynb'), ('blank', course/'release'/'ch00'/'01_models.ipynb')):
        (course/'submitted'/who/'ch00').mkdir(parents=True); shutil.copy(src, course/'submitted'/who/'ch00'/'01_models.ipynb')
    r = run('autograde', 'ch00', '--create'); assert r.returncode == 0, r.stderr[-3000:]
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course/'gradebook.db'}") as gb:
        scores = {who: (gb.find_submission('ch00', who).score, gb.find_submission('ch00', who).max_score) for who in ('teacher', 'blank')}
    assert scores == {'teacher': (5.0, 5.0), 'blank': (0.0, 5.0)}, scores

def test_grader_never_stalls_on_widget_bursts(tmp_path):
    """A notebook that sends bursts of widget messages, graded 8 times (4 students, one at a time, then two at a time), within a 20-s limit.
    With nbclient's own client about one run in six waited out the whole limit for a reply it had missed (nbs/library/68_course_site.ipynb shows it);
    the grader's client (course_site.notebook_client) looks again every second."""
    import nbformat
    from tl_lessons.course.grading import grade
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in (
        "import ipywidgets as w\nfrom IPython.display import display\ns = w.IntSlider(); o = w.Output(); display(s, o)",
        "for i in range(400):\n    s.value = i\n    with o: print(i)", "for i in range(400): s.value = -i", "print('done')")])
    nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    for who in ('ann', 'ben', 'cat', 'dan'):
        (tmp_path/'subs'/who).mkdir(parents=True); nbformat.write(nb, tmp_path/'subs'/who/'burst.ipynb')
    for jobs in (1, 2):
        out = grade(tmp_path/'subs', tmp_path/f'grades{jobs}', timeout=20, memory_gb=None, jobs=jobs)
        rows = list(csv.DictReader(open(out)))
        assert not [r for r in rows if r['exercise'] == '(notebook)'], rows   # a timeout or an error would be a '(notebook)' row
