"""Two processes on CPU (torchrun, gloo): the fixed fastai callback, `tl-lessons fit` and sharded feature extraction."""
import json, os, shutil, subprocess, sys, textwrap
from pathlib import Path
import numpy as np
import pytest
from tl_lessons.data.folders import texture_folder

TORCHRUN = shutil.which('torchrun') or str(Path(sys.executable).parent/'torchrun')
CPU = {'OMP_NUM_THREADS': '1', 'CUDA_VISIBLE_DEVICES': ''}   # gloo on the CPU, also on a machine with one GPU (two NCCL ranks can't share it)

def torchrun(args, tmp, timeout=600, **env):
    "Run `args` under `torchrun --standalone --nproc_per_node 2`; fail with both processes' output"
    r = subprocess.run([TORCHRUN, '--standalone', '--nproc_per_node', '2'] + [str(a) for a in args], capture_output=True, text=True,
                       timeout=timeout, cwd=tmp, env={**os.environ, **CPU, **env})
    assert r.returncode == 0, f"exit status {r.returncode}\n--- stdout (end) ---\n{r.stdout[-2000:]}\n--- stderr (end) ---\n{r.stderr[-8000:]}"
    return r

TRAINER = textwrap.dedent('''
    import json, sys, torch, torch.distributed as dist
    from fastai.learner import Learner
    from fastai.data.core import DataLoaders
    from fastai.data.load import DataLoader
    from tl_lessons.train.distributed import start, finish, data_parallel, per_process
    rank, n = start()
    torch.manual_seed(0)
    x = torch.randn(256, 8); y = (x[:, 0] + x[:, 1] > 0).long()
    dl = lambda: DataLoader(list(zip(x, y)), bs=per_process(32), shuffle=True)
    learn = Learner(DataLoaders(dl(), dl()), torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2)),
                    loss_func=torch.nn.CrossEntropyLoss())
    learn.model[0].weight.data += rank   # different starting weights: DDP must broadcast rank 0's
    loss0 = torch.nn.functional.cross_entropy(learn.model(x), y).item()
    with data_parallel(learn): learn.fit(3, 1e-2)
    flat = torch.cat([p.detach().flatten() for p in learn.model.parameters()])
    every = [torch.zeros_like(flat) for _ in range(n)]; dist.all_gather(every, flat)
    if rank == 0:
        json.dump(dict(world=n, same=all(torch.equal(every[0], e) for e in every), wrapped=type(learn.model).__name__,
                       loss=[loss0, torch.nn.functional.cross_entropy(learn.model(x), y).item()]), open(sys.argv[1], 'w'))
    finish()   # leave the group together: exiting with it alive can abort a process
''')

def test_fixed_fastai_callback_trains_on_two_cpu_processes(tmp_path):
    (tmp_path/'train.py').write_text(TRAINER)
    torchrun(['train.py', tmp_path/'out.json'], tmp_path)
    res = json.loads((tmp_path/'out.json').read_text())
    assert res['world'] == 2 and res['same'], res          # one model: both copies end with the same weights
    assert res['wrapped'] == 'Sequential'                  # unwrapped from DDP after the fit
    assert res['loss'][1] < res['loss'][0] * 0.8, res      # and it learned

FIT = ['--size', '32', '--approaches', 'linear probe,head only,SVM on pixels', '--steps', '12', '--json']

@pytest.fixture(scope='module')
def folder(tmp_path_factory):
    return texture_folder(tmp_path_factory.mktemp('photos')/'textures', n_train=16, n_valid=8, n_test=10, crop=64)

def test_fit_on_two_processes_matches_one(folder, tmp_path):
    cache = tmp_path/'cache'
    r = torchrun(['-m', 'tl_lessons.cli', 'fit', folder, '--out', tmp_path/'two'] + FIT, tmp_path, TL_LESSONS_CACHE=str(cache))
    two = json.loads(r.stdout)                             # rank 0 alone printed: one JSON object
    assert two['processes'] == 2 and (tmp_path/'two'/'model.json').exists() and (tmp_path/'two'/'report.html').exists()
    one = subprocess.run([sys.executable, '-m', 'tl_lessons.cli', 'fit', folder, '--out', tmp_path/'one'] + FIT, capture_output=True,
                         text=True, timeout=600, env={**os.environ, **CPU, 'TL_LESSONS_CACHE': str(tmp_path/'cache1')})
    assert one.returncode == 0, one.stderr[-3000:]
    one = json.loads(one.stdout)
    assert one['processes'] == 1
    rows = {s: {r['approach']: r for r in res['results']} for s, res in (('one', one), ('two', two))}
    for a in ('linear probe', 'SVM on pixels'):            # rank 0 fits these on the same features and pixels: the same result
        assert rows['one'][a]['valid_accuracy'] == rows['two'][a]['valid_accuracy'] and rows['one'][a]['test_accuracy'] == rows['two'][a]['test_accuracy']
    h1, h2 = rows['one']['head only'], rows['two']['head only']   # trained across 2 processes: the same within seed noise
    assert abs(h1['test_accuracy'] - h2['test_accuracy']) <= 0.2 and h2['test_accuracy'] >= 0.7, (h1, h2)

    # the features rank 0 cached after gathering both shares are the single-process run's: same cache keys, same values
    two_files, one_files = sorted(cache.glob('*.npz')), sorted((tmp_path/'cache1').glob('*.npz'))
    assert [f.name for f in two_files] == [f.name for f in one_files] and len(two_files) == 2, r.stderr[-3000:]   # avg and grid2 pooling
    for f2, f1 in zip(two_files, one_files):
        with np.load(f2) as z2, np.load(f1) as z1:
            assert z2.files == z1.files
            for k in z1.files:
                assert z2[k].shape == z1[k].shape and z1[k].shape[0] == 16 * 3 + 8 * 3 + 10 * 3
                np.testing.assert_allclose(z2[k], z1[k], atol=1e-5, rtol=0)
    assert not list(cache.glob('*.tmp.npz'))               # one writer, atomic files: nothing half-written
