"""Classroom tools: the student release and a grader that survives bad submissions."""
import csv, json
from pathlib import Path
import nbformat
import pytest
from tl_lessons.course.exercises import student_version, student_release, solution_regions, nbgrader_cells, is_authoring, is_instructor_only, NOT_ATTEMPTED, CORRECT
from tl_lessons.course.grading import grade

EX = """from tl_lessons.course.exercises import Exercise, Wrong, ___
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
    _nb(subs/'ann'/'demo.ipynb', EX, "q1.check(4)", "#| eval: false\nraise RuntimeError('skipped, as nbdev skips it')")
    _nb(subs/'bob'/'demo.ipynb', EX, "q1.check(5)", "raise RuntimeError('boom')")
    pid_file = tmp_path/'cat_kernel.pid'
    _nb(subs/'cat'/'demo.ipynb', EX, f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(4)",
        "q1.check(___)", "while True: pass")   # the limit runs out in the last cell, before that cell's own timeout
    (subs/'dan').mkdir(); (subs/'dan'/'demo.ipynb').write_text('{not json')
    _nb(subs/'eve'/'demo.ipynb', EX, "import os, glob\nfor f in glob.glob('*'): os.remove(f)", "q1.check(4)")
    (subs/'eve'/'data.txt').write_text('keep me')
    rows_path = grade(subs, tmp_path/'out', timeout=10)
    assert (tmp_path/'out'/'feedback'/'bob'/'demo.md').exists()
    rows = list(csv.DictReader(open(rows_path)))
    got = {(r['student'], r['exercise']): r['outcome'] for r in rows}
    assert got[('ann', 'q1')] == 'correct' and ('ann', '(notebook)') not in got   # the eval: false cell was skipped
    assert got[('bob', 'q1')] == 'incorrect' and got[('bob', '(notebook)')] == 'error'
    msg = {(r['student'], r['exercise']): r['message'] for r in rows}
    assert msg[('bob', '(notebook)')] == "cell 3, `raise RuntimeError('boom')`: RuntimeError: boom"   # which cell, which line, no colour codes
    assert got[('cat', 'q1')] == 'not attempted' and got[('cat', '(notebook)')] == 'timeout'
    assert not Path(f"/proc/{pid_file.read_text()}").exists()                    # its kernel was killed, not left spinning
    assert got[('dan', '(notebook)')] == 'invalid notebook'
    assert got[('eve', 'q1')] == 'correct' and (subs/'eve'/'data.txt').exists()   # deleted only a scratch copy
    assert got[('eve', '(notebook)')] == 'deleted files'                          # and is recorded as deleting
    assert (tmp_path/'out'/'summary.csv').exists()

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p.stem for p in (ROOT/'nbs').glob('*.ipynb') if solution_regions(p))

def test_every_lesson_has_exercises_and_a_questionnaire():
    "Chapters 0-7 and 18 each have at least four exercises (checks registered in tl_lessons.course.checks.basics) and end with a questionnaire"
    from tl_lessons.course.checks.registry import exercises_for
    want = ['00_data', '01_models', '02_source_task', '03_pretrained', '04_freeze_unfreeze', '05_discriminative_lr', '06_feature_extraction', '07_widgets', '08_photos', '09_which_approach', '18_adapting', '20_ulmfit']
    assert LESSONS == want, LESSONS
    for l in LESSONS:
        nb = nbformat.read(ROOT/'nbs'/f'{l}.ipynb', 4)
        src = '\n'.join(c.source for c in nb.cells)
        qs = exercises_for(l)
        assert len(qs) >= 4 and src.count('### BEGIN SOLUTION') >= len(qs), l
        for i in range(1, len(qs) + 1): assert f'q{i}.check(' in src, (l, i)
        assert any(c.cell_type == 'markdown' and c.source.startswith('## Questionnaire') for c in nb.cells), l

def test_solutions_are_written_once_in_the_lessons():
    "What `q.solution()` shows is the lesson's solution region, through the shipped solutions file, which is up to date"
    import json
    from tl_lessons.course.checks.registry import exercises_for
    from tl_lessons.course.exercises import solution_texts, solutions_file
    shipped = json.loads(solutions_file().read_text(encoding='utf-8'))
    for l in LESSONS:
        regions = solution_texts(ROOT/'nbs'/f'{l}.ipynb')
        assert shipped.get(l) == regions, f"{solutions_file()} is out of date for {l}: run `python tools/make_solutions.py`."
        qs = exercises_for(l)
        assert len(regions) == len(qs), l
        for q, r in zip(qs, regions): assert q.solution() == r, (l, q.name)

@pytest.fixture(scope='module')
def student_release_dir(tmp_path_factory):
    "The student release of all lessons, made by the command line from a folder outside the project"
    import subprocess, sys
    where = tmp_path_factory.mktemp('teacher')
    exe = Path(sys.executable).parent/'tl-lessons'
    cli = [str(exe)] if exe.exists() else [sys.executable, '-m', 'tl_lessons.cli']
    r = subprocess.run(cli + ['student', 'rel', '--nbs', str(ROOT/'nbs')], capture_output=True, text=True, timeout=120, cwd=where)
    assert r.returncode == 0, r.stderr
    for l in LESSONS: assert f'{l}.ipynb (' in r.stdout, r.stdout
    return where/'rel'

def test_every_exercise_carries_nbgrader_metadata():
    "Each exercise is an answer cell (solution) and a locked check cell (grade, points), with unique grade ids; the questionnaire's answers are an instructor-only cell"
    from tl_lessons.course.checks.registry import exercises_for
    ids = []
    for l in LESSONS:
        cells = nbgrader_cells(ROOT/'nbs'/f'{l}.ipynb')
        answers, checks = [m for m in cells if m['solution'] and m['grade_id'].endswith('-answer')], [m for m in cells if m['grade'] and m['grade_id'].endswith('-check')]
        assert len(answers) == len(checks) == len(exercises_for(l)), l
        assert all(not m['grade'] and not m['locked'] for m in answers) and all(m['locked'] and m['points'] > 0 for m in checks), l
        assert [m['grade_id'] for m in cells if m['grade_id'].endswith('questionnaire-answers')], l
        ids += [m['grade_id'] for m in cells]
    assert len(ids) == len(set(ids))

def test_the_release_is_for_students(student_release_dir):
    "No authoring cell, no instructor-only answers, no solution in the student release"
    for l in LESSONS:
        nb = nbformat.read(student_release_dir/f'{l}.ipynb', 4)
        assert not any(is_authoring(c) or is_instructor_only(c) for c in nb.cells), l
        assert not any('### BEGIN SOLUTION' in c.source for c in nb.cells), l

@pytest.mark.parametrize('lesson', LESSONS)
def test_lesson_validation_both_ways(lesson, student_release_dir, tmp_path):
    """Graded as a teacher would, from a folder outside the project (the kernel has no IN_TEST, so an authoring cell
    would fail there): the instructor notebook runs to the end (quick mode, all its assertions) and passes every check;
    its student release runs to the end too, with every check 'not attempted'. (This run is the notebook's test:
    tests/test_notebooks.py leaves lessons with exercises to it.)"""
    import shutil
    from tl_lessons.course.checks.registry import exercises_for
    subs = tmp_path/'subs'
    for who, src in (('instructor', ROOT/'nbs'/f'{lesson}.ipynb'), ('student', student_release_dir/f'{lesson}.ipynb')):
        (subs/who).mkdir(parents=True); shutil.copy(src, subs/who/f'{lesson}.ipynb')
    rows = list(csv.DictReader(open(grade(subs, tmp_path/'out', timeout=420, quick=True, jobs=2))))
    problems = [r for r in rows if r['exercise'] == '(notebook)']
    assert not problems, problems                                      # the notebooks ran to the end: no (notebook) row
    by = {}
    for row in rows: by.setdefault(row['student'], []).append((row['exercise'], row['outcome'], row['message']))
    names = [q.name for q in exercises_for(lesson)]
    for who, want in (('instructor', CORRECT), ('student', NOT_ATTEMPTED)):
        got = by.get(who, [])
        assert [e for e, *_ in got] == names, f"{who}: {got}"
        assert all(o == want for _, o, _ in got), f"{who}: {got}"
        assert not any('did not reach' in m for *_, m in got), f"{who}: {got}"   # every check was reached
