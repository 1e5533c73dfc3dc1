"""Chapter 20 on the full WordNet tasks (issue 14): ULMFiT, its three ablations, the same classifier from scratch and TF-IDF.

    python benchmarks/bench_ulmfit.py OUT.csv [--task nouns|verbs] [--ks 1 5 10 30 0] [--seeds 0 1 2]
                                             [--methods ULMFiT "TF-IDF + logistic regression" ...] [--steps 60] [--lm FILE]

k = 0 means every labelled training text. Needs WordNet's files (Debian's wordnet-base or NLTK's copy). The shipped language
model (or --lm) is fine-tuned once on the task's training texts, unlabelled, and kept beside OUT.csv (OUT.tuned_lm.pth), so a
resumed run reuses it. Each (k, seed) is appended to OUT.csv when done, and a rerun skips those already there. At the end it
prints mean ± sd of valid and test accuracy per (k, method) and ULMFiT's margin over TF-IDF.
"""
import argparse, os, time
from pathlib import Path
import pandas as pd

def main(argv=None):
    from tl_lessons.data.wordnet import semantic_fields
    from tl_lessons.text.ulmfit import load_lm, save_lm, fine_tune_lm, compare_text, TEXT_METHODS
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('out'); p.add_argument('--task', default='nouns', choices=['nouns', 'verbs'])
    p.add_argument('--ks', type=int, nargs='+', default=[10]); p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    p.add_argument('--methods', nargs='+', default=list(TEXT_METHODS)); p.add_argument('--steps', type=int, default=60)
    p.add_argument('--lm', default=None); p.add_argument('--lm-epochs', type=int, default=2)
    a = p.parse_args(argv)
    task, lm = semantic_fields(a.task), load_lm(a.lm)
    tuned_path = Path(a.out).with_suffix('.tuned_lm.pth')
    if tuned_path.exists(): tuned = load_lm(tuned_path)
    else:
        tuned = fine_tune_lm(lm, task.texts_of('train'), epochs=a.lm_epochs); save_lm(tuned, tuned_path)
    m = tuned['meta']
    print(f"language model fine-tuned on {m['fine_tuned_on']:,} texts in {m['fine_tune_seconds']:.0f} s: "
          f"perplexity {m['perplexity_before']:.1f} -> {m['perplexity_after']:.1f}", flush=True)
    done = pd.read_csv(a.out) if os.path.exists(a.out) else pd.DataFrame(columns=['k', 'seed'])
    for k in a.ks:
        for seed in a.seeds:
            if ((done.k == k) & (done.seed == seed)).any(): continue
            t0 = time.perf_counter()
            df = compare_text(task, lm, ks=(k or None,), seeds=(seed,), methods=tuple(a.methods), steps=a.steps, tuned=tuned)
            df['k'] = k; df['task'] = a.task; df['wall_seconds'] = round(time.perf_counter() - t0, 1)
            done = pd.concat([done, df], ignore_index=True); done.to_csv(a.out, index=False)
            print(f"k={k or 'all'} seed={seed}: {df.wall_seconds.iloc[0]:.0f} s", flush=True)
    print(done.groupby(['k', 'method'], sort=False)[['valid', 'test']].agg(['mean', 'std']).round(3).to_string())
    for k, g in done.groupby('k'):
        t = g.groupby('method').test.mean()
        if {'ULMFiT', 'TF-IDF + logistic regression'} <= set(t.index):
            print(f"k={k or 'all'}: ULMFiT {t['ULMFiT']:.3f}, TF-IDF {t['TF-IDF + logistic regression']:.3f}, "
                  f"margin {100 * (t['ULMFiT'] - t['TF-IDF + logistic regression']):+.1f} points")

if __name__ == '__main__':
    os.environ.pop('IN_TEST', None)
    main()
