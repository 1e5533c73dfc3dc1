"""`tl-lessons fit` on a folder of N text files (issue 14): the time of each stage, and the comparison.

    python benchmarks/bench_fit_text.py OUT_DIR [--task verbs|nouns] [--per-class 100] [--join 1] [--seed 0] [--approaches ...]

Writes per-class folders of WordNet definitions to OUT_DIR/texts (10 classes x --per-class texts, drawn with --seed from the
task's training split, so none is a validation or test definition of the course's splits), then runs `tl-lessons fit` on it as a
user would, with the defaults (fit splits the folder 70/15/15 itself), and prints the wall time and fit's table. The default
task is the verbs, which chapter 20 did not tune on. `--join J` makes each file J definitions of its class joined into one
longer text (a document-length proxy: J=20 gives about 200 words a file). Needs WordNet's files (Debian's wordnet-base or NLTK's copy).
"""
import argparse, json, os, shutil, time
from pathlib import Path
import numpy as np

def write_folder(root:Path, task, per_class:int, seed:int, join:int=1) -> int:
    "`per_class` files of `join` training definitions each, for each class of `task`, as root/<class>/<n>.txt; returns the number written"
    shutil.rmtree(root, ignore_errors=True)
    rng, tr, n = np.random.default_rng(seed), task.idxs('train'), 0
    for c, name in enumerate(task.classes):
        (root/name).mkdir(parents=True)
        pool = tr[task.labels[tr] == c]
        ids = rng.choice(pool, per_class * join, replace=per_class * join > len(pool)).reshape(per_class, join)
        for j, row in enumerate(ids):
            (root/name/f'{j:04d}_{row[0]}.txt').write_text(' '.join(task.texts[i] for i in row), encoding='utf-8'); n += 1
    return n

def main(argv=None):
    from tl_lessons.data.wordnet import semantic_fields
    from tl_lessons.cli import main as cli
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('out'); p.add_argument('--task', default='verbs', choices=['nouns', 'verbs'])
    p.add_argument('--per-class', type=int, default=100); p.add_argument('--join', type=int, default=1); p.add_argument('--seed', type=int, default=0)
    p.add_argument('--approaches', default=None, help='passed to fit (default: its own)')
    a = p.parse_args(argv)
    out = Path(a.out)
    write_folder(out/'texts', semantic_fields(a.task), a.per_class, a.seed, a.join)
    files = list((out/'texts').rglob('*.txt')); n = len(files)
    words = sum(len(f.read_text().split()) for f in files)
    print(f"{n} texts ({words:,} words) of WordNet {a.task} in {out/'texts'}; torch threads {__import__('torch').get_num_threads()}", flush=True)
    t0 = time.perf_counter()
    rc = cli(['fit', str(out/'texts'), '--out', str(out/'model'), '--seed', str(a.seed)] + (['--approaches', a.approaches] if a.approaches else []))
    print(f"\nfit on {n} texts: {time.perf_counter() - t0:.0f} s wall (exit status {rc})")
    meta = json.loads((out/'model'/'model.json').read_text()).get('language_model')   # only when fit kept ULMFiT
    if meta: print(f"language model fine-tuning: {meta['fine_tune_seconds']:.0f} s, perplexity {meta['perplexity_before']:.1f} -> {meta['perplexity_after']:.1f}")

if __name__ == '__main__':
    os.environ.pop('IN_TEST', None)
    main()
