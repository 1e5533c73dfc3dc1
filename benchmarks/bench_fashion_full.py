"""Issue 13's full-data figure: EfficientNet-Lite fine-tuned on all of Fashion-MNIST's training labels (59,000; 1,000 kept for validation).

    python benchmarks/bench_fashion_full.py OUT.csv [--arch lite0] [--size 64] [--epochs 3] [--rates 1e-3 3e-3] [--bs 64] [--seed 0]

Each rate is the top of fastai's discriminative slice (rate/100 for the stem, `fit_one_cycle`), BatchNorm statistics frozen, as
chapter 18's fine-tune; the rate is chosen on the validation split and only the chosen model is scored on the 10,000 test images.
One row per rate is appended to OUT.csv (valid accuracy, training seconds, images per second); the chosen row gets its test
accuracy. Runs on the GPU when there is one (fastai's default device), else on the CPU's cores.
"""
import argparse, math, os, time
import pandas as pd, torch

def main(argv=None):
    from tl_lessons.vision.adapting import adapt_once, fashion_budget
    from tl_lessons.train.core import accuracy_on
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('out'); p.add_argument('--arch', default='lite0'); p.add_argument('--size', type=int, default=64)
    p.add_argument('--epochs', type=int, default=3); p.add_argument('--rates', type=float, nargs='+', default=[1e-3, 3e-3])
    p.add_argument('--bs', type=int, default=64); p.add_argument('--seed', type=int, default=0)
    a = p.parse_args(argv)
    task, _ = fashion_budget(None, a.seed, subset=False, size=a.size)
    n = len(task.idxs('train'))
    device = torch.cuda.get_device_name() if torch.cuda.is_available() else f'CPU, {torch.get_num_threads()} threads'
    print(f"{n} training images at {a.size} px, {a.epochs} epochs of {math.ceil(n / a.bs)} steps; {device}", flush=True)
    rows, best = [], None
    for lr in a.rates:
        t0 = time.perf_counter()
        learn, trainable = adapt_once(a.arch, task, 'fine-tune', lr, steps=a.epochs * math.ceil(n / a.bs), seed=a.seed, bs=a.bs)
        secs = time.perf_counter() - t0
        v = accuracy_on(learn, 'valid')
        rows.append(dict(arch=a.arch, size=a.size, epochs=a.epochs, bs=a.bs, seed=a.seed, rate=lr, valid=v, test=float('nan'),
                         train_seconds=round(secs, 1), images_per_second=round(a.epochs * n / secs, 1), device=device, trainable=trainable))
        print(f"slice({lr / 100:g}, {lr:g}): valid {v:.4f}, {secs / 60:.1f} min training ({a.epochs * n / secs:.0f} images/s)", flush=True)
        if best is None or v > best[0]: best = (v, len(rows) - 1, learn)
        pd.DataFrame(rows).to_csv(a.out, index=False)
    v, i, learn = best
    t0 = time.perf_counter(); rows[i]['test'] = accuracy_on(learn, 'test')
    pd.DataFrame(rows).to_csv(a.out, index=False)
    print(f"chosen on validation: rate {rows[i]['rate']:g}, valid {v:.4f}, test {rows[i]['test']:.4f} "
          f"(scoring {time.perf_counter() - t0:.0f} s)")

if __name__ == '__main__':
    os.environ.pop('IN_TEST', None)
    main()
