"""Nothing breaks for today's users when the package moves into wings: old module paths, old names, old model files, workers."""
import importlib, multiprocessing, re, subprocess, sys, warnings
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent

def _fresh(code:str) -> str:
    "Run `code` in a fresh interpreter with every warning shown; returns its stderr and stdout"
    r = subprocess.run([sys.executable, '-W', 'always::DeprecationWarning', '-c', code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip().splitlines()[-1] == 'ok', r.stdout
    return r.stderr

def test_every_old_module_imports_and_names_its_new_home():
    from tl_lessons.compat import OLD_MODULES
    assert len(OLD_MODULES) >= 25
    for old, new in OLD_MODULES.items():
        new_mod = importlib.import_module(new)
        names = [n for n in getattr(new_mod, '__all__', []) if not n.startswith('_')][:3]
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter('always')
            mod = importlib.import_module(old)
            for n in names:
                assert getattr(mod, n) is getattr(new_mod, n), (old, n)
        said = ' '.join(str(x.message) for x in w if x.category is DeprecationWarning)
        for n in names: assert f'`{old}.{n}` has moved to `' in said, (old, n, said)

def test_old_imports_work_in_a_fresh_interpreter():
    "What users' scripts say today, each giving the same object as the new path and a warning that names it"
    out = _fresh("""
from tl_lessons.own_images import fit, FitError
from tl_lessons.vision.fit import fit as fit2
from tl_lessons.fitting import FitError as E2
assert fit is fit2 and FitError is E2
from tl_lessons.data import digits, get_task, Task
from tl_lessons.data.core import digits as d2
from tl_lessons.data.external import get_task as g2
assert digits is d2 and get_task is g2
import tl_lessons.pretrained as p
from tl_lessons.checks import exercises_for
assert len(exercises_for('01_models')) >= 4
from tl_lessons.source import TransferExplorer   # a name that had moved before (to the widgets), then moved again
from tl_lessons.own_images import *
assert 'predict' in dir()
print('ok')""")
    for said in ('`tl_lessons.own_images` has moved to `tl_lessons.vision.fit`', '`tl_lessons.own_images.FitError` has moved to `tl_lessons.fitting.FitError`',
                 '`tl_lessons.data.get_task` has moved to `tl_lessons.data.external.get_task`', '`tl_lessons.pretrained` has moved to `tl_lessons.vision.pretrained`',
                 'has moved to `tl_lessons.course.widgets.TransferExplorer`'):
        assert said in out, (said, out[-3000:])

def test_a_model_file_saved_today_still_loads(tmp_path):
    "Model files record the module that builds their network; files saved before the move say `tl_lessons.pretrained`"
    import torch
    from tl_lessons.train.models import save_model, load_model
    from tl_lessons.vision.pretrained import efficientnet_lite0
    m = efficientnet_lite0(pretrained=False, n_classes=3)
    path = save_model(m, tmp_path/'new.pth', classes=['a', 'b', 'c'])
    d = torch.load(path, weights_only=True)
    assert d['arch']['build']['module'] == 'tl_lessons.vision.pretrained'   # what a model saved from now on records
    d['arch']['build']['module'] = 'tl_lessons.pretrained'                  # what one saved before the move recorded
    torch.save(d, tmp_path/'old.pth')
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        m2, meta = load_model(tmp_path/'old.pth')
    assert meta['classes'] == ['a', 'b', 'c']
    assert all(torch.equal(a, b) for a, b in zip(m.state_dict().values(), m2.state_dict().values()))

def _square(x): return x * x

def test_spawned_and_forkserver_workers_import_the_new_paths():
    "A worker process imports what it runs by module path: the new ones, which exist; the fork server preloads the new features module"
    from tl_lessons.data.core import stratified_split
    ctx = multiprocessing.get_context('spawn')
    with ctx.Pool(1) as pool:
        split = pool.apply(stratified_split, ([0, 1] * 20, 4, 4))
    assert sorted(set(split.tolist())) == [0, 1, 2]
    assert stratified_split.__module__ == 'tl_lessons.data.core'
    for p in (ROOT/'tl_lessons').glob('**/*.py'):
        for mods in re.findall(r"set_forkserver_preload\((\[[^\]]*\])", p.read_text(encoding='utf-8')):
            for m in eval(mods):
                assert importlib.util.find_spec(m) is not None and m not in __import__('tl_lessons.compat').compat.OLD_MODULES, (p, m)
    from tl_lessons.vision.discriminative import compare_strategies   # chapter 5's worker runs the library's own functions
    assert compare_strategies.__module__ == 'tl_lessons.vision.discriminative'
