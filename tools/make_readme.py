"""Write README.md from nbs/index.ipynb with nbconvert's markdown exporter.

Quarto (and so `nbdev_readme`) cannot be installed on the project's machines, so this small step
replaces it: `python tools/make_readme.py` rewrites README.md; `python tools/make_readme.py --check`
exits 1 when README.md is stale. tests/test_readme.py runs the check.
"""
import re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->\n\n"

def render(nb_path=ROOT/'nbs'/'index.ipynb') -> str:
    "The README text for the notebook at `nb_path`"
    import nbformat
    from nbconvert import MarkdownExporter
    nb = nbformat.read(nb_path, as_version=4)
    cells = []
    for c in nb.cells:
        src = c.source
        if c.cell_type == 'code':
            if re.search(r'^#\|\s*(hide|export|default_exp)', src, re.M): continue
            shown = [o.get('data', {}) for o in c.get('outputs', []) if o.get('output_type') in ('execute_result', 'display_data')]
            text = [''.join(d['text/markdown']) for d in shown if 'text/markdown' in d]
            if text:   # a table the cell made (the reading order): the README shows the table, not the call
                cells.append(nbformat.v4.new_markdown_cell('\n\n'.join(text))); continue
            if any(k.startswith('image/') for d in shown for k in d): continue   # a figure: the site shows it; a README has no room for it
            c.source = '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip()
            c.outputs = []
        cells.append(c)
    nb.cells = cells
    body, _ = MarkdownExporter().from_notebook_node(nb)
    body = re.sub(r'\n{3,}', '\n\n', body).strip() + '\n'
    return HEADER + body

def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    text, readme = render(), ROOT/'README.md'
    if '--check' in argv:
        ok = readme.exists() and readme.read_text(encoding='utf-8') == text
        if not ok: print("README.md is out of date with nbs/index.ipynb: run `python tools/make_readme.py`.")
        return 0 if ok else 1
    readme.write_text(text, encoding='utf-8')
    print(f"wrote {readme}")
    return 0

if __name__ == '__main__': sys.exit(main())
