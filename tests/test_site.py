"""`tl-lessons site`: the course rendered to static HTML from the stored outputs, without running anything."""
import io, re
from contextlib import redirect_stdout, redirect_stderr
from pathlib import Path
from tl_lessons.cli import main
from tl_lessons.course.site import site_pages, site_part

ROOT = Path(__file__).resolve().parent.parent

def test_site_pages_link_and_hold_no_traceback(tmp_path):
    "On a few lessons (tests/test_browser.py opens every page of the whole site)"
    import shutil
    nbs, out = tmp_path/'nbs', tmp_path/'site'; (nbs/'library').mkdir(parents=True)
    for name in ('index', '00_data', 'library/68_course_site', 'library/40_text_fit'): shutil.copy(ROOT/'nbs'/f'{name}.ipynb', nbs/f'{name}.ipynb')
    with redirect_stdout(io.StringIO()) as so, redirect_stderr(io.StringIO()): rc = main(['site', str(out), '--nbs', str(nbs)])
    assert rc == 0 and 'wrote 4 pages' in so.getvalue()
    pages = site_pages(nbs)
    assert pages[0].stem == 'index' and len(pages) == 4 and len(site_pages(ROOT/'nbs')) >= 20
    assert [site_part(p) for p in pages] == ['Course', 'Course', 'Library reference', 'Library reference']
    for p in pages:
        html = (out/f'{p.stem}.html').read_text(encoding='utf-8')
        assert 'Traceback (most recent call last)' not in html, p.name
        links = set(re.findall(r'<a [^>]*href="([^"#:]+\.html)"', html))
        assert {f'{q.stem}.html' for q in pages} <= links, p.name          # every chapter is one click away
        course = {f'{q.stem}.html' for q in site_pages(ROOT/'nbs')}
        assert all((out/l).exists() or l in course for l in links), p.name   # every link resolves: here, or in the whole course (the index's reading order)
        nav = html.split('<nav', 1)[1].split('</nav>', 1)[0]
        assert nav.index('>Course</h2>') < nav.index('00_data.html') < nav.index('>Library reference</h2>') < nav.index('40_text_fit.html'), p.name
    rc = main(['site', str(tmp_path/'s2'), '--nbs', str(tmp_path/'nowhere')])
    assert rc == 1

def test_wheel_ships_the_lessons(installed_wheel):
    "A plain (not editable) install carries the lessons with their outputs; lessons, student and site work without --nbs"
    w = installed_wheel
    assert str(ROOT) not in str(w['module']) and w['module'].parent.name == 'tl_lessons'   # the installed copy, not the checkout
    lessons = w['module'].parent/'lessons'
    shipped = sorted(p.relative_to(lessons).as_posix() for p in lessons.glob('**/*.ipynb'))
    want = sorted(p.relative_to(ROOT/'nbs').as_posix() for p in site_pages(ROOT/'nbs'))
    assert shipped == want == sorted(p.relative_to(w['lessons']).as_posix() for p in w['lessons'].glob('**/*.ipynb'))
    assert 'library/31_vision_fit.ipynb' in shipped   # the library pages too, in their own folder
    assert (w['lessons']/'00_data.ipynb').read_bytes() == (ROOT/'nbs'/'00_data.ipynb').read_bytes()   # with its stored outputs
    assert 'student notebooks' in w['printed']['student'] and (w['student']/'00_data.ipynb').exists()
    assert len(list(w['site'].glob('*.html'))) == len(shipped) and (w['site']/'index.html').exists()
