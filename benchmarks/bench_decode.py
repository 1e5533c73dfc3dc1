"""Feature extraction from images on disk: decoding in this process vs in a DataLoader worker (issue 16).

    python benchmarks/bench_decode.py [n_images] [size]     # default 2,001 texture crops at 224 px

The folder is read with `in_memory=False`, so every batch is decoded from its JPEG files, then EfficientNet-Lite0 extracts
the body's pooled output. `TL_DECODE_WORKERS` is 0 (decode here, between batches) or 1 (a worker decodes the next batch while
the model runs). Prints images per second for both and their ratio, and checks that the features are identical.
"""
import sys, tempfile, time
from pathlib import Path
import numpy as np

def main(n=2001, size=224):
    from tl_lessons.data.folders import texture_folder, from_folder
    from tl_lessons.vision.fit import backbone
    from tl_lessons.vision import features, batches
    per = n // 3
    folder = texture_folder(Path(tempfile.mkdtemp())/'t', n_train=per - 2 * (per // 6), n_valid=per // 6, n_test=per // 6, crop=size)
    task = from_folder(folder, size=size, channels=3, in_memory=False, verbose=False)
    net = backbone('lite0').eval()
    features.extract_features(net, task.subset(list(range(8))), layer='late', size=size)   # warm-up
    out = {}
    for workers in (0, 1):
        batches.DECODE_WORKERS = workers
        t0 = time.perf_counter()
        f = features.extract_features(net, task, layer='late', size=size)
        secs = time.perf_counter() - t0
        out[workers] = (f, len(task) / secs)
        print(f"decode workers {workers}: {len(task)} images at {size} px in {secs:.1f} s, {len(task) / secs:.1f} images/s", flush=True)
    assert np.array_equal(out[0][0], out[1][0]), "the features differ"
    print(f"ratio (1 worker / none): {out[1][1] / out[0][1]:.2f}; features identical")

if __name__ == '__main__': main(*(int(a) for a in sys.argv[1:3]))
