"""Text transfer beyond WordNet: word vectors trained on the course's offline corpus against TF-IDF (figures for BENCHMARKS.md and
chapter 20; not a test).

    python benchmarks/bench_text_vectors.py [--tasks nouns,verbs,fortunes,debian] [--ks 1,5,10,30,all] [--seeds 0,1,2]
                                            [--out tl_lessons/assets/text_vectors.csv]

Four tasks (tl_lessons.data.texts.text_tasks): WordNet's noun and verb fields (the corpus holds their training glosses, never their
validation or test ones), fortune-cookie quotations by topic (unlike the corpus in style) and Debian's one-line package descriptions
by section. Three approaches, each with its settings chosen on validation: TF-IDF + logistic regression, a logistic regression on SIF
vectors of the shipped word vectors, and both side by side (tl_lessons.text.vectors). The TF-IDF vocabulary and IDF, and SIF's
common direction, come from all of the task's training texts, unlabelled: each approach sees the same unlabelled texts. `k` labelled
training texts a class, drawn with each seed (with all of them, one run: nothing is drawn and the fits are deterministic); validation
and test stay whole. One row per (task, k, seed, approach) to --out, then
the mean ± sd table and the paired verdicts against TF-IDF.
"""
import argparse, time
from pathlib import Path
import pandas as pd

APPROACHES = ('TF-IDF + logistic regression', 'SIF probe', 'TF-IDF + SIF')

def run(tasks, ks, seeds, log=print):
    from tl_lessons.data.texts import text_tasks
    from tl_lessons.text.ulmfit import tfidf_baseline
    from tl_lessons.text.vectors import load_vectors, sif_probe, tfidf_sif
    vectors, rows = load_vectors(), []
    for name, task in text_tasks(tasks).items():
        unl = task.texts_of('train')
        for k in ks:
            for seed in (seeds if k is not None else seeds[:1]):   # with every label there is nothing to draw: one run
                few = task.shots(k, seed)
                for a, f in zip(APPROACHES, (lambda t: tfidf_baseline(t, unlabelled=unl), lambda t: sif_probe(t, vectors, unl),
                                             lambda t: tfidf_sif(t, vectors, unl))):
                    t0 = time.perf_counter(); r = f(few)
                    rows.append(dict(task=name, k='all' if k is None else k, seed=seed, approach=a, valid=round(r['valid'], 4),
                                     test=round(r['test'], 4), C=r['C'], seconds=round(time.perf_counter() - t0, 1)))
                    if log: log(f"{name} k={rows[-1]['k']} seed={seed} {a}: valid {r['valid']:.3f} test {r['test']:.3f} ({rows[-1]['seconds']} s)")
    return pd.DataFrame(rows)

def report(df):
    from tl_lessons.interpret import verdict
    df = df.assign(k=df.k.astype(str))
    t = df.groupby(['task', 'k', 'approach'], sort=False).test.agg(['mean', 'std']).round(3)
    print(t.apply(lambda r: f"{r['mean']:.3f} ± {0 if pd.isna(r['std']) else r['std']:.3f}", axis=1).unstack('approach')[list(APPROACHES)].to_string())
    for a in APPROACHES[1:]:
        print(f"\n{a} against TF-IDF, paired over seeds (test):")
        for (task, k), g in df.groupby(['task', 'k'], sort=False):
            s = g.pivot(index='seed', columns='approach', values='test')
            print(f"  {task} k={k}: {verdict(s[a].tolist(), s[APPROACHES[0]].tolist(), (a, 'TF-IDF'))}")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tasks', default='nouns,verbs,fortunes,debian'); ap.add_argument('--ks', default='1,5,10,30,all')
    ap.add_argument('--seeds', default='0,1,2'); ap.add_argument('--out', default='tl_lessons/assets/text_vectors.csv')
    ap.add_argument('--report', default=None, metavar='CSV', help='only print the tables of rows written before (one CSV or several, comma-separated)')
    a = ap.parse_args()
    if a.report: return report(pd.concat([pd.read_csv(f) for f in a.report.split(',')]))
    ks = [None if k == 'all' else int(k) for k in a.ks.split(',')]
    t0 = time.perf_counter()
    df = run(a.tasks.split(','), ks, [int(s) for s in a.seeds.split(',')])
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); df.to_csv(a.out, index=False)
    print(f"\n{len(df)} runs in {time.perf_counter() - t0:.0f} s on this machine; rows in {a.out}\n")
    report(df)

if __name__ == '__main__': main()
