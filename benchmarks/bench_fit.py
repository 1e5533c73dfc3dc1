"""Speed and memory of `tl-lessons fit`, as a user runs it (figures for BENCHMARKS.md; not a test).

    python benchmarks/bench_fit.py small      # ~200 images (3 textures, 96 px), every approach: seconds end to end, peak memory
    python benchmarks/bench_fit.py large      # 10,000 images at 224 px: the probe and the SVM (streamed features), peak memory

Each run is a separate `tl-lessons fit` process measured by /usr/bin/time-like resource accounting (peak RSS of the child).
"""
import json, resource, subprocess, sys, tempfile, time
from pathlib import Path

def run(args):
    exe = Path(sys.executable).parent/'tl-lessons'
    t0 = time.perf_counter()
    r = subprocess.run([str(exe)] + args, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20   # KiB on Linux
    if r.returncode: sys.exit(r.stderr[-3000:])
    return json.loads(r.stdout), secs, peak_gb

def main(which):
    from tl_lessons.own_images import texture_folder
    work = Path(tempfile.mkdtemp())
    if which == 'small':
        folder = texture_folder(work/'small', n_train=40, n_valid=10, n_test=20, crop=96)
        res, secs, peak = run(['fit', str(folder), '--out', str(work/'out'), '--json'])
    else:
        t0 = time.perf_counter()
        folder = texture_folder(work/'large', n_train=2400, n_valid=400, n_test=534, crop=224)   # 3 classes: 10,002 images
        print(f"made {sum(1 for _ in folder.rglob('*.jpg')):,} images in {time.perf_counter() - t0:.0f} s", flush=True)
        res, secs, peak = run(['fit', str(folder), '--out', str(work/'out'), '--json', '--size', '224', '--approaches', 'linear probe,SVM on pixels'])
    rows = {r['approach']: (round(r['valid_accuracy'], 3), round(r['test_accuracy'], 3), r['seconds']) for r in res['results']}
    print(json.dumps(dict(which=which, images=sum(1 for _ in folder.rglob('*.jpg')), seconds=round(secs, 1), peak_rss_gb=round(peak, 2),
                          chosen=res['chosen'], test_accuracy=res['test_accuracy'], approaches=rows), indent=1))

if __name__ == '__main__': main(sys.argv[1] if len(sys.argv) > 1 else 'small')
