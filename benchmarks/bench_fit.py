"""Speed and memory of `tl-lessons fit`, as a user runs it (figures for BENCHMARKS.md; not a test).

    python benchmarks/bench_fit.py small      # ~200 images (3 textures, 96 px), every approach: seconds end to end, peak memory
    python benchmarks/bench_fit.py large      # 10,000 images at 224 px: the probe and the SVM (streamed features), peak memory

Each run is a separate `tl-lessons fit` process. Two memory figures: the peak RSS of that process alone (resource accounting,
like /usr/bin/time), and the peak of its whole process tree (it and its decoding workers) sampled every second as the sum of
their PSS, which counts pages shared between them once.
"""
import json, resource, subprocess, sys, tempfile, threading, time
from pathlib import Path

def _tree_pss(pid) -> int:
    import psutil
    total = 0
    try: procs = [psutil.Process(pid)] + psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess: return 0
    for p in procs:
        try: total += p.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied): pass
    return total

def run(args):
    exe = Path(sys.executable).parent/'tl-lessons'
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(exe)] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_tree, done = [0], threading.Event()
    def sample():
        while not done.wait(1.0): peak_tree[0] = max(peak_tree[0], _tree_pss(proc.pid))
    threading.Thread(target=sample, daemon=True).start()
    out, err = proc.communicate(); done.set()
    secs = time.perf_counter() - t0
    peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20   # KiB on Linux: the largest single process
    if proc.returncode: sys.exit(err[-3000:])
    return json.loads(out), secs, peak_gb, peak_tree[0] / 2**30

def main(which):
    from tl_lessons.data.folders import texture_folder
    work = Path(tempfile.mkdtemp())
    if which == 'small':
        folder = texture_folder(work/'small', n_train=40, n_valid=10, n_test=20, crop=96)
        res, secs, peak, tree = run(['fit', str(folder), '--out', str(work/'out'), '--json'])
    else:
        t0 = time.perf_counter()
        folder = texture_folder(work/'large', n_train=2400, n_valid=400, n_test=534, crop=224)   # 3 classes: 10,002 images
        print(f"made {sum(1 for _ in folder.rglob('*.jpg')):,} images in {time.perf_counter() - t0:.0f} s", flush=True)
        res, secs, peak, tree = run(['fit', str(folder), '--out', str(work/'out'), '--json', '--size', '224', '--approaches', 'linear probe,SVM on pixels'])
    rows = {r['approach']: (round(r['valid_accuracy'], 3), round(r['test_accuracy'], 3), r['seconds']) for r in res['results']}
    print(json.dumps(dict(which=which, images=sum(1 for _ in folder.rglob('*.jpg')), seconds=round(secs, 1), peak_rss_gb=round(peak, 2), peak_tree_pss_gb=round(tree, 2),
                          chosen=res['chosen'], test_accuracy=res['test_accuracy'], approaches=rows), indent=1))

if __name__ == '__main__': main(sys.argv[1] if len(sys.argv) > 1 else 'small')
