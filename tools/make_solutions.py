"""Write tl_lessons/assets/solutions.json from the lessons' solution regions.

Each exercise's solution is written once, between `### BEGIN SOLUTION` and `### END SOLUTION` in its
lesson notebook; `q.solution()` shows it from this file, which the package ships.
`python tools/make_solutions.py` rewrites the file; `--check` exits 1 when it is stale
(tests/test_exercises.py runs the same comparison).
"""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def main(argv=sys.argv[1:]):
    from tl_lessons.course.exercises import solution_texts, solutions_file, write_solutions
    if '--check' in argv:
        want = {p.stem: t for p in sorted((ROOT/'nbs').glob('*.ipynb')) if (t := solution_texts(p))}
        if json.loads(solutions_file().read_text(encoding='utf-8')) != want:
            print(f"{solutions_file()} is out of date: run `python tools/make_solutions.py`."); return 1
        return 0
    found = write_solutions(ROOT/'nbs')
    print(f"wrote {sum(map(len, found.values()))} solutions of {len(found)} lessons to {solutions_file()}")
    return 0

if __name__ == '__main__': sys.exit(main())
