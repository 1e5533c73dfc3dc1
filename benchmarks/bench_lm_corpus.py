"""The AWD-LSTM pre-trained on the course's broad corpus, with and without word vectors as its first layer (issue 34, point 2):
does ULMFiT then transfer beyond WordNet? Figures for BENCHMARKS.md, not a test.

    python benchmarks/bench_lm_corpus.py pretrain --variant a|c [--epochs 2] [--out /tmp/lm_corpus]
    python benchmarks/bench_lm_corpus.py evaluate [--lms shipped,a,c] [--tasks nouns,verbs,fortunes,debian] [--seeds 0,1,2] [--csv rows.csv]
    python benchmarks/bench_lm_corpus.py scratch [--tasks ...] [--seeds 0,1,2] [--csv rows.csv]
    python benchmarks/bench_lm_corpus.py report rows.csv [more.csv ...]
    python benchmarks/bench_lm_corpus.py asset rows.csv [more.csv ...] [--out /tmp/lm_corpus]

pretrain: the corpus of `tl-lessons corpus` (Python's documentation and WordNet's glosses, the field tasks' validation and test
definitions left out; neither the fortunes nor the Debian descriptions are in it), the same network and schedule as the shipped
language model (`pretrain_lm`: AWD-LSTM, 100-d embedding, 3 layers of 320, one cycle at 1e-2, seed 0), for `--epochs` epochs:
variant a from random weights, variant c with the embedding (and so the tied output layer) started from the shipped word vectors.
The run's time is printed: that is the budget.
evaluate: for each task and language model, the language model fine-tuned on the task's training texts (unlabelled, 2 epochs) and
ULMFiT's classifier at 10 labels a class on each seed (`compare_text`, rates chosen on validation), against TF-IDF + SIF and TF-IDF
on the same draws (their settings chosen on validation too). Prints the mean ± sd table and the paired verdicts.
scratch: (b) as an initialisation, with no language model: ULMFiT's classifier from random weights, and the same with its embedding
started from the word vectors (`train_classifier(pretrained=False, emb_vectors=...)`), the rate chosen on validation from TEXT_RATES,
on the same draws; and TF-IDF + SIF and TF-IDF again.
asset: the rows (each approach, task and seed once) and each language model's facts (tokens, epochs, seconds, perplexity) as
tl_lessons/assets/lm_corpus.csv and lm_corpus.json, which chapter 20 reads.
"""
import argparse, os, sys, tempfile, time
from pathlib import Path
import pandas as pd

def pretrain(variant:str, epochs:int, out:Path) -> Path:
    from tl_lessons.data.texts import build_corpus
    from tl_lessons.text.ulmfit import pretrain_lm, save_lm
    from tl_lessons.text.vectors import load_vectors
    tmp = Path(tempfile.mkdtemp())
    sources = build_corpus(tmp)
    corpus = (tmp/'corpus.txt').read_text(encoding='utf-8').splitlines()
    print(f"corpus: {len(corpus):,} paragraphs; " + ', '.join(f"{k} {v['words']:,} words" for k, v in sources.items()), flush=True)
    t0 = time.perf_counter()
    lm = pretrain_lm(corpus, epochs=epochs, seed=0, emb_vectors=load_vectors() if variant == 'c' else None,
                     log=lambda s: print(s, flush=True))
    lm['meta'].update(corpus=sources, made_by=f"benchmarks/bench_lm_corpus.py pretrain --variant {variant} --epochs {epochs}")
    path = save_lm(lm, out/f'lm_{variant}.pth')
    m = lm['meta']
    print(f"variant {variant}: {time.perf_counter() - t0:.0f} s, {m['tokens']:,} tokens, perplexity {m['perplexity']:.1f}, "
          f"next-word accuracy {m['next_word_accuracy']:.3f}; saved to {path} ({path.stat().st_size / 2**20:.1f} MB)")
    return path

def evaluate(lms:list, tasks:list, seeds:list, out:Path) -> pd.DataFrame:
    from tl_lessons.data.texts import text_tasks
    from tl_lessons.text.ulmfit import load_lm, fine_tune_lm, compare_text, tfidf_baseline
    from tl_lessons.text.vectors import load_vectors, tfidf_sif
    vectors, rows = load_vectors(), []
    for name, task in text_tasks(tasks).items():
        unl = task.texts_of('train')
        for seed in seeds:
            few = task.shots(10, seed)
            for a, f in (('TF-IDF + logistic regression', lambda t: tfidf_baseline(t, unlabelled=unl)), ('TF-IDF + SIF', lambda t: tfidf_sif(t, vectors, unl))):
                r = f(few); rows.append(dict(task=name, seed=seed, approach=a, valid=r['valid'], test=r['test']))
        for which in lms:
            lm = load_lm(None if which == 'shipped' else out/f'lm_{which}.pth')
            t0 = time.perf_counter()
            tuned = fine_tune_lm(lm, unl, 2)
            df = compare_text(task, lm, ks=(10,), seeds=seeds, methods=('ULMFiT',), tuned=tuned, log=None)
            print(f"{name}, language model {which}: {time.perf_counter() - t0:.0f} s; ULMFiT test " + ', '.join(f"{t:.3f}" for t in df.test), flush=True)
            rows += [dict(task=name, seed=int(r.seed), approach=f'ULMFiT ({which})', valid=float(r.valid), test=float(r.test)) for r in df.itertuples()]
    return pd.DataFrame(rows)

def scratch(tasks:list, seeds:list) -> pd.DataFrame:
    from tl_lessons.data.texts import text_tasks
    from tl_lessons.text.ulmfit import load_lm, train_classifier, clas_accuracy, TEXT_RATES
    from tl_lessons.text.vectors import load_vectors
    vectors, lm, rows = load_vectors(), load_lm(None), []   # the shipped model's vocabulary and network size; its weights are not used
    for name, task in text_tasks(tasks).items():
        for seed in seeds:
            few = task.shots(10, seed)
            for a, emb in (('from scratch', None), ('from scratch + word vectors', vectors)):
                t0, best = time.perf_counter(), None
                for lr in TEXT_RATES:
                    learn = train_classifier(few, lm, lr=lr, pretrained=False, seed=seed, emb_vectors=emb)
                    v = clas_accuracy(learn, 'valid')
                    if best is None or v > best[0]: best = (v, clas_accuracy(learn, 'test'), lr)
                rows.append(dict(task=name, seed=seed, approach=a, valid=best[0], test=best[1]))
                print(f"{name}, seed {seed}, {a}: rate {best[2]:g}, valid {best[0]:.3f}, test {best[1]:.3f} ({time.perf_counter() - t0:.0f} s)", flush=True)
    return pd.DataFrame(rows)

def merged(csvs) -> pd.DataFrame:
    "The rows of several `evaluate` runs; the TF-IDF rows, which each run scores again on the same draws, kept once"
    df = pd.concat([pd.read_csv(c) for c in csvs], ignore_index=True)
    return df.drop_duplicates(['task', 'seed', 'approach'], keep='first').reset_index(drop=True)

def asset(df:pd.DataFrame, out:Path):
    import json, tl_lessons
    from tl_lessons.text.ulmfit import load_lm
    keep = ('tokens', 'texts', 'epochs', 'seconds', 'perplexity', 'next_word_accuracy', 'made_by')
    lms = {w: {k: v for k, v in load_lm(None if w == 'shipped' else out/f'lm_{w}.pth')['meta'].items() if k in keep}
           for w in [a[8:-1] for a in dict.fromkeys(df.approach) if a.startswith('ULMFiT (')]}
    to = Path(tl_lessons.__file__).parent/'assets'
    df.to_csv(to/'lm_corpus.csv', index=False); (to/'lm_corpus.json').write_text(json.dumps(lms, indent=1) + '\n')
    print(f"wrote {to/'lm_corpus.csv'} ({len(df)} rows) and {to/'lm_corpus.json'} ({', '.join(lms)})")

def report(df:pd.DataFrame):
    from tl_lessons.interpret import seed_verdicts
    print(df.groupby(['task', 'approach'], sort=False).test.agg(['mean', 'std']).round(3).to_string())
    pairs = [('ULMFiT (c)', 'ULMFiT (a)'), ('ULMFiT (c)', 'ULMFiT (shipped)'), ('from scratch + word vectors', 'from scratch')]
    for name, d in df.groupby('task', sort=False):
        have = set(d.approach)
        for a in [x for x in dict.fromkeys(d.approach) if x.startswith(('ULMFiT', 'from scratch'))]:
            for v in seed_verdicts(d, a, [b for b in ('TF-IDF + logistic regression', 'TF-IDF + SIF') if b in have], score='test'): print(f"{name:9} {v}")
        for a, b in pairs:
            if {a, b} <= have: print(f"{name:9} {seed_verdicts(d, a, [b], score='test')[0]}")

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('what', choices=['pretrain', 'evaluate', 'scratch', 'report', 'asset']); p.add_argument('csvs', nargs='*')
    p.add_argument('--variant', default='a', choices=['a', 'c']); p.add_argument('--epochs', type=int, default=2)
    p.add_argument('--out', default='/tmp/lm_corpus'); p.add_argument('--lms', default='shipped,a,c')
    p.add_argument('--tasks', default='nouns,verbs,fortunes,debian'); p.add_argument('--seeds', default='0,1,2'); p.add_argument('--csv', default=None)
    a = p.parse_args(argv)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    if a.what == 'pretrain': return pretrain(a.variant, a.epochs, out)
    if a.what == 'report': return report(merged(a.csvs))
    if a.what == 'asset': return asset(merged(a.csvs), out)
    seeds = [int(s) for s in a.seeds.split(',')]
    df = scratch(a.tasks.split(','), seeds) if a.what == 'scratch' else evaluate(a.lms.split(','), a.tasks.split(','), seeds, out)
    if a.csv: df.to_csv(a.csv, index=False)
    report(df)

if __name__ == '__main__':
    os.environ.pop('IN_TEST', None)
    main()
