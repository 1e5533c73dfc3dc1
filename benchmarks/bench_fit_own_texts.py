"""`fit` on folders of texts unlike WordNet's glosses, at a few labels a class (issue 34): does it beat TF-IDF, or choose it?

    python benchmarks/bench_fit_own_texts.py [--tasks fortunes,debian,verbs] [--k 10] [--seeds 0,1,2] [--out /tmp/fit_own_texts]
                                             [--csv rows.csv] [--report rows.csv]

For each task (tl_lessons.data.texts.text_tasks) and seed, writes a folder as a user would hand it in: `train/<class>/` with `k` texts a
class drawn with the seed, and the task's whole validation and test splits as `valid/` and `test/` (30 and 60 a class for the fortunes
and the Debian descriptions). Then `fit_text` with its default approaches (ULMFiT, TF-IDF + SIF, SIF probe, TF-IDF + logistic
regression), exactly as `tl-lessons fit FOLDER` runs them: the unlabelled texts each approach sees are the folder's training texts
only. Prints, per task, each approach's test accuracy per seed, what fit chose, and the paired difference of the chosen model's test
accuracy against TF-IDF's (the question the issue asks: beat TF-IDF, or choose it). Not a test: figures for BENCHMARKS.md.
"""
import argparse, os, shutil, time
from pathlib import Path
import pandas as pd

def write_folder(root:Path, task, k:int, seed:int) -> Path:
    "The task as root/{train,valid,test}/<class>/<n>.txt, `k` training texts a class drawn with `seed`"
    shutil.rmtree(root, ignore_errors=True)
    few = task.shots(k, seed)
    for s in ('train', 'valid', 'test'):
        for i in few.idxs(s):
            d = root/s/few.classes[few.labels[i]]; d.mkdir(parents=True, exist_ok=True)
            (d/f'{i}.txt').write_text(few.texts[i], encoding='utf-8')
    return root

def run(tasks, k, seeds, out:Path) -> pd.DataFrame:
    from tl_lessons.data.texts import text_tasks
    from tl_lessons.text.fit import fit_text
    rows = []
    for name, task in text_tasks(tasks).items():
        for seed in seeds:
            t0 = time.perf_counter()
            res = fit_text(write_folder(out/name/'texts', task, k, seed), out/name/f'model{seed}', seed=seed)
            for r in res['results']:
                rows.append(dict(task=name, k=k, seed=seed, approach=r['approach'], valid=round(r['valid_accuracy'], 4),
                                 test=round(r['test_accuracy'], 4), seconds=round(r['seconds'], 1), chosen=r['approach'] == res['chosen']))
            print(f"{name} seed {seed}: chose {res['chosen']} (test {res['test_accuracy']:.3f}) in {time.perf_counter() - t0:.0f} s; "
                  + ', '.join(f"{r['approach']} {r['test_accuracy']:.3f}" for r in res['results']), flush=True)
    return pd.DataFrame(rows)

def report(df:pd.DataFrame):
    from tl_lessons.interpret import verdict
    for name, d in df.groupby('task', sort=False):
        table = d.pivot_table(index='seed', columns='approach', values='test', sort=False)
        table['fit chose'] = d[d.chosen].set_index('seed').approach
        table['chosen, test'] = d[d.chosen].set_index('seed').test
        print(f"\n{name}, {d.k.iloc[0]} labelled texts a class: test accuracy per seed\n{table.to_string()}")
        print(f"fit's choice against TF-IDF, paired over seeds: {verdict(list(table['chosen, test']), list(table['TF-IDF + logistic regression']), ('fit', 'TF-IDF'))}")

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--tasks', default='fortunes,debian'); p.add_argument('--k', type=int, default=10); p.add_argument('--seeds', default='0,1,2')
    p.add_argument('--out', default='/tmp/fit_own_texts'); p.add_argument('--csv', default=None)
    p.add_argument('--report', default=None, help='only print the tables of rows written before')
    a = p.parse_args(argv)
    if a.report: return report(pd.read_csv(a.report))
    df = run(a.tasks.split(','), a.k, [int(s) for s in a.seeds.split(',')], Path(a.out))
    if a.csv: df.to_csv(a.csv, index=False)
    report(df)

if __name__ == '__main__':
    os.environ.pop('IN_TEST', None)
    main()
