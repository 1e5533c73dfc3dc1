"""Numbers in a lesson's prose come from the run above them.

Every number written with exactly three decimals (0.721, +0.157, 1.000) in a lesson's markdown must appear in the
outputs of the code cells above that markdown cell: the same string, or a longer float that rounds to it (0.72142 for
0.721). Signs are ignored (prose writes −0.017 with a Unicode minus where the output prints -0.017); percentages are out of
scope. The instructors' answers and the questionnaire may speak of hypothetical numbers and are not checked.
A number that the prose takes from outside the run (a paper, BENCHMARKS.md) goes in ALLOWED, with where it comes from.
"""
import json, re
from decimal import Decimal
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent

# notebook stem -> numbers its prose attributes to an outside source, each with where it comes from
ALLOWED = {
    '06_feature_extraction': {
        '0.900',  # md cell 35: chapter 5's stored run, the chosen schedule (unfreeze, discriminative) at 10 labels, test mean
        '0.009',  # md cell 35: its sd over seeds 0-2, same run (0.900 ± 0.009)
        '0.923',  # md cell 35: chapter 5's stored run, unfreeze with one rate at 10 labels, test mean
        '0.002',  # md cell 35: its sd, same run (0.923 ± 0.002)
    },
}

LESSONS = sorted(ROOT.glob('nbs/0*.ipynb')) + [ROOT/'nbs'/'18_adapting.ipynb', ROOT/'nbs'/'20_ulmfit.ipynb']
SKIP_CELLS = ('### Answers (for instructors)', '## Questionnaire')
OUTPUT_MIMES = ('text/plain', 'text/html', 'text/markdown')   # fastprogress writes its tables as text/markdown too

# exactly three decimals, one digit before the point; not part of a longer number or a version (1.000.2), not a percentage
PROSE_NUMBER = re.compile(r'(?<![\d.])[-+\u2212]?(\d\.\d{3})(?!\d|\.\d|\s*%)')
OUTPUT_NUMBER = re.compile(r'(?<![\d.])\d+\.\d+(?:[eE][-+]?\d+)?(?!\d)')

def _text(s): return ''.join(s) if isinstance(s, list) else (s or '')

def _output_text(cell) -> str:
    parts = []
    for o in cell.get('outputs', []):
        if o.get('output_type') == 'stream': parts.append(_text(o.get('text')))
        for mime in OUTPUT_MIMES:
            if mime in o.get('data', {}): parts.append(_text(o['data'][mime]))
    return '\n'.join(parts)

def _numbers(text) -> list[Decimal]:
    return [Decimal(m.group(0)) for m in OUTPUT_NUMBER.finditer(text)]

def _present(number: str, seen: list[Decimal]) -> bool:
    "`number` (unsigned, 3 decimals) is printed as is, or a float with more decimals rounds to it"
    p = Decimal(number)
    return any((d.as_tuple().exponent == -3 and d == p) or (d.as_tuple().exponent < -3 and abs(d - p) <= Decimal('0.0005'))
               for d in seen)

def offending_numbers(nb: Path) -> list[str]:
    "Each three-decimal number in the prose that no output above it shows, as 'md cell i: number in «context»'"
    allowed = ALLOWED.get(nb.stem, set())
    seen, bad = [], []
    for i, cell in enumerate(json.loads(nb.read_text(encoding='utf-8'))['cells']):
        if cell['cell_type'] == 'code':
            seen.extend(_numbers(_output_text(cell)))
            continue
        src = _text(cell.get('source'))
        if cell['cell_type'] != 'markdown' or src.lstrip().startswith(SKIP_CELLS): continue
        for m in PROSE_NUMBER.finditer(src):
            if m.group(1) in allowed or _present(m.group(1), seen): continue
            context = ' '.join(src[max(0, m.start() - 70):m.end() + 50].split())
            bad.append(f"md cell {i}: {m.group(0)} in «…{context}…»")
    return bad

def test_lessons_found():
    assert len(LESSONS) >= 10 and all(nb.exists() for nb in LESSONS), LESSONS

@pytest.mark.parametrize('nb', LESSONS, ids=lambda p: p.stem)
def test_prose_numbers_come_from_the_run_above(nb):
    bad = offending_numbers(nb)
    assert not bad, (f"{nb.name}: {len(bad)} number(s) in the prose that no code output above them shows "
                     f"(rerun and update the prose, or add to ALLOWED with its outside source):\n  " + '\n  '.join(bad))

def test_allowed_are_still_in_the_prose():
    "An allowlisted number the prose no longer writes is stale: remove it from ALLOWED"
    stale = []
    for stem, numbers in ALLOWED.items():
        prose = ' '.join(_text(c.get('source')) for c in json.loads((ROOT/'nbs'/f'{stem}.ipynb').read_text(encoding='utf-8'))['cells']
                         if c['cell_type'] == 'markdown')
        written = {m.group(1) for m in PROSE_NUMBER.finditer(prose)}
        stale += [f"{stem}: {n}" for n in sorted(numbers - written)]
    assert not stale, f"ALLOWED lists numbers the prose no longer writes: {stale}"
