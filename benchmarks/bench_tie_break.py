"""Which approach to keep when the probe and the SVM on pixels tie on validation (figures for BENCHMARKS.md; not a test).

    python benchmarks/bench_tie_break.py [--seeds 0,1,2,3,4,5,6,7,8,9] [--folders fashion,photos,textures]

`fit` keeps one of the approaches that tie with the best on validation. The rule for choosing among them is a prior, not a finding of
the folder at hand (on validation they cannot be told apart), so it should come from measurements. For each folder and seed (each seed
draws the folder afresh) this runs the two forward-only image approaches through `compare`, asks `choose` whether they tie on
validation (exact McNemar test, with the cross-validated answers), and prints both test accuracies. Test splits are large (60 per
class for fashion) so that the test figure says which one was right.
"""
import argparse, sys, tempfile
from pathlib import Path
import numpy as np
sys.path.insert(0, str(Path(__file__).parent))
from bench_vs_fastai import make_fashion

def make(kind, root, seed):
    from tl_lessons.data.folders import texture_folder, photo_folder
    if kind == 'fashion': return make_fashion(root, n=(25, 8, 60), seed=seed)
    if kind == 'photos': return photo_folder(root, seed=seed)                     # 30 / 10 / 20 crops of 7 photographs
    if kind == 'textures': return texture_folder(root, n_train=40, n_valid=10, n_test=60, seed=seed)
    raise ValueError(kind)

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--seeds', default='0,1,2,3,4,5,6,7,8,9'); ap.add_argument('--folders', default='fashion,photos,textures')
    a = ap.parse_args()
    from tl_lessons.vision.fit import folder_task, compare
    from tl_lessons.fitting import choose, beaten
    rows = []
    for kind in a.folders.split(','):
        for seed in map(int, a.seeds.split(',')):
            task = folder_task(make(kind, Path(tempfile.mkdtemp())/kind, seed))
            res, models = compare(task, approaches=['SVM on pixels', 'linear probe'], seed=seed, log=lambda *x: None)
            yv = task.labels[task.idxs('valid')]
            from tl_lessons.vision.fit import split_probs
            correct = {n: split_probs(models[n], task, 'valid').argmax(1) == yv for n in res.approach}
            chosen, tied = choose(res, correct, cv=res.attrs['cross_validated'])
            tied_on_valid = choose(res, correct)[1]   # without the cross-validated answers
            r = res.set_index('approach')
            cv = {k: round(float(v.mean()), 3) for k, v in res.attrs['cross_validated'].items()}
            row = dict(folder=kind, seed=seed, n_valid=len(yv), n_test=len(task.idxs('test')), tie_valid=len(tied_on_valid) > 1, tie='SVM on pixels' in tied and 'linear probe' in tied,
                       valid_svm=r.valid_accuracy['SVM on pixels'], valid_probe=r.valid_accuracy['linear probe'],
                       cv_svm=cv.get('SVM on pixels'), cv_probe=cv.get('linear probe'),
                       test_svm=r.test_accuracy['SVM on pixels'], test_probe=r.test_accuracy['linear probe'])
            row = {k: round(float(v), 3) if isinstance(v, (float, np.floating)) else v for k, v in row.items()}
            rows.append(row); print(row, flush=True)
    import pandas as pd
    df = pd.DataFrame(rows); df['probe_minus_svm'] = (df.test_probe - df.test_svm).round(3)
    print('| ' + ' | '.join(df.columns) + ' |'); print('|' + '---|' * len(df.columns))
    for r in df.itertuples(index=False): print('| ' + ' | '.join(f'{v:.3f}' if isinstance(v, float) else str(v) for v in r) + ' |')
    for kind, g in df.groupby('folder', sort=False):
        t = g[g.tie]
        print(f"{kind}: {g.tie_valid.sum()} of {len(g)} seeds tie on the validation images alone, {len(t)} with the cross-validated answers too; in those, the probe minus the SVM on test: "
              + (f"mean {t.probe_minus_svm.mean():+.3f}, probe better in {(t.probe_minus_svm > 0).sum()}, worse in {(t.probe_minus_svm < 0).sum()}" if len(t) else '-'))
    t = df[df.tie]
    print(f"all: {len(t)} ties; probe better on test in {(t.probe_minus_svm > 0).sum()}, equal in {(t.probe_minus_svm == 0).sum()}, "
          f"worse in {(t.probe_minus_svm < 0).sum()}; mean {t.probe_minus_svm.mean():+.3f}")

if __name__ == '__main__': main()
