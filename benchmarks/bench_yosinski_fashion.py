"""Approach 1 on real data, Yosinski style (issue 13): Fashion-MNIST's first five classes as source B, the other five as target A.

    python benchmarks/bench_yosinski_fashion.py OUT_PREFIX [--k 10] [--seeds 0 1 2] [--epochs 4] [--steps 300] [--targets fashion digits]

Trains the course's small CNN on B (all its labelled images, 28 px) and runs `depth_sweep` on A with `k` labels per class:
n = 0…4 groups copied, frozen (AnB) or fine-tuned (AnB+), and the same from a network trained on A itself (AnA, AnA+), every
setting scored on A's validation and test splits. Then the cross-data-set pair: the same Fashion source on scikit-learn's
handwritten digits (8×8, shown to the network at 28 px). Writes OUT_PREFIX_fashion.csv and OUT_PREFIX_digits.csv and prints
mean test accuracy per variant. This is Keras's old MNIST 0–4 → 5–9 example on product photos.
"""
import argparse, os, time

def main(argv=None):
    from tl_lessons.data.fashion import fashion_mnist, FASHION_CLASSES
    from tl_lessons.vision.transfer import train_source, depth_sweep
    from tl_lessons.data.core import digits
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('out'); p.add_argument('--k', type=int, default=10); p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    p.add_argument('--epochs', type=int, default=4); p.add_argument('--steps', type=int, default=300)
    p.add_argument('--targets', nargs='+', choices=['fashion', 'digits'], default=['fashion', 'digits'])
    a = p.parse_args(argv)
    full = fashion_mnist()
    B, A = full.with_classes(FASHION_CLASSES[:5]), full.with_classes(FASHION_CLASSES[5:])
    t0 = time.perf_counter()
    learn, meta = train_source(B, size=28, epochs=a.epochs, show_progress=False)
    print(f"source B ({', '.join(B.classes)}): {len(B.idxs('train'))} training images, test accuracy {meta['source_test_accuracy']:.3f}, "
          f"{meta['train_seconds']:.0f} s", flush=True)
    for name, target in (('fashion', A), ('digits', digits() if 'digits' in a.targets else None)):
        if name not in a.targets: continue
        t = time.perf_counter()
        df = depth_sweep(learn.model, meta, target=target, k=a.k, seeds=tuple(a.seeds), progress=False, steps=a.steps)
        df.to_csv(f"{a.out}_{name}.csv", index=False)
        g = df.groupby(['n', 'label'], sort=False)[['valid_accuracy', 'accuracy']].agg(['mean', 'std']).round(3)
        print(f"\ntarget {name}, k={a.k}, seeds {a.seeds} ({time.perf_counter() - t:.0f} s):\n{g.to_string()}", flush=True)
    print(f"total {time.perf_counter() - t0:.0f} s")

if __name__ == '__main__':
    os.environ.pop('IN_TEST', None)
    main()
