"""Benchmark: feature-extraction throughput through `extract_features` against a bare `torch.no_grad()` forward pass
of the same model on the same batches, as a ratio; and the feature cache's speed-up on a second run.
Prints figures; asserts nothing (not a timed test).

    python benchmarks/bench_features.py
"""
import os, platform, tempfile, time
import torch
from tl_lessons.data.core import digits
from tl_lessons.vision.pretrained import efficientnet_lite0
from tl_lessons.vision.features import extract_features, FeatureCache

def main(size=64, bs=128, repeats=3):
    model = efficientnet_lite0().eval()
    task = digits()
    x, _ = task.tensors('train', size=size, channels=3, normalize=model.stats)
    x = torch.cat([x, x])[:1600]    # 1,600 images
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, threads {torch.get_num_threads()}; "
          f"EfficientNet-Lite0, {len(x)} images at {size} px, batch {bs}")
    def bare():
        with torch.no_grad():
            for xb in x.split(bs): model(xb)
    def lib(): extract_features(model, x, bs=bs, progress=False)     # default layer: the body's output, pooled
    bare(); lib()                    # warm-up
    tb, tl = [], []
    for _ in range(repeats):
        t0 = time.perf_counter(); bare(); tb.append(time.perf_counter() - t0)
        t0 = time.perf_counter(); lib(); tl.append(time.perf_counter() - t0)
    b, l = min(tb), min(tl)
    print(f"bare no_grad forward (full model, logits): {len(x) / b:.0f} images/s")
    print(f"extract_features (hook on the body output, pooled, stops before the head): {len(x) / l:.0f} images/s")
    print(f"throughput ratio library / bare: {b / l:.2f}")
    mid = 'late.3'
    t0 = time.perf_counter(); extract_features(model, x, layer=mid, bs=bs, progress=False); t_mid = time.perf_counter() - t0
    print(f"extract_features at a middle layer ({mid}, stops the forward pass there): {len(x) / t_mid:.0f} images/s, "
          f"{b / t_mid:.2f}× the bare full pass")
    cache = FeatureCache(tempfile.mkdtemp())
    t0 = time.perf_counter(); extract_features(model, task, size=size, cache=cache, progress=False); first = time.perf_counter() - t0
    t0 = time.perf_counter(); extract_features(model, task, size=size, cache=cache, progress=False); second = time.perf_counter() - t0
    print(f"cache: first run {first:.2f} s, second run {second:.3f} s (hashing the weights and images included): "
          f"{first / second:.0f}× faster")

if __name__ == '__main__': main()
