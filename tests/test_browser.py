"""The lessons' widgets in a real browser: Voila on loopback, headless Chromium through Playwright.

Run only these:   pytest -m browser            Skip them:   pytest -m "not browser"
Needs Debian's chromium (/usr/bin/chromium) and the Python packages playwright and voila (the `dev` extra);
.ci/run installs chromium. Screenshots go to tl_out/browser_screenshots/ (or $TL_SCREENSHOTS); the path is printed.
"""
import os, re, secrets, shutil, signal, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get('TL_CHROMIUM', '/usr/bin/chromium')
SHOTS = Path(os.environ.get('TL_SCREENSHOTS', ROOT/'tl_out'/'browser_screenshots'))
ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run']

def _missing():
    try: import playwright, voila  # noqa
    except ImportError as e: return f"python package missing: {e.name}"
    if not Path(CHROMIUM).exists(): return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None

if _missing():
    if os.environ.get('TL_BROWSER_REQUIRED'): raise RuntimeError(f"browser tests required but {_missing()}")
    pytest.skip(_missing(), allow_module_level=True)

# Small notebooks, one widget each, built on the library exactly as the lessons build them
NOTEBOOKS = {
    'freeze': """from tl_lessons.data.core import digits
from tl_lessons.train.models import small_cnn, cnn_learner
from tl_lessons.course.widgets import FreezeExplorer
learn = cnn_learner(digits().shots(2).dls(bs=20, size=16), small_cnn())
learn.freeze()
FreezeExplorer(learn)""",
    'lr_slice': """from tl_lessons.course.widgets import LRSliceExplorer
LRSliceExplorer()""",
    'dashboard': """from tl_lessons.data.core import digits
from tl_lessons.train.models import small_cnn, cnn_learner
from tl_lessons.course.widgets import TrainingDashboard
TrainingDashboard(cnn_learner(digits().shots(10).dls(bs=10, size=16), small_cnn()), epochs=300, every=2)""",
    'features': """from tl_lessons.data.core import digits
from tl_lessons.vision.transfer import load_source
from tl_lessons.course.widgets import FeatureExplorer
src, meta = load_source(); src.stats = tuple(meta['stats'])
FeatureExplorer(models={'course CNN (digit glyphs), 16 px': (src, meta['size'])})""",
    'adapting': """from functools import partial
from tl_lessons.vision.adapting import explore_run
from tl_lessons.course.widgets import AdaptationExplorer
AdaptationExplorer(run=partial(explore_run, steps=3, subset=True), ks=(1, 10))""",
    'broken': """from tl_lessons.course.widgets import LRSliceExplorer
class Broken(LRSliceExplorer):
    def update(self):
        if getattr(self, 'rates', None): raise RuntimeError('deliberately broken callback')
        super().update()
Broken()""",
}

def _write_nb(path, code):
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    nbformat.write(nb, path)

def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

import contextlib

@contextlib.contextmanager
def _serve(cmd, ready_url, logfile, env):
    "Start a server process in its own session, wait until `ready_url` answers, and always stop it (and its kernels)"
    log = open(logfile, 'w')
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        deadline = time.time() + 90
        while True:
            try: urllib.request.urlopen(ready_url, timeout=5); break
            except Exception:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"the server did not start: {Path(logfile).read_text()[-2000:]}")
                time.sleep(0.5)
        yield proc
    finally:
        try: os.killpg(proc.pid, signal.SIGTERM); proc.wait(15)
        except Exception:
            try: os.killpg(proc.pid, signal.SIGKILL)
            except Exception: pass
        log.close()

def _server_env():
    env = {**os.environ, 'IN_TEST': '1', 'PYTHONPATH': str(ROOT)}
    env.pop('MPLBACKEND', None)   # the kernels draw inline
    return env

@pytest.fixture(scope='module')
def server(tmp_path_factory):
    "Voila on a free loopback port with a token, serving the widget notebooks and a real lesson; always stopped"
    d = tmp_path_factory.mktemp('voila_nbs')
    for name, code in NOTEBOOKS.items(): _write_nb(d/f'{name}.ipynb', code)
    shutil.copy(ROOT/'nbs'/'00_data.ipynb', d/'00_data.ipynb')
    port, token = _free_port(), secrets.token_hex(16)
    # Voila's executor is an nbclient NotebookClient: served with the course's fix for replies missed after a burst of widget messages
    # (course_site.short_polls_for), as `tl-lessons execute` and the grader run notebooks
    start = ('import sys, nbclient, tl_lessons.course.site as s; s.short_polls_for(nbclient.NotebookClient); '
             'import voila.app; sys.argv[0] = "voila"; voila.app.main()')
    cmd = [sys.executable, '-c', start, str(d), '--no-browser', f'--port={port}', '--Voila.ip=127.0.0.1', f'--token={token}']
    base = f'http://127.0.0.1:{port}'
    with _serve(cmd, f'{base}/?token={token}', d/'voila.log', _server_env()):
        yield dict(base=base, token=token, log=d/'voila.log')

@pytest.fixture(scope='module')
def browser():
    from playwright.sync_api import sync_playwright
    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    try: yield b
    finally:
        b.close(); pw.stop()

@pytest.fixture
def open_nb(server, browser, request):
    pages = []
    def _open(name, ready='.widget-button, .widget-slider, .widget-dropdown', timeout=150_000):
        pg = browser.new_page(viewport={'width': 1200, 'height': 1000})
        pg.route('**/*', lambda r: r.continue_() if r.request.url.startswith('http://127.0.0.1') else r.abort())
        pages.append(pg)
        t0 = time.time()
        try:
            pg.goto(f"{server['base']}/voila/render/{name}.ipynb?token={server['token']}", wait_until='domcontentloaded', timeout=timeout)
            pg.wait_for_selector(ready, timeout=timeout)
        except Exception as e:   # say what the server was doing: Voila's log, and the load of the machine
            raise AssertionError(f"{name}: the page did not render in {time.time() - t0:.0f} s ({type(e).__name__}); load average "
                                 f"{os.getloadavg()}; Voila's log ends:\n{Path(server['log']).read_text()[-3000:]}") from e
        return pg
    yield _open
    SHOTS.mkdir(parents=True, exist_ok=True)
    for i, pg in enumerate(pages):
        try: pg.screenshot(path=str(SHOTS/f'{request.node.name}{"_" + str(i) if i else ""}.png'), full_page=True)
        except Exception: pass
        pg.close()

def _changes(pg, selector, before, timeout=30_000, attr=None):
    "Wait until the first `selector`'s innerHTML (or `attr`) differs from `before`; AssertionError if it never does"
    js = (f"([s, old]) => {{ const e = document.querySelector(s); return e && e.getAttribute('{attr}') !== old; }}" if attr else
          "([s, old]) => { const e = document.querySelector(s); return e && e.innerHTML !== old; }")
    try: pg.wait_for_function(js, arg=[selector, before], timeout=timeout)
    except Exception as e: raise AssertionError(f"{selector} did not change within {timeout / 1000:.0f} s") from e
    el = pg.query_selector(selector)
    return el.get_attribute(attr) if attr else el.inner_html()

def _move_slider(pg, label, presses=1, key='ArrowRight'):
    h = pg.locator('.widget-slider', has_text=label).locator('.noUi-handle').first
    h.focus()
    for _ in range(presses): h.press(key)

def test_data_browser_in_the_lesson(open_nb):
    "The real lesson notebook 00_data renders in Voila; moving the seed slider draws other samples; the checks show their outcomes"
    pg = open_nb('00_data', ready='.widget-slider')
    img = '.widget-vbox .widget-output img'
    pg.wait_for_selector(img, timeout=60_000)
    before = pg.query_selector(img).get_attribute('src')
    _move_slider(pg, 'seed', 2)
    after = _changes(pg, img, before, attr='src')
    assert after != before
    html = pg.content()
    for i, t in enumerate(['test split size', 'a 3-shot task', 'render glyphs', 'class shares'], 1):   # the exercises' checks, rendered
        assert f'<b>data.q{i} {t}</b>: correct' in html, t

def test_freeze_explorer_buttons_change_the_table(open_nb):
    pg = open_nb('freeze', ready='.widget-button')
    table = '.widget-vbox .widget-html-content'
    before = pg.inner_html(table)
    assert before.count('True') >= 4
    pg.locator('button[title="unfreeze()"]').click()
    after = _changes(pg, table, before)
    assert 'True' not in re.sub(r'<th.*?</th>', '', after)       # no group frozen any more
    pg.locator('button[title="freeze()"]').click()
    _changes(pg, table, after)

def test_lr_slice_explorer_slider_redraws_the_plot(open_nb):
    pg = open_nb('lr_slice', ready='.widget-slider')
    img = '.widget-output img'
    pg.wait_for_selector(img)
    text, src = pg.inner_html('.widget-html-content'), pg.query_selector(img).get_attribute('src')
    _move_slider(pg, 'groups', 2)
    _changes(pg, '.widget-html-content', text)
    # 3 groups + 2 steps: five rates, and a new plot
    pg.wait_for_function("() => (document.querySelector('.widget-html-content').innerText.split('→')[1] || '').split(',').length === 5", timeout=30_000)
    _changes(pg, img, src, attr='src')

def test_training_dashboard_curve_grows_and_stop_stops(open_nb):
    pg = open_nb('dashboard', ready='.widget-button')
    pg.locator('button[title="fit_one_cycle"]').click()
    img = '.widget-image'
    pg.wait_for_function("() => { const e = document.querySelector('.widget-image'); return e && (e.getAttribute('src') || '').length > 0; }", timeout=60_000)
    first = pg.query_selector(img).get_attribute('src')
    _changes(pg, img, first, attr='src', timeout=60_000)          # the curve grows while training
    pg.locator('button[title="stop"]').click()
    pg.wait_for_function("() => document.body.innerText.includes('stopped after')", timeout=60_000)
    from playwright.sync_api import expect
    expect(pg.locator('button[title="fit_one_cycle"]')).to_be_enabled(timeout=10_000)   # ready for another run
    expect(pg.locator('button[title="stop"]')).to_be_disabled(timeout=10_000)

def test_feature_explorer_layer_and_query(open_nb):
    pg = open_nb('features', ready='.widget-dropdown')
    status = '.widget-html-content'
    pg.wait_for_function("() => document.body.innerText.includes('test accuracy')", timeout=90_000)
    before = pg.inner_html(status)
    pg.locator('.widget-dropdown', has_text='layer').locator('select').select_option(label='block3.1')
    after = _changes(pg, status, before, timeout=60_000)
    assert 'block3.1' in after
    nn_img = '.widget-hbox .widget-output:nth-child(2) img'
    pg.wait_for_selector(nn_img)
    src = pg.query_selector(nn_img).get_attribute('src')
    _move_slider(pg, 'test image', 1)
    _changes(pg, nn_img, src, attr='src', timeout=60_000)

def test_adaptation_explorer_trains_and_keeps_runs(open_nb):
    "Chapter 18's explorer: pick an approach and a budget, train; the learning curve and confusion matrix appear; the run is kept"
    pg = open_nb('adapting', ready='.widget-button')
    pg.locator('.widget-dropdown', has_text='approach').locator('select').select_option(label='BitFit')
    pg.locator('.widget-dropdown', has_text='labels/class').locator('select').select_option(label='1')
    pg.locator('button[title="train"]').click()
    pg.wait_for_function("() => document.body.innerText.includes('1 label per class')", timeout=120_000)
    pg.wait_for_selector('.widget-output img', timeout=30_000)
    pg.locator('.widget-dropdown', has_text='labels/class').locator('select').select_option(label='10')
    pg.wait_for_function("() => document.body.innerText.includes('not trained yet')", timeout=30_000)
    pg.locator('.widget-dropdown', has_text='labels/class').locator('select').select_option(label='1')
    pg.wait_for_function("() => document.body.innerText.includes('1 label per class')", timeout=30_000)   # kept, not retrained

def test_a_broken_widget_fails_the_check(open_nb):
    "The same check as test_lr_slice_explorer_slider_redraws_the_plot, on a widget whose callback raises: it must fail"
    pg = open_nb('broken', ready='.widget-slider')
    text = pg.inner_html('.widget-html-content')
    _move_slider(pg, 'groups', 2)
    with pytest.raises(AssertionError, match='did not change'):
        _changes(pg, '.widget-html-content', text, timeout=8_000)

@pytest.fixture(scope='module')
def lab(tmp_path_factory):
    "JupyterLab on a free loopback port with a token; always stopped"
    d = tmp_path_factory.mktemp('lab_nbs')
    _write_nb(d/'lr_slice.ipynb', NOTEBOOKS['lr_slice'])
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', f'--port={port}', '--ServerApp.ip=127.0.0.1',
           f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={d}', '--LabApp.news_url=', '--ServerApp.allow_root=True']
    base = f'http://127.0.0.1:{port}'
    with _serve(cmd, f'{base}/api/status?token={token}', d/'lab.log', {**_server_env(), 'JUPYTER_CONFIG_DIR': str(d/'.jupyter_config')}):
        yield dict(base=base, token=token)

def test_widgets_render_in_jupyterlab(lab, browser):
    "A notebook with a course widget, run in JupyterLab: the widget renders, no 'Error displaying widget'"
    pg = browser.new_page(viewport={'width': 1300, 'height': 900})
    pg.route('**/*', lambda r: r.continue_() if r.request.url.startswith('http://127.0.0.1') else r.abort())
    try:
        pg.goto(f"{lab['base']}/lab/tree/lr_slice.ipynb?token={lab['token']}", wait_until='domcontentloaded', timeout=120_000)
        cell = pg.locator('.jp-Cell .jp-InputArea-editor').first
        cell.wait_for(timeout=120_000)
        try:   # JupyterLab may ask which kernel to start
            pg.locator('.jp-Dialog button', has_text='Select').click(timeout=15_000)
        except Exception: pass
        pg.wait_for_function("() => document.body.innerText.includes('| Idle')", timeout=120_000)
        cell.click()
        pg.keyboard.press('Shift+Enter')
        pg.wait_for_selector('.jp-OutputArea .widget-slider', timeout=120_000)
        pg.wait_for_selector('.jp-OutputArea img', timeout=60_000)
        text = pg.inner_text('.jp-OutputArea')
        assert 'Error displaying widget' not in text and 'model not found' not in text
        _move_slider(pg, 'groups', 1)
        pg.wait_for_function("() => (document.querySelector('.jp-OutputArea .widget-html-content').innerText.split('→')[1] || '').split(',').length === 4", timeout=30_000)
    finally:
        SHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SHOTS/'test_widgets_render_in_jupyterlab.png'), full_page=True)
        pg.close()

def test_course_site_in_the_browser(browser, installed_wheel):
    """Every page of `tl-lessons site` (run from an installed wheel, tests/conftest.py): it loads from disk with no network, every
    image shows, no traceback, no code cell wider than the page, and every navigation link resolves"""
    from tl_lessons.course.site import site_pages
    pages = [installed_wheel['site']/f'{p.stem}.html' for p in site_pages(ROOT/'nbs')]
    pg = browser.new_page(viewport={'width': 1200, 'height': 900})
    pg.route('**/*', lambda r: r.continue_() if r.request.url.startswith('file://') else r.abort())   # offline: the CDN scripts fail fast
    n_images = 0
    for page in pages:
        pg.goto(page.as_uri(), wait_until='load')
        images = pg.evaluate("Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
        assert all(images), f"{page.name}: {images.count(False)} images did not load"
        n_images += len(images)
        assert 'Traceback (most recent call last)' not in pg.inner_text('main'), page.name
        cut = pg.evaluate("Array.from(document.querySelectorAll('.jp-InputArea-editor pre')).filter(p => p.scrollWidth > p.clientWidth + 1).length")
        assert cut == 0, f"{page.name}: {cut} code cells wider than the page (their lines would be cut off at the right)"
        links = pg.evaluate("Array.from(document.querySelectorAll('nav.tl-nav a, .tl-pager a')).map(a => a.href)")
        files = {l.split('#')[0] for l in links if l.startswith('file://')}
        assert len(files) >= len(pages) - 1 and all(Path(urllib.request.url2pathname(f[len('file://'):])).exists() for f in files), page.name
        anchors = [l.split('#')[1] for l in links if '#' in l]
        assert all(pg.locator(f'[id="{a}"]').count() for a in anchors), f"{page.name}: a table-of-contents entry has no heading"
    import json
    stored = sum('image/png' in o.get('data', {}) for p in site_pages(ROOT/'nbs') for c in json.loads(p.read_text(encoding='utf-8'))['cells']
                 for o in c.get('outputs', []))
    assert n_images >= stored > 0   # every stored figure is on its page
    pg.goto(pages[0].as_uri()); pg.click('.tl-pager a[rel=next]'); pg.wait_for_load_state()
    assert pg.url.endswith(pages[1].name)   # the pager walks the course in order
    shot = SHOTS/'site_first_chapter.png'; SHOTS.mkdir(parents=True, exist_ok=True); pg.screenshot(path=str(shot))
    pg.close()
