"""Throughput of data-parallel training and feature extraction: 1 vs 2 processes on CPU, or 1 GPU without and with mixed precision.

    python benchmarks/bench_distributed.py          # CPU: torchrun with 1 and 2 processes (gloo), all cores shared between them
    python benchmarks/bench_distributed.py --gpu    # one GPU: full precision, then bf16 (Accelerate's setting, fastai's MixedPrecision)

Each run is a fresh launch of this script as a worker. The work: EfficientNet-Lite0 with its ImageNet weights on a folder of
288 natural images (texture crops) at 96 px: feature extraction over all of them (sharded, gathered on every process), then
fine-tuning every layer for 24 steps of 32 images (each process takes 32/N of each batch). Figures go to BENCHMARKS.md.
"""
import json, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

SIZE, STEPS, BS = 96, 24, 32

def worker(folder, out):
    import torch, torch.distributed as dist
    from tl_lessons.distributed import start, finish, is_main, data_parallel, per_process, precision_cbs
    from tl_lessons.own_images import folder_task, backbone, classifier, image_dls
    from tl_lessons.features import extract_features
    from tl_lessons.models import cnn_learner, NoValidation
    from tl_lessons.training import quiet, set_seed
    rank, n = start()
    sync = dist.barrier if n > 1 else (lambda: None)
    task = folder_task(folder, SIZE)
    net = backbone('lite0').eval()
    if torch.cuda.is_available(): net = net.cuda()
    extract_features(net, task.subset(list(range(8))), layer='late', size=SIZE)   # warm-up
    sync(); t0 = time.perf_counter()
    f = extract_features(net, task, layer='late', size=SIZE)
    sync(); t_feat = time.perf_counter() - t0
    set_seed(0)
    clf = classifier('lite0', task.c)
    learn = cnn_learner(image_dls(task, clf.stats, per_process(BS)), clf)
    learn.freeze_to(0)
    epochs = max(1, -(-STEPS * n // len(learn.dls.train)))
    with quiet(learn), learn.added_cbs([NoValidation()] + precision_cbs()), data_parallel(learn):
        sync(); t0 = time.perf_counter()
        learn.fit(epochs, 1e-3)
        sync(); t_train = time.perf_counter() - t0
    steps = epochs * -(-len(learn.dls.train) // n)
    if is_main():
        Path(out).write_text(json.dumps(dict(processes=n, features_shape=list(f.shape), threads=torch.get_num_threads(),
            extract_images_per_s=round(len(task) / t_feat, 1), train_images_per_s=round(steps * BS / t_train, 1),
            train_steps=steps, precision=os.environ.get('ACCELERATE_MIXED_PRECISION', 'no'),
            device=torch.cuda.get_device_name() if torch.cuda.is_available() else 'cpu')))
    finish()

def launch(nproc, folder, env):
    out = Path(tempfile.mkstemp(suffix='.json')[1])
    torchrun = shutil.which('torchrun') or str(Path(sys.executable).parent/'torchrun')
    r = subprocess.run([torchrun, '--standalone', '--nproc_per_node', str(nproc), __file__, '--worker', str(folder), str(out)],
                       env={**os.environ, **env}, capture_output=True, text=True)
    if r.returncode: sys.exit(r.stderr[-4000:])
    return json.loads(out.read_text())

def main():
    from tl_lessons.folders import texture_folder
    folder = texture_folder(Path(tempfile.mkdtemp())/'t', n_train=64, n_valid=16, n_test=16, crop=SIZE)
    cores = os.cpu_count() or 1
    if '--gpu' in sys.argv:
        runs = [launch(1, folder, dict(ACCELERATE_MIXED_PRECISION=m)) for m in ('no', 'bf16')]
    else:
        runs = [launch(n, folder, dict(OMP_NUM_THREADS=str(max(1, cores // n)))) for n in (1, 2)]
    for r in runs: print(json.dumps(r))
    a, b = runs
    for k in ('extract_images_per_s', 'train_images_per_s'): print(f"{k}: {a[k]} -> {b[k]}  (ratio {b[k] / a[k]:.2f})")

if __name__ == '__main__':
    if '--worker' in sys.argv: worker(*sys.argv[sys.argv.index('--worker') + 1:][:2])
    else: main()
