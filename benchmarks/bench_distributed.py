"""Throughput of data-parallel training and feature extraction: 1 vs 2 processes on CPU, or 1 GPU without and with mixed precision.

    python benchmarks/bench_distributed.py          # CPU: torchrun with 1 and 2 processes (gloo), all cores shared between them
    python benchmarks/bench_distributed.py --gpu    # one GPU: full precision, then bf16 and fp16 (Accelerate's setting, fastai's MixedPrecision)

Each run is a fresh launch of this script as a worker. The work: EfficientNet-Lite0 with its ImageNet weights on a folder of
natural images (texture crops): feature extraction over all of them (sharded, gathered on every process), then fine-tuning
every layer (each process takes 1/N of each batch). On CPU: 288 images at 96 px, 24 steps of 32. On a GPU: 576 images at
224 px, 40 steps of 64. Figures go to BENCHMARKS.md.
"""
import json, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

CPU, GPU = dict(size=96, steps=24, bs=32, per_class=64), dict(size=224, steps=40, bs=64, per_class=128)
SIZE, STEPS, BS = (int(v) for v in os.environ.get('TL_BENCH', '96,24,32').split(','))   # set by main for its workers

def worker(folder, out):
    import torch, torch.distributed as dist
    from tl_lessons.train.distributed import start, finish, is_main, data_parallel, per_process, precision_cbs
    from tl_lessons.vision.fit import folder_task, backbone, classifier, image_dls
    from tl_lessons.vision.features import extract_features
    from tl_lessons.train.models import cnn_learner, NoValidation
    from tl_lessons.train.core import quiet, set_seed
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
    from tl_lessons.data.folders import texture_folder
    gpu = '--gpu' in sys.argv
    w = GPU if gpu else CPU
    n = w['per_class']   # 3 texture classes, each split train/valid/test as 4:1:1
    folder = texture_folder(Path(tempfile.mkdtemp())/'t', n_train=n, n_valid=n // 4, n_test=n // 4, crop=w['size'])
    bench = dict(TL_BENCH=f"{w['size']},{w['steps']},{w['bs']}")
    cores = os.cpu_count() or 1
    settings = ([(1, dict(bench, ACCELERATE_MIXED_PRECISION=m)) for m in ('no', 'bf16', 'fp16')] if gpu else
                [(n, dict(bench, OMP_NUM_THREADS=str(max(1, cores // n)))) for n in (1, 2)])
    runs = []
    for n, env in settings:
        runs.append(launch(n, folder, env)); print(json.dumps(runs[-1]), flush=True)
    a = runs[0]
    for b in runs[1:]:
        for k in ('extract_images_per_s', 'train_images_per_s'):
            print(f"{k}: {a[k]} -> {b[k]}  (ratio {b[k] / a[k]:.2f}, {a['processes']} -> {b['processes']} processes, {a['precision']} -> {b['precision']})")

if __name__ == '__main__':
    if '--worker' in sys.argv: worker(*sys.argv[sys.argv.index('--worker') + 1:][:2])
    else: main()
