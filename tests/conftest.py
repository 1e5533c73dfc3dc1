import os, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault('MPLBACKEND', 'Agg')
os.environ.setdefault('IN_TEST', '1')

# The suite runs in parallel (pyproject.toml's addopts: `-n auto --dist loadgroup`, pytest-xdist): one worker per core, at most 4.
# Each worker then gets its share of the cores as threads, for itself and the kernels and processes it starts, so that
# workers do not oversubscribe the CPU (two 2-thread torch processes on 2 cores run slower than one after the other).
# Set OMP_NUM_THREADS yourself to override; `pytest -n 0` runs the tests one after the other.
MAX_WORKERS = 4

def pytest_xdist_auto_num_workers(config):
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))

if os.environ.get('PYTEST_XDIST_WORKER_COUNT'):
    _threads = str(max(1, (os.cpu_count() or 1) // int(os.environ['PYTEST_XDIST_WORKER_COUNT'])))
    os.environ.setdefault('OMP_NUM_THREADS', _threads); os.environ.setdefault('MKL_NUM_THREADS', _threads)

@pytest.hookimpl(tryfirst=True)   # before xdist's own hook, which reads the mark into the test's id
def pytest_collection_modifyitems(config, items):
    "Under xdist, the browser tests and the installed-wheel tests share one worker: one Voila, one browser, one wheel build"
    for item in items:
        if item.get_closest_marker('browser') or 'installed_wheel' in getattr(item, 'fixturenames', ()):
            item.add_marker(pytest.mark.xdist_group('browser_and_wheel'))

def pytest_terminal_summary(terminalreporter):
    shots = Path(os.environ.get('TL_SCREENSHOTS', ROOT/'tl_out'/'browser_screenshots'))
    if shots.exists() and any(shots.glob('*.png')):
        terminalreporter.write_line(f"browser screenshots: {shots} ({len(list(shots.glob('*.png')))} PNG files)")

import pytest

def running_site_dirs() -> list[str]:
    "The site-packages folders this interpreter imports from: a venv's own, plus the base's when it was made with --system-site-packages"
    return [p for p in sys.path if os.path.basename(p) in ('site-packages', 'dist-packages') and os.path.isdir(p)]

def see_running_packages(py):
    """Let the fresh venv of `py` see exactly the running environment's packages, after its own (so a wheel installed there wins).
    `venv --system-site-packages` would show the *base* interpreter's packages instead: from inside a venv, none of the dependencies
    installed into it. One .pth line adds each of our site folders with `site.addsitedir`, so their own .pth files work too."""
    import subprocess
    own = subprocess.run([str(py), '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'],
                         capture_output=True, text=True, check=True).stdout.strip()
    line = f"import site; list(map(site.addsitedir, {running_site_dirs()!r}))\n"   # addsitedir skips a folder already there
    Path(own, '_tl_running_env.pth').write_text(line)

@pytest.fixture(scope='session')
def installed_wheel(tmp_path_factory):
    """tl_lessons built as a wheel and installed (not editable) into a fresh virtual environment that sees the running environment's packages
    (`see_running_packages`: nothing is downloaded, whatever kind of environment runs the
    suite); then `lessons`, `student` and `site` run there, without --nbs, outside the checkout. Returns the folders they wrote and what they printed."""
    import subprocess
    base = tmp_path_factory.mktemp('wheel')
    def run(*cmd, **kw):
        r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300, **kw)
        assert r.returncode == 0, f"{cmd}: {r.stderr[-3000:]}"
        return r.stdout
    import shutil
    src = base/'src'; src.mkdir()   # build from a copy of what a release holds: the checkout gets no build/ folder, and no stale one is used
    for f in ('setup.py', 'settings.ini', 'MANIFEST.in', 'README.md', 'LICENSE'): shutil.copy(ROOT/f, src/f)
    shutil.copytree(ROOT/'tl_lessons', src/'tl_lessons', ignore=shutil.ignore_patterns('__pycache__', 'lessons'))
    (src/'nbs'/'library').mkdir(parents=True)
    for nb in (ROOT/'nbs').glob('**/*.ipynb'): shutil.copy(nb, src/'nbs'/nb.relative_to(ROOT/'nbs'))
    run(sys.executable, '-m', 'pip', 'wheel', src, '--no-deps', '--no-build-isolation', '-q', '-w', base/'dist', '--no-cache-dir', cwd=base)
    venv = base/'venv'
    run(sys.executable, '-m', 'venv', venv)
    py = venv/'bin'/'python'
    see_running_packages(py)
    from jupyter_core.paths import jupyter_path   # and its data files (nbconvert's templates), which live beside a prefix, not in site-packages
    kw = dict(env={**os.environ, 'JUPYTER_PATH': os.pathsep.join(jupyter_path())})
    run(py, '-m', 'pip', 'install', '-q', '--no-deps', '--no-index', *sorted((base/'dist').glob('*.whl')))
    where = run(py, '-c', 'import tl_lessons; print(tl_lessons.__file__)', cwd=base, **kw).strip()
    cli = venv/'bin'/'tl-lessons'
    out = {k: run(cli, k, base/k, cwd=base, **kw) for k in ('lessons', 'student', 'site')}
    return dict(base=base, module=Path(where), printed=out, **{k: base/k for k in ('lessons', 'student', 'site')})
