"""Benchmark: one epoch of fastai's training loop against a plain PyTorch loop, same model, data and optimiser;
and the wall time of `tl-lessons demo`. Prints figures and ratios; asserts nothing (not a timed test).

    python benchmarks/bench_training.py            # both
    python benchmarks/bench_training.py --no-demo  # the loop comparison only
"""
import argparse, copy, os, platform, subprocess, sys, time
import torch
from torch import nn

def plain_epoch(model, x, y, bs, lr):
    "One epoch of a bare PyTorch loop: shuffled batches, Adam, cross-entropy"
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    idx = torch.randperm(len(x))
    for i in range(0, len(x) - bs + 1, bs):
        b = idx[i:i + bs]
        loss = loss_fn(model(x[b]), y[b])
        opt.zero_grad(); loss.backward(); opt.step()

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--no-demo', action='store_true'); ap.add_argument('--repeats', type=int, default=3)
    a = ap.parse_args()
    from fastai.optimizer import Adam
    from tl_lessons.vision.transfer import digit_glyphs
    from tl_lessons.train.core import quiet
    from tl_lessons.train.models import small_cnn, cnn_learner
    torch.manual_seed(0)
    task = digit_glyphs(1000)
    dls = task.dls(bs=128, size=16)
    x, y = dls.train.x, dls.train.y
    base = small_cnn()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, "
          f"threads {torch.get_num_threads()}; data: {len(x)} training images 16×16, batch 128")
    fa, pt = [], []
    for r in range(a.repeats + 1):      # the first round warms up and is not counted
        m = copy.deepcopy(base)
        t0 = time.perf_counter(); plain_epoch(m, x, y, 128, 1e-3); t_pt = time.perf_counter() - t0
        learn = cnn_learner(dls, copy.deepcopy(base), opt_func=Adam)
        with quiet(learn):
            t0 = time.perf_counter(); learn.fit(1, 1e-3); t_fa = time.perf_counter() - t0
        if r: fa.append(t_fa); pt.append(t_pt)
    med = lambda v: sorted(v)[len(v) // 2]
    print(f"one epoch, plain PyTorch loop: {med(pt):.2f} s (median of {a.repeats})")
    print(f"one epoch, fastai Learner.fit (includes a validation pass over {len(dls.valid.x)} images): {med(fa):.2f} s")
    print(f"ratio fastai / plain: {med(fa) / med(pt):.2f}")
    if not a.no_demo:
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, '-m', 'tl_lessons.cli', 'demo', '--json', '--out', 'tl_out/bench_demo'], capture_output=True, text=True)
        print(f"tl-lessons demo (defaults: 1 seed, budgets 1,5,10,30,all): {time.perf_counter() - t0:.1f} s wall, exit code {r.returncode}")

if __name__ == '__main__': main()
