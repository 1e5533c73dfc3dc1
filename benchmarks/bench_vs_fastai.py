"""`tl-lessons fit` against a fastai user's script and a plain probe, on the same folders, split and weights (figures for BENCHMARKS.md; not a test).

    python benchmarks/bench_vs_fastai.py [--seeds 0,1,2] [--folders textures,fashion] [--budget SECONDS] [--runners 'fit budget,probe224']

Folders, made offline, each with its own train/valid/test split so that every runner sees the same images; each seed draws the folder afresh
(other crops or images, another split), so the seeds measure the spread over folders, not only over training runs:
- textures: 3 classes of crops of scikit-image's texture photographs (40 / 10 / 20 per class), where every approach is near 1.000;
- fashion: 6 of Fashion-MNIST's classes, the 4 tops that are hard to tell apart (T-shirt, pullover, coat, shirt) with dress and bag,
  25 / 8 / 10 per class, from the subset the package ships (28 px grey, written as PNG).

Runners, each in its own process (seconds from reading the folder to the test score; peak RSS of that process):
- fit: `tl_lessons.vision.fit.fit(folder)` with its defaults (every approach, chosen on validation), and with `time_budget=--budget`;
- fastai: `ImageDataLoaders.from_folder(..., item_tfms=Resize(224))`, `vision_learner(dls, efficientnet_lite0)`, `fine_tune(3)`;
- probe 224: logistic regression (C chosen on validation) on EfficientNet-Lite0's pooled features at its native 224 px.
All use EfficientNet-Lite0's ImageNet weights from the pip package. Test accuracy comes with its 95 % Wilson interval.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np

FASHION_PICK = ('T-shirt/top', 'Pullover', 'Coat', 'Shirt', 'Dress', 'Bag')

def make_fashion(root:Path, n=(25, 8, 10), seed=0) -> Path:
    "A folder root/{train,valid,test}/<class>/<i>.png from the shipped Fashion-MNIST subset"
    from PIL import Image
    from tl_lessons.data.fashion import fashion_mnist, FASHION_CLASSES
    t = fashion_mnist(subset=True)
    rng = np.random.default_rng(seed)
    for name in FASHION_PICK:
        ids = rng.permutation(np.flatnonzero(t.labels == FASHION_CLASSES.index(name)))
        start = 0
        for split, k in zip(('train', 'valid', 'test'), n):
            d = root/split/name.replace('/', '-'); d.mkdir(parents=True, exist_ok=True)
            for i in ids[start:start + k]: Image.fromarray(t.images[i][..., 0]).save(d/f'{i}.png')
            start += k
    return root

def make_folders(work:Path, which, seed:int=0) -> dict:
    "Each folder drawn with `seed`: other crops, other images, another split for every seed"
    from tl_lessons.data.folders import texture_folder
    make = dict(textures=lambda: texture_folder(work/'textures', n_train=40, n_valid=10, n_test=20, seed=seed),
                fashion=lambda: make_fashion(work/'fashion', seed=seed))
    return {w: make[w]() for w in which}

def run_fit(folder, out, seed, budget=None):
    from tl_lessons.vision.fit import fit
    r = fit(folder, out=out, seed=seed, time_budget=budget)
    return dict(test_accuracy=r['test_accuracy'], n_test=r['n_test'], chosen=r['chosen'], ties=r['ties_with_best'],
                skipped=r.get('skipped_for_time', []), duplicates=len(r['duplicates']))

def run_fastai(folder, out, seed):
    from fastai.vision.all import ImageDataLoaders, Resize, vision_learner, accuracy, get_image_files, set_seed
    from tl_lessons.vision.learner import efficientnet_lite0   # registered in fastai's model_meta
    set_seed(seed, reproducible=True)
    dls = ImageDataLoaders.from_folder(folder, train='train', valid='valid', item_tfms=Resize(224), seed=seed)
    learn = vision_learner(dls, efficientnet_lite0, metrics=accuracy)
    with learn.no_bar(), learn.no_logging(): learn.fine_tune(3)
    test_dl = learn.dls.test_dl(get_image_files(Path(folder)/'test'), with_labels=True)
    preds, targs = learn.get_preds(dl=test_dl)
    return dict(test_accuracy=float((preds.argmax(1) == targs).float().mean()), n_test=len(targs))

def run_probe(folder, out, seed, size=224):
    from tl_lessons.vision.fit import folder_task, backbone, probe_search
    from tl_lessons.vision.batches import FeatureCache
    task = folder_task(folder, size)
    s = probe_search(backbone('lite0').eval(), task, size, FeatureCache(), layers=['late'], pools=('avg',))
    return dict(test_accuracy=float(s['test_accuracy']), n_test=len(task.idxs('test')), C=s['C'])

RUNNERS = dict(fit=run_fit, fastai=run_fastai, probe224=run_probe)

def one(kind, folder, out, seed, budget):
    "Run one runner in this process and print its figures as one JSON line"
    import warnings; warnings.simplefilter('ignore')
    t0 = time.perf_counter()
    res = RUNNERS[kind](folder, out, seed, *([budget] if kind == 'fit' and budget else []))
    res.update(seconds=round(time.perf_counter() - t0, 1), peak_rss_gb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2))
    print(json.dumps(res))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', default='0,1,2'); ap.add_argument('--folders', default='textures,fashion')
    ap.add_argument('--budget', type=float, default=None, help='also run fit with this time budget (seconds)')
    ap.add_argument('--runners', default=None, help="only these runners, e.g. 'fit budget,probe224' (default: all)")
    ap.add_argument('--one', nargs=4, metavar=('KIND', 'FOLDER', 'OUT', 'SEED'), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one: return one(a.one[0], a.one[1], a.one[2], int(a.one[3]), a.budget)
    from tl_lessons.fitting import wilson_interval
    work = Path(tempfile.mkdtemp())
    names, seeds = a.folders.split(','), list(map(int, a.seeds.split(',')))
    kinds = ['fit'] + (['fit budget'] if a.budget else []) + ['fastai', 'probe224']
    if a.runners: kinds = [k for k in kinds if k in a.runners.split(',')]
    rows = []
    for name in names:
        for seed in seeds:
            folder = make_folders(work/f'seed{seed}', [name], seed)[name]   # a fresh draw of the folder and its split per seed
            for kind in kinds:
                cmd = [sys.executable, __file__, '--one', kind.split()[0], str(folder), str(work/f'{name}-{kind}-{seed}'.replace(' ', '_')), str(seed)]
                if kind == 'fit budget': cmd += ['--budget', str(a.budget)]
                cache = work/f'cache-{name}-{kind}-{seed}'.replace(' ', '_')   # a fresh feature cache: every run pays for its own features
                p = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, 'TL_LESSONS_CACHE': str(cache)})
                if p.returncode: sys.exit(f"{kind} on {name}, seed {seed}: {p.stderr[-3000:]}")
                r = json.loads(p.stdout.strip().splitlines()[-1])
                rows.append(dict(folder=name, runner=kind, seed=seed, **r))
                print(json.dumps(rows[-1]), flush=True)
    print('\n| folder | runner | test accuracy, mean ± sd over seeds | per seed (95 % interval) | seconds | peak RSS GB | chosen |')
    print('|---|---|---|---|---|---|---|')
    for name in names:
        for kind in kinds:
            rs = [r for r in rows if r['folder'] == name and r['runner'] == kind]
            accs = np.array([r['test_accuracy'] for r in rs])
            per = ', '.join(f"{r['test_accuracy']:.3f} ({lo:.2f}–{hi:.2f})" for r in rs
                            for lo, hi in [wilson_interval(round(r['test_accuracy'] * r['n_test']), r['n_test'])])
            chosen = ', '.join(str(r.get('chosen', '')) for r in rs) if kind.startswith('fit') else ''
            print(f"| {name} (test {rs[0]['n_test']}) | {kind} | {accs.mean():.3f} ± {accs.std(ddof=1) if len(accs) > 1 else 0:.3f} | {per} | "
                  f"{np.mean([r['seconds'] for r in rs]):.0f} | {max(r['peak_rss_gb'] for r in rs):.2f} | {chosen} |")
    if not {'fastai', 'probe224'} <= set(kinds): return (work/'rows.json').write_text(json.dumps(rows, indent=1))
    print('\nfit minus the better peer (fastai, probe224) on the same test images, per seed; mean and 95 % t interval over seeds:')
    from scipy import stats
    for name in names:
        for kind in [k for k in kinds if k.startswith('fit')]:
            d = np.array([next(r for r in rows if r['folder'] == name and r['runner'] == kind and r['seed'] == s)['test_accuracy']
                          - max(r['test_accuracy'] for r in rows if r['folder'] == name and r['runner'] in ('fastai', 'probe224') and r['seed'] == s)
                          for s in seeds])
            half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else float('nan')
            print(f"  {name}, {kind}: {', '.join(f'{x:+.3f}' for x in d)}; mean {d.mean():+.3f} ({d.mean() - half:+.3f} to {d.mean() + half:+.3f})")
    (work/'rows.json').write_text(json.dumps(rows, indent=1)); print(f"\nrows: {work/'rows.json'}")

if __name__ == '__main__': main()
