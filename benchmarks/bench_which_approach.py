"""Which approach, when: every approach of the course on every task, label budget and seed, with seconds and peak memory.

    python benchmarks/bench_which_approach.py                     # the full grid (about 80 minutes on 2 cores)
    python benchmarks/bench_which_approach.py --tasks digits --seeds 0 --budgets 10   # one slice

Writes tl_lessons/assets/which_approach.csv (one row per run; rewritten after each task and approach, so a run that
stops keeps what it did; shipped with the package, where `tl_lessons.compare.stored_results` reads it), then prints the table (mean ± sd over seeds), the seconds and peak memory, and the decisions
paired by seed. Chapter 9 (`nbs/09_which_approach.ipynb`) reads the CSV; `tl_lessons.compare` (nbs/library/22_compare.ipynb)
is the code. Peers are in the grid itself: an RBF SVM on the pixels and TF-IDF + logistic regression, on the same
images and texts, in the same processes' conditions.
"""
import argparse, os, platform, time
from pathlib import Path
import pandas as pd
import torch
from tl_lessons.compare import TASKS, BUDGETS, compare_all, summary, decisions

OUT = Path(__file__).resolve().parent.parent/'tl_lessons'/'assets'/'which_approach.csv'

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--tasks', default=','.join(TASKS))
    p.add_argument('--budgets', default=','.join(map(str, BUDGETS)))
    p.add_argument('--seeds', default='0,1,2')
    p.add_argument('--steps', type=int, default=60)
    p.add_argument('--out', default=str(OUT))
    a = p.parse_args()
    tasks, budgets, seeds = a.tasks.split(','), [int(b) for b in a.budgets.split(',')], [int(s) for s in a.seeds.split(',')]
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__} "
          f"({torch.get_num_threads()} threads); tasks {tasks}, budgets {budgets}, seeds {seeds}, {a.steps} steps per fit", flush=True)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    df = compare_all(tasks, budgets, seeds, a.steps, out=a.out)
    print(f"\n{len(df)} runs in {(time.perf_counter() - t0) / 60:.1f} min; written to {a.out}\n")
    pd.set_option('display.width', 200); pd.set_option('display.max_columns', 20)
    print(summary(df).to_string(), '\n')
    print(decisions(df).round(3).to_string())

if __name__ == '__main__': main()
