"""Chapter 18 on full Fashion-MNIST (issue 13): every way of adapting, tuned on validation, at several label budgets, seeds and models.

    python benchmarks/bench_adapting.py OUT.csv --ks 1 5 10 30 --seeds 0 1 2 [--archs lite0 lite1 lite2] [--methods "linear probe" fine-tune LP-FT]
                                                [--steps 100] [--no-forgetting]

Needs the full data set (Debian's dataset-fashion-mnist, a local copy or the download). Each (model, k, seed) is appended to
OUT.csv as soon as it is done, and a rerun skips those already there, so a long run can be stopped and resumed. At the end it
prints mean ± sd over seeds of valid and test accuracy per (model, k, method), with the SVM on pixels, and the best trained
method's margin over the SVM.
"""
import argparse, os, time
import pandas as pd

def summary(df:pd.DataFrame) -> pd.DataFrame:
    "Mean and sd over seeds of valid, test (and ImageNet agreement when measured) per model, budget and method"
    cols = [c for c in ('valid', 'test', 'imagenet_agreement', 'trainable') if c in df]
    return df.groupby(['arch', 'k', 'method'], sort=False)[cols].agg(['mean', 'std']).round(3)

def main(argv=None):
    from tl_lessons.vision.adapting import compare_adaptations, SCHEDULES
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('out'); p.add_argument('--ks', type=int, nargs='+', default=[10]); p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    p.add_argument('--archs', nargs='+', default=['lite0']); p.add_argument('--methods', nargs='+', default=list(SCHEDULES))
    p.add_argument('--steps', type=int, default=100); p.add_argument('--no-forgetting', action='store_true')
    a = p.parse_args(argv)
    done = pd.read_csv(a.out) if os.path.exists(a.out) else pd.DataFrame(columns=['arch', 'k', 'seed'])
    for arch in a.archs:
        for k in a.ks:
            for seed in a.seeds:
                if ((done.k == k) & (done.seed == seed) & (done.arch == arch)).any(): continue
                t0 = time.perf_counter()
                df = compare_adaptations(ks=(k,), seeds=(seed,), archs=(arch,), methods=tuple(a.methods), steps=a.steps, subset=False,
                                         forgetting=not a.no_forgetting)
                df.loc[df.arch == 'pixels', 'arch'] = arch   # the SVM's row, kept beside the model it was run with
                df['wall_seconds'] = round(time.perf_counter() - t0, 1)
                done = pd.concat([done, df], ignore_index=True); done.to_csv(a.out, index=False)
                print(f"{arch} k={k} seed={seed}: {df.wall_seconds.iloc[0]:.0f} s", flush=True)
    s = summary(done)
    print(s.to_string())
    for (arch, k), g in done.groupby(['arch', 'k']):
        m = g.groupby('method').test.mean()
        trained = m.drop(['SVM on pixels', 'linear probe'], errors='ignore')
        if 'SVM on pixels' in m and len(trained):
            print(f"{arch} k={k}: best trained method {trained.idxmax()} {trained.max():.3f}, SVM {m['SVM on pixels']:.3f}, "
                  f"margin {100 * (trained.max() - m['SVM on pixels']):+.1f} points")

if __name__ == '__main__':
    os.environ.pop('IN_TEST', None)   # a benchmark runs the full mode
    main()
