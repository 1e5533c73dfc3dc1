"""The literate source and the package agree: exporting again changes nothing, and the notebooks are clean."""
import json, re, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def _copy(tmp_path):
    dst = tmp_path/'repo'
    dst.mkdir()
    for f in ('settings.ini', 'setup.py'): shutil.copy(ROOT/f, dst/f)
    for d in ('nbs', 'tl_lessons'):
        shutil.copytree(ROOT/d, dst/d, ignore=shutil.ignore_patterns('__pycache__', '.ipynb_checkpoints', 'models', '*.png'))
    return dst

def _snapshot(folder, pattern):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.glob(pattern))}

def _run(cmd, cwd):
    exe = Path(sys.executable).parent/cmd
    r = subprocess.run([str(exe) if exe.exists() else cmd], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"{cmd} failed:\n{r.stdout}\n{r.stderr}"

def test_package_in_sync_with_notebooks(tmp_path):
    repo = _copy(tmp_path)
    before = _snapshot(repo/'tl_lessons', '**/*.py')
    _run('nbdev_export', repo)
    after = _snapshot(repo/'tl_lessons', '**/*.py')
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"nbdev_export changed {changed}: edit nbs/, run nbdev_export and commit both."

def test_notebooks_are_clean(tmp_path):
    repo = _copy(tmp_path)
    before = _snapshot(repo/'nbs', '**/*.ipynb')
    _run('nbdev_clean', repo)
    after = _snapshot(repo/'nbs', '**/*.ipynb')
    changed = sorted(k for k in before if before[k] != after.get(k))
    assert not changed, f"nbdev_clean changed {changed}: run nbdev_clean and commit the cleaned notebooks."

NOTEBOOKS = sorted((ROOT/'nbs').glob('**/*.ipynb'))
LESSONS = sorted((ROOT/'nbs').glob('*.ipynb'))            # the course: the index and the chapters, in reading order
LIBRARY = sorted((ROOT/'nbs'/'library').glob('*.ipynb'))  # the library pages

def _modules():
    "Every module of the package as a dotted name under tl_lessons ('vision.fit'), with its path; packages' __init__ files left out"
    pkg = ROOT/'tl_lessons'
    return {'.'.join(p.relative_to(pkg).with_suffix('').parts): p for p in sorted(pkg.glob('**/*.py'))
            if not p.name.startswith('_') and '__pycache__' not in p.parts}

def test_every_module_has_a_notebook():
    exported = set()
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text(encoding='utf-8'))['cells']
        exported |= {l.split('default_exp', 1)[1].strip() for c in cells for l in ''.join(c['source']).splitlines() if l.startswith('#| default_exp')}
    assert set(_modules()) <= exported, f"modules with no notebook behind them (hand-written?): {sorted(set(_modules()) - exported)}"

WINGS = ['shared', 'data', 'train', 'fitting', 'interpret', 'vision', 'text', 'compare', 'export', 'course', 'cli']   # imports run from right to left only
def _wing(mod:str) -> str:
    top = mod.split('.')[0]
    return 'shared' if top == 'compat' else top

def _imports(path, mod):
    "(module imported, names imported) for each import of a tl_lessons module anywhere in `path` (top level or inside functions), as dotted names"
    import ast
    here = mod.split('.')
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if isinstance(node, ast.ImportFrom):
            if node.level: base = '.'.join(here[:len(here) - node.level] + ([node.module] if node.module else []))
            elif (node.module or '').startswith('tl_lessons.') or node.module == 'tl_lessons': base = node.module[len('tl_lessons.'):] if '.' in node.module else ''
            else: continue
            names = [a.name for a in node.names]
            subs = [f"{base}.{n}".strip('.') for n in names if f"{base}.{n}".strip('.') in _modules()]
            if subs: yield from ((s, []) for s in subs)
            else: yield base, names
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith('tl_lessons.'): yield a.name[len('tl_lessons.'):], []

def test_layout_wings():
    """The package is laid out in wings (data, train, vision, text, course) whose imports run one way; no circle between modules; no private
    name imported from another module; no module over 450 lines; ipywidgets only in course.widgets"""
    mods = _modules()
    assert {_wing(m) for m in mods} <= set(WINGS), f"a module outside the wings: {sorted(m for m in mods if _wing(m) not in WINGS)}"
    graph = {}
    for m, p in mods.items():
        text = p.read_text(encoding='utf-8')
        assert len(text.splitlines()) <= 450, f"{p.relative_to(ROOT)} has {len(text.splitlines())} lines; split it by job"
        if m != 'course.widgets': assert 'import ipywidgets' not in text, f"{m} imports ipywidgets: widgets live in tl_lessons.course.widgets"
        for dep, names in _imports(p, m):
            if dep in ('', m) or dep not in mods: continue
            graph.setdefault(m, set()).add(dep)
            assert WINGS.index(_wing(dep)) <= WINGS.index(_wing(m)), f"{m} ({_wing(m)}) imports {dep} ({_wing(dep)}): imports run {' → '.join(WINGS)}"
            private = [n for n in names if n.startswith('_') and not n.startswith('__')]
            assert not private, f"{m} imports the private {private} from {dep}: make them public with a docstring, or move them where they are used"
    def visit(m, path):   # a depth-first search for a circle
        for d in graph.get(m, ()):
            assert d not in path, f"an import circle: {' → '.join(path[path.index(d):] + [d])}"
            visit(d, path + [d])
    for m in graph: visit(m, [m])

def test_stored_outputs_come_from_their_code():
    "Every code cell's stored outputs were made by its current source (stamped by `tl-lessons execute`); edit a cell, and run it again"
    from tl_lessons.course.site import stale_cells
    stale = {nb.relative_to(ROOT/'nbs').as_posix(): cells for nb in NOTEBOOKS
             for cells in [stale_cells(json.loads(nb.read_text(encoding='utf-8')))] if cells}
    assert not stale, f"outputs that no longer come from their code (notebook: cell indices): {stale}; run tl-lessons execute NOTEBOOK"

MACHINE_PATHS = re.compile(r'(?<![\w<>.-])/(?:tmp|root|home|Users|work|private/var)/')   # an absolute path of the machine that ran the lesson

def _texts(output) -> str:
    "The text an output shows a reader: stream text and every text/* form (images left out: base64 can spell anything)"
    parts = [''.join(output.get('text', ''))]
    parts += [''.join(v) if isinstance(v, list) else str(v) for k, v in output.get('data', {}).items() if k.startswith('text/')]
    return '\n'.join(parts)

NOT_RUN_YET = set()   # notebooks whose full run is still to be stored (none: chapter 5's 210 fits took 1,665 s with two processes)

def test_every_lesson_carries_readable_outputs():
    """Every notebook was run in full mode by `tl-lessons execute` and shows its results when opened without running: no error outputs,
    no paths of the machine, no progress-bar frames, figures and notebooks of a sane size"""
    from tl_lessons.course.site import STAMP
    for p in NOTEBOOKS:
        if p.name in NOT_RUN_YET: continue
        nb = json.loads(p.read_text(encoding='utf-8'))
        code = [c for c in nb['cells'] if c['cell_type'] == 'code']
        unrun = [i for i, c in enumerate(nb['cells']) if c['cell_type'] == 'code' and STAMP not in c.get('metadata', {})]
        assert not unrun, f"{p.name}: cells {unrun} were not run by `tl-lessons execute {p.relative_to(ROOT)}`"
        if p in LESSONS and p.stem != 'index': assert any(c.get('outputs') for c in code), f"{p.name} carries no outputs"   # the lessons
        # (a library page may show nothing: its cells are checks that pass silently)
        assert p.stat().st_size < 800_000, f"{p.name} is {p.stat().st_size:,} bytes: lower the figures' size or dpi"
        for i, c in enumerate(nb['cells']):
            for o in c.get('outputs', []):
                where = f"{p.name}, cell {i}"
                assert o['output_type'] != 'error', f"{where}: an error output"
                text = _texts(o)
                assert 'Traceback (most recent call last)' not in text, f"{where}: a traceback"
                assert not MACHINE_PATHS.search(text), f"{where}: a machine path {MACHINE_PATHS.search(text).group()!r}"
                assert '<tmp><tmp>' not in text, f"{where}: a path scrubbed twice"
                assert '\r' not in ''.join(o.get('text', '')), f"{where}: progress-bar frames (carriage returns) in the stream"
                for k, v in o.get('data', {}).items():
                    if k.startswith('image/'): assert len(''.join(v)) < 250_000, f"{where}: a {len(''.join(v)):,}-byte {k}; lower its dpi or size"
