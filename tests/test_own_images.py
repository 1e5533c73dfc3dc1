"""`tl-lessons fit` and `tl-lessons predict` on a user's own images: the outputs, and every bad input the issue names."""
import json, re, struct, subprocess, zlib
from pathlib import Path
import numpy as np
import pytest
import torch
from PIL import Image
from tl_lessons.data.folders import texture_folder
from tl_lessons.vision.fit import MODEL_FORMAT, SVM_FORMAT

from _cli import cli_command as _cli, run   # tests/_cli.py

FAST = ['--size', '32', '--approaches', 'linear probe,SVM on pixels']

@pytest.fixture(scope='module')
def folder(tmp_path_factory):
    "Natural images, 3 textures, train/valid/test from disjoint regions of scikit-image's photographs"
    return texture_folder(tmp_path_factory.mktemp('photos')/'textures', n_train=12, n_valid=4, n_test=8, crop=64)

@pytest.fixture(scope='module')
def fitted(folder, tmp_path_factory):
    "fit run as a user types it, output to a log (not a terminal)"
    out = tmp_path_factory.mktemp('fit')/'model'
    r = subprocess.run(_cli() + ['fit', str(folder), '--out', str(out), '--json'] + FAST, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return out, json.loads(r.stdout), r.stderr

def test_fit_json_model_and_report(fitted):
    out, res, log = fitted
    assert {'chosen', 'test_accuracy', 'model', 'classes', 'results'} <= set(res)
    assert res['classes'] == ['brick', 'grass', 'gravel']
    assert [r['approach'] for r in res['results']] == ['linear probe', 'SVM on pixels']
    assert all({'approach', 'valid_accuracy', 'test_accuracy', 'test_interval'} <= set(r) for r in res['results'])
    assert res['n_test'] == 24 and res['test_interval'][0] <= res['test_accuracy'] <= res['test_interval'][1]   # every test figure: its interval
    secs = {r['approach']: r['seconds'] for r in res['results']}          # kept: the cheapest of those tied with the best on validation
    assert res['chosen'] in res['ties_with_best'] and res['chosen'] == min(res['ties_with_best'], key=secs.get), res
    cal = res['calibration']                                              # the kept model's probabilities, calibrated on validation
    assert {'temperature', 'ece_before', 'ece_after', 'nll_before', 'nll_after'} <= set(cal) and cal['temperature'] > 0
    assert cal['nll_after'] <= cal['nll_before'] + 0.05, cal               # fitted on validation, it rarely hurts test by much
    recipe = json.loads((out/'model.json').read_text())
    assert recipe['temperature'] == cal['temperature'] and (out/'reliability.png').stat().st_size > 1000
    html = (out/'report.html').read_text(encoding='utf-8')   # the report says the same figures, before and after
    assert f"expected calibration error {cal['ece_before']:.3f} before, {cal['ece_after']:.3f} after" in html
    assert f"negative log-likelihood {cal['nll_before']:.3f} before, {cal['nll_after']:.3f} after" in html and "<img src='reliability.png'>" in html
    assert recipe['classes'] == res['classes'] and recipe['approach'] == res['chosen'] and recipe['ties_with_best'] == res['ties_with_best']
    if res['chosen'] == 'linear probe':
        state = torch.load(out/'model.pt', weights_only=True)
        assert all(isinstance(v, torch.Tensor) for v in state.values())
        assert recipe['format'] == MODEL_FORMAT and {'arch', 'size', 'normalize'} <= set(recipe)
    else:
        with np.load(out/'model.npz', allow_pickle=False) as z: assert z['support_vectors'].ndim == 2
        assert recipe['format'] == SVM_FORMAT and not (out/'model.pt').exists()
    for f in ('report.html', 'confusion.png', 'most_confident_wrong.png', 'comparison.csv'): assert (out/f).stat().st_size > 100
    assert res['chosen_on'] == 'accuracy' and res['imbalance_ratio'] == 1.0 and 0 <= res['balanced_accuracy'] <= 1   # balanced classes
    assert all({'valid_balanced_accuracy', 'test_balanced_accuracy', 'test_macro_f1'} <= set(r) for r in res['results'])
    lines = [l for l in log.splitlines() if l.startswith('[')]
    assert [l.split(']')[0] for l in lines] == ['[1/2', '[2/2'] and '\r' not in log   # one line per step, no redrawn bar
    # a tie on the 12 validation images is said on stderr, in the notes and in the report; no tie, no such sentence
    n = len(res['ties_with_best'])
    tie = f"{n} approaches tie with the best on the 12 validation images"
    html = (out/'report.html').read_text(encoding='utf-8')
    if n > 1: assert f"note: {tie}" in log and any(x.startswith(tie) for x in res['notes']) and tie in html, log
    else: assert 'tie with the best on the 12 validation images' not in log + html and not any('tie with the best' in x for x in res['notes']), log

def test_imbalanced_folder_is_chosen_on_balanced_accuracy(tmp_path):
    "One class with a fifth of the others' training images: per-class counts, balanced accuracy and macro-F1 reported, the choice on balanced accuracy"
    root = texture_folder(tmp_path/'textures', n_train=20, n_valid=4, n_test=8, crop=48)
    for p in sorted((root/'train'/'gravel').iterdir())[4:]: p.unlink()   # gravel: 4 + 4 + 8 = 16 images, the others 32
    out = tmp_path/'model'
    r = subprocess.run(_cli() + ['fit', str(root), '--out', str(out), '--json'] + FAST, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout)
    assert res['imbalance_ratio'] == 2.0 and res['chosen_on'] == 'balanced accuracy', res
    counts = {c['class']: c for c in res['class_counts']}
    assert (counts['gravel']['train'], counts['brick']['train'], counts['gravel']['all']) == (4, 20, 16)
    rows = {x['approach']: x for x in res['results']}
    assert res['balanced_accuracy'] == rows[res['chosen']]['test_balanced_accuracy'] and res['macro_f1'] == rows[res['chosen']]['test_macro_f1']
    for name in ('balanced_accuracy', 'macro_f1'):   # each with its 95 % interval (a bootstrap within classes), in --json and every row
        lo, hi = res[f'{name}_interval']
        assert lo <= res[name] <= hi and hi - lo < 0.5 and list(rows[res['chosen']][f'test_{name}_interval']) == [lo, hi], (name, lo, hi)
    best = max(rows, key=lambda a: rows[a]['valid_balanced_accuracy'])   # the best on balanced accuracy is among those tied with the best
    assert best in res['ties_with_best'] and res['chosen'] in res['ties_with_best'], res
    assert 'balanced accuracy' in r.stderr and 'imbalanced' in ' '.join(res['notes'])
    assert any(x.startswith('Training was balanced too') for x in res['notes']), res['notes']   # not only chosen on balance: trained on it
    html = (out/'report.html').read_text(encoding='utf-8')
    assert 'Images per class and split' in html and 'test_balanced_accuracy' in html and 'test_macro_f1' in html

def _colour_folder(root:Path, per_split=(8, 6, 10)) -> Path:
    "Three classes a child could tell apart (mostly red, green or blue squares, with noise): every approach is right on every image"
    rng = np.random.default_rng(0)
    for split, n in zip(('train', 'valid', 'test'), per_split):
        for c, name in enumerate(('red', 'green', 'blue')):
            (root/split/name).mkdir(parents=True, exist_ok=True)
            for i in range(n):
                a = rng.integers(0, 90, (40, 40, 3)); a[..., c] += 150
                Image.fromarray(a.astype(np.uint8)).save(root/split/name/f'{i}.png')
    return root

def test_a_tie_is_said_and_a_transfer_approach_kept(tmp_path):
    """Both approaches right on all 18 validation images: fit says they tie (stderr, notes, report) and keeps the probe, although the
    SVM is cheaper (a transfer approach before a baseline, benchmarks/bench_tie_break.py); 30 test images still get their interval"""
    root, out = _colour_folder(tmp_path/'colours'), tmp_path/'model'
    r = subprocess.run(_cli() + ['fit', str(root), '--out', str(out), '--json'] + FAST, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout)
    rows = {x['approach']: x for x in res['results']}
    assert all(x['valid_accuracy'] == 1.0 for x in rows.values()), rows
    assert sorted(res['ties_with_best']) == ['SVM on pixels', 'linear probe'] and res['chosen'] == 'linear probe', res
    assert rows['SVM on pixels']['seconds'] < rows['linear probe']['seconds']   # the cheaper one was not kept: it is a baseline
    tie = "2 approaches tie with the best on the 18 validation images"
    assert f"note: {tie}" in r.stderr and any(x.startswith(tie) for x in res['notes']), r.stderr
    assert tie in (out/'report.html').read_text(encoding='utf-8')
    lo, hi = res['test_interval']   # n = 30: the old rule (an interval only below 30) printed none here
    assert res['n_test'] == 30 and res['test_accuracy'] == 1.0 and 0.85 < lo < 1.0 == hi, res
    assert all(x['test_interval'][0] < x['test_accuracy'] or x['test_accuracy'] == 0 for x in rows.values())

def _copies(src:Path, dst:Path, how:str):
    "Write a copy of image `src` at `dst`: 'exact' (the same file), or 'near' (re-encoded as JPEG at quality 50 after a 3 % crop)"
    dst.parent.mkdir(parents=True, exist_ok=True)
    if how == 'exact': dst.write_bytes(src.read_bytes()); return
    im = Image.open(src).convert('RGB'); w, h = im.size; c = max(1, int(0.03 * w))
    im.crop((c, c, w - c, h - c)).save(dst.with_suffix('.jpg'), quality=50)

def test_copies_across_given_splits_are_leakage(tmp_path):
    "Copies of training images in valid and test: reported as leakage, in --json and as thumbnails, and test scored without them"
    root = texture_folder(tmp_path/'textures', n_train=12, n_valid=4, n_test=8, crop=64)
    _copies(root/'train'/'brick'/'brick_000.jpg', root/'test'/'brick'/'copy_a.jpg', 'exact')
    _copies(root/'train'/'grass'/'grass_001.jpg', root/'test'/'grass'/'copy_b.jpg', 'near')
    _copies(root/'train'/'gravel'/'gravel_002.jpg', root/'valid'/'gravel'/'copy_c.jpg', 'near')
    out = tmp_path/'model'
    r = subprocess.run(_cli() + ['fit', str(root), '--out', str(out), '--json'] + FAST, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout)
    groups = {tuple(sorted(g['paths'])): g for g in res['duplicates']}
    assert groups == {('test/brick/copy_a.jpg', 'train/brick/brick_000.jpg'): dict(paths=['test/brick/copy_a.jpg', 'train/brick/brick_000.jpg'], splits=['test', 'train'], kind='exact'),
                      ('test/grass/copy_b.jpg', 'train/grass/grass_001.jpg'): dict(paths=['test/grass/copy_b.jpg', 'train/grass/grass_001.jpg'], splits=['test', 'train'], kind='near'),
                      ('train/gravel/gravel_002.jpg', 'valid/gravel/copy_c.jpg'): dict(paths=['train/gravel/gravel_002.jpg', 'valid/gravel/copy_c.jpg'], splits=['train', 'valid'], kind='near')}, res['duplicates']
    assert any(n.startswith('Leakage: 3 groups') and '2 test images' in n for n in res['notes']), res['notes']
    assert res['test_accuracy_without_duplicates'] is not None and res['n_test'] == 26
    lo, hi = res['test_interval_without_duplicates']   # with its interval, on the 24 test images that are no copy
    assert lo <= res['test_accuracy_without_duplicates'] <= hi and hi - lo > 0.05, res
    html = (out/'report.html').read_text(encoding='utf-8')
    assert 'Copies (3 groups)' in html and (out/'duplicates.png').stat().st_size > 5000 and 'Leakage' in html

def test_copies_stay_in_one_split_when_fit_splits(tmp_path):
    "A folder without a split: fit makes one in which every group of copies lies in one split, and says so"
    src = texture_folder(tmp_path/'textures', n_train=10, n_valid=0, n_test=0, crop=64)
    root = tmp_path/'flat'
    for p in sorted(src.glob('train/*/*.jpg')): _copies(p, root/p.parent.name/p.name, 'exact')
    for cls in ('brick', 'grass', 'gravel'):
        for i in range(3): _copies(root/cls/f'{cls}_00{i}.jpg', root/cls/f'{cls}_00{i}_again.jpg', 'near' if i else 'exact')
    rc, stdout, stderr = run('fit', root, '--out', tmp_path/'model', '--json', *FAST)
    assert rc == 0, stderr[-3000:]
    res = json.loads(stdout)
    assert len(res['duplicates']) == 9 and all(len(set(g['splits'])) == 1 for g in res['duplicates']), res['duplicates']
    assert res['test_accuracy_without_duplicates'] is None and any('each group lies in one split (fit made the split' in n for n in res['notes'])

def test_a_folder_of_copies_is_refused(tmp_path):
    "Every image a copy of another: one clear paragraph, nothing written"
    src = texture_folder(tmp_path/'textures', n_train=4, n_valid=0, n_test=0, crop=48)
    for p in sorted(src.glob('train/*/*.jpg')):
        for k in ('a', 'b'): _copies(p, tmp_path/'copies'/p.parent.name/f'{k}_{p.name}', 'exact')
    rc, stdout, stderr = run('fit', tmp_path/'copies', '--out', tmp_path/'o', *FAST)
    assert rc == 1 and 'Every one of the 24 images' in stderr and 'Keep one of each group' in stderr and 'Traceback' not in stderr, stderr
    assert stderr.count('\n') == 1 and not (tmp_path/'o').exists()

def test_time_budget_runs_quick_approaches_first_then_stops_and_skips(folder, tmp_path):
    "--time-budget: the SVM first, a training run stopped at the budget (and said so), the next training approach skipped (and said so)"
    from tl_lessons.vision.fit import fit
    res = fit(folder, out=tmp_path/'m', size=32, approaches=['head only', 'fine-tune, one rate', 'SVM on pixels'], steps=100_000, time_budget=25)
    rows = {r['approach']: r for r in res['results']}
    assert list(rows) == ['SVM on pixels', 'head only'] and res['skipped_for_time'] == ['fine-tune, one rate'], res['results']
    assert 'stopped by the time budget after' in rows['head only']['settings'] and res['seconds'] < 25 + 30, (rows, res['seconds'])
    assert any('Left out to keep within the time budget of 25 s: fine-tune, one rate' in n for n in res['notes'])

def test_time_budget_too_small_names_the_fastest_approach(folder, tmp_path):
    rc, stdout, stderr = run('fit', folder, '--out', tmp_path/'o', '--time-budget', '0.01', *FAST)
    assert rc == 1 and 'too small for any approach' in stderr and 'the fastest, SVM on pixels, took' in stderr and 'Traceback' not in stderr, stderr
    assert stderr.count('\n') == 1 and not (tmp_path/'o').exists()

def test_predict_any_image_and_per_file_errors(fitted, folder, tmp_path):
    out, res, _ = fitted
    src = sorted((folder/'test'/'grass').glob('*.jpg'))[0]
    rgb = np.asarray(Image.open(src).convert('RGB'))
    Image.fromarray(rgb).convert('L').save(tmp_path/'grey.png')
    Image.fromarray((np.asarray(Image.open(src).convert('L')).astype(np.uint16) * 257)).save(tmp_path/'deep 16-bit.png')
    Image.fromarray(rgb).convert('RGBA').save(tmp_path/'alpha.png')
    Image.fromarray(rgb).convert('P').save(tmp_path/'palette.gif')
    Image.fromarray(rgb).convert('CMYK').save(tmp_path/'print.jpg')
    Image.fromarray(rgb).resize((700, 500)).save(tmp_path/'big.jpg')
    (tmp_path/'notes.txt').write_text('not an image')
    rc, stdout, _ = run('predict', out, *sorted(tmp_path.iterdir()), '--json', '--top', '2')   # files named one by one
    assert rc == 0
    got = {Path(r['path']).name: r for r in json.loads(stdout)}
    assert 'error' in got['notes.txt'] and len(got) == 7
    for name, r in got.items():
        if name != 'notes.txt': assert {'path', 'label', 'probability', 'top'} <= set(r) and len(r['top']) == 2, r
    rc, stdout, stderr = run('predict', out, src, tmp_path/'notes.txt')
    assert rc == 0 and f'{src}: ' in stdout and 'notes.txt: error' in stderr
    rc, stdout, _ = run('predict', out, tmp_path, '--json')                 # a folder: its image files (the text file is not one)
    assert rc == 0 and len(json.loads(stdout)) == 6
    (tmp_path/'deeper').mkdir(); (tmp_path/'deeper'/'broken.jpg').write_bytes(b'\xff\xd8 not a jpeg')
    rc, _, stderr = run('predict', out, tmp_path, '--csv', tmp_path/'out'/'predictions.csv')   # a folder, recursively, to a CSV file
    import csv
    rows = {Path(r['path']).name: r for r in csv.DictReader(open(tmp_path/'out'/'predictions.csv'))}
    assert rc == 0 and len(rows) == 7 and 'wrote 7 rows' in stderr, (rows.keys(), stderr)   # the six images and the broken one
    assert 'not a readable image' in rows['broken.jpg']['error'] and rows['broken.jpg']['label'] == ''
    assert rows['big.jpg']['label'] in res['classes'] and float(rows['big.jpg']['probability']) > 0 and rows['big.jpg']['top2'] in res['classes']

def test_predict_prints_calibrated_probabilities(fitted, folder, tmp_path):
    "predict prints the model's probabilities temperature-scaled by the temperature its recipe stores, not the raw ones"
    import shutil
    from tl_lessons.fitting import calibrated
    from tl_lessons.data.folders import open_image
    from tl_lessons.vision.fit import load_model, _image_probs   # the model's own probabilities, before calibration
    out, res, _ = fitted
    clf, recipe = load_model(out)
    assert recipe['temperature'] == res['calibration']['temperature'] and (res['calibration']['fitted'] or recipe['temperature'] == 1), res['calibration']
    raw = {}
    for T in (recipe['temperature'], 2.5):   # the stored one (1 when validation held no error to fit it on), and one set by hand
        m = tmp_path/f'T{T}'; shutil.copytree(out, m)
        (m/'model.json').write_text(json.dumps(dict(recipe, temperature=T)))
        rc, stdout, _ = run('predict', m, folder/'test', '--json', '--top', '3')
        assert rc == 0
        moved = 0
        for r in json.loads(stdout):
            if r['path'] not in raw: raw[r['path']] = _image_probs(clf, open_image(r['path'], recipe['size']), recipe)[None].double().numpy()
            want = calibrated(raw[r['path']], T)[0]
            got = np.array([{t['label']: t['probability'] for t in r['top']}[c] for c in recipe['classes']])
            np.testing.assert_allclose(got, want, atol=6e-5)               # printed to 4 decimals
            moved += np.abs(raw[r['path']][0] - want).max() > 1e-3
        assert moved or T == 1, f"T = {T} changed no printed probability"

def _bomb(path):
    "A tiny PNG whose header claims 100,000 × 100,000 pixels"
    Image.new('RGB', (1, 1)).save(path)
    b = bytearray(path.read_bytes()); ihdr = b[12:29]
    ihdr[4:12] = struct.pack('>II', 100_000, 100_000)
    b[12:29] = ihdr; b[29:33] = struct.pack('>I', zlib.crc32(bytes(ihdr)))
    path.write_bytes(bytes(b))

def test_bad_files_are_skipped_counted_and_reported(folder, tmp_path):
    import shutil
    messy = tmp_path/'messy folder'
    shutil.copytree(folder/'train', messy)                 # one folder, no split: fit makes one
    (messy/'grass'/'empty.png').write_bytes(b'')
    (messy/'grass'/'readme.txt').write_text('hello')
    good = (messy/'brick').glob('*.jpg').__next__().read_bytes()
    (messy/'brick'/'truncated.jpg').write_bytes(good[:len(good) // 3])
    _bomb(messy/'gravel'/'bomb.png')
    (messy/'gravel'/'more of it').mkdir()                   # nested: these images count for gravel, never a class of their own
    for p in list((messy/'gravel').glob('*.jpg'))[:3]: p.rename(messy/'gravel'/'more of it'/p.name)
    (messy/'brick').rename(messy/'brïck wall')              # unicode and spaces in a class name
    rc, stdout, stderr = run('fit', messy, '--out', tmp_path/'o', '--json', *FAST)
    assert rc == 0, stderr
    res = json.loads(stdout)
    assert res['classes'] == ['brïck wall', 'grass', 'gravel']
    assert res['skipped'] >= 4                                # empty, text, truncated, bomb
    html = (tmp_path/'o'/'report.html').read_text()
    for name in ('empty.png', 'readme.txt', 'bomb.png', 'decompression bomb', 'sub-folders'): assert name in html, name

@pytest.mark.parametrize('case, says', [('empty', 'No image or .txt files'), ('one class', 'only one class'),
                                        ('single image', 'fewer than 3'), ('no images', 'No image or .txt files'),
                                        ('unreadable', 'could be read')])
def test_folder_problems_are_one_clear_paragraph(tmp_path, case, says):
    root = tmp_path/'f'; root.mkdir()
    def img(p): p.parent.mkdir(parents=True, exist_ok=True); Image.new('RGB', (16, 16), (len(p.name) * 20, 0, 0)).save(p)
    if case == 'one class':
        for i in range(5): img(root/'cats'/f'{i}.png')
    if case == 'single image':
        for i in range(5): img(root/'cats'/f'{i}.png')
        img(root/'dogs'/'0.png')
    if case == 'no images': (root/'a').mkdir(); (root/'a'/'x.md').write_text('x'); (root/'b').mkdir(); (root/'b'/'y.csv').write_text('1')
    if case == 'unreadable':
        for c in 'ab': (root/c).mkdir(); (root/c/'x.png').write_bytes(b'\x89PNG broken')
    rc, stdout, stderr = run('fit', root, '--out', tmp_path/'o', *FAST)
    assert rc == 1 and says in stderr and 'Traceback' not in stderr and stderr.count('\n') == 1, stderr
    assert not (tmp_path/'o').exists()                      # nothing half-written

def test_bad_model_files(fitted, folder, tmp_path):
    import shutil
    out, _, _ = fitted
    img = sorted((folder/'test'/'brick').glob('*.jpg'))[0]
    def predict_says(model, says):
        rc, _, stderr = run('predict', model, img)
        assert rc == 1 and says in stderr and 'Traceback' not in stderr, stderr
    predict_says(tmp_path/'missing', 'No saved model')
    weights = json.loads((out/'model.json').read_text())['weights']       # model.pt, or model.npz when the SVM was kept
    m = tmp_path/'corrupt'; shutil.copytree(out, m); (m/weights).write_bytes(b'\x00' * 100)
    predict_says(m, 'truncated or corrupt')
    m = tmp_path/'old'; shutil.copytree(out, m)
    r = json.loads((m/'model.json').read_text()); r['format'] = 'tl_lessons-classifier-0'; (m/'model.json').write_text(json.dumps(r))
    predict_says(m, 'another version' if False else 'this tl_lessons reads')
    m = tmp_path/'classes'; shutil.copytree(out, m)
    r = json.loads((m/'model.json').read_text()); r['classes'] = r['classes'] + ['extra']; (m/'model.json').write_text(json.dumps(r))
    predict_says(m, 'names 4 classes')
    m = tmp_path/'nojson'; shutil.copytree(out, m); (m/'model.json').write_text('{not json')
    predict_says(m, 'not a readable recipe')

def test_unknown_model_fails_fast_with_offline_choices(folder, tmp_path):
    import time
    t0 = time.perf_counter()
    rc, _, stderr = run('fit', folder, '--out', tmp_path/'o', '--arch', 'resnet50', *FAST)
    assert rc == 1 and 'Offline choices: lite0, lite1, lite2' in stderr and time.perf_counter() - t0 < 30
    rc, _, stderr = run('fit', folder, '--out', tmp_path/'o', '--arch', 'vit_huge', *FAST)
    assert rc == 1 and 'Unknown model' in stderr

def test_large_folders_stay_on_disk(folder, tmp_path):
    "A folder too big for memory is read from its files batch by batch: same pixels, same features, same comparison, a cache keyed on the files"
    import os
    from tl_lessons.data.folders import from_folder, ImageFiles
    from tl_lessons.vision.features import FeatureCache, extract_features
    from tl_lessons.vision.fit import backbone, compare
    mem = from_folder(folder, size=32, channels=3, in_memory=True, verbose=False)
    disk = from_folder(folder, size=32, channels=3, in_memory=False, verbose=False)
    assert isinstance(disk.images, ImageFiles) and disk.info['in_memory'] is False and isinstance(mem.images, np.ndarray)
    assert np.array_equal(np.asarray(disk.images), mem.images) and np.array_equal(disk.images[[3, 1]], mem.images[[3, 1]])
    assert isinstance(disk.subset(disk.idxs('test')).images, ImageFiles)   # a subset is still on disk
    assert np.allclose(disk.stats(), mem.stats(), atol=1e-4)
    net, cache = backbone('lite0').eval(), FeatureCache(tmp_path/'cache')
    f_mem = extract_features(net, mem, layer='late', pool='avg', size=32)
    f_disk = extract_features(net, disk, layer='late', pool='avg', size=32, cache=cache)
    assert torch.equal(torch.as_tensor(f_mem), torch.as_tensor(f_disk))
    extract_features(net, disk, layer='late', pool='avg', size=32, cache=cache); assert cache.hits == 1
    p = disk.images.paths[0]; os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns + 10**9))   # a file changed: features recomputed
    extract_features(net, disk, layer='late', pool='avg', size=32, cache=cache); assert cache.hits == 1 and cache.misses == 2
    kw = dict(approaches=['linear probe', 'head only'], size=32, steps=4)
    r_mem, r_disk = compare(mem, **kw)[0], compare(disk, **kw)[0]
    assert np.allclose(r_mem[['valid_accuracy', 'test_accuracy']].values, r_disk[['valid_accuracy', 'test_accuracy']].values)

def test_export_onnx_and_predict_with_it(folder, tmp_path):
    "tl-lessons export writes the kept network as ONNX; predict on the .onnx file gives the same answers; an old model is refused clearly"
    out = tmp_path/'m'
    rc, table, err = run('fit', folder, '--out', out, '--size', '32', '--approaches', 'linear probe')
    assert rc == 0, err
    head, row = table.splitlines()[:2]   # the plain table: every test figure with its interval
    assert head.split()[:7] == ['approach', 'valid', 'test', '95%', 'interval', 'balanced', 'macro-F1'] and row.startswith('linear probe'), table
    assert re.search(r' 0\.\d\d-[01]\.\d\d ', row) and re.search(r'test accuracy [01]\.\d{3} on 24 images \(95% interval [01]\.\d\d-[01]\.\d\d\)', table), table
    assert re.search(r'test balanced accuracy [01]\.\d{3} \(95% interval [01]\.\d\d-[01]\.\d\d\), macro-F1 [01]\.\d{3} \([01]\.\d\d-[01]\.\d\d\)', table), table
    rc, stdout, err = run('export', out, '--to', 'onnx')
    assert rc == 0 and 'opset 17' in stdout and (out/'model.onnx').stat().st_size > 1e5, err
    imgs = sorted((folder/'test').rglob('*.jpg'))
    (_, a, _), (rc, b, err) = run('predict', out, *imgs, '--json'), run('predict', out/'model.onnx', *imgs, '--json')
    a, b = json.loads(a), json.loads(b)
    assert rc == 0 and [x['label'] for x in a] == [x['label'] for x in b], err
    assert max(abs(x['top'][i]['probability'] - y['top'][i]['probability']) for x, y in zip(a, b) for i in range(3)) <= 1e-4
    rc, stdout, err = run('export', out, '--to', 'onnx', '--out', tmp_path/'served'/'m.onnx')   # --out, into a folder made for it
    assert rc == 0 and str(tmp_path/'served'/'m.onnx') in stdout, err
    rc, c, err = run('predict', tmp_path/'served'/'m.onnx', *imgs, '--json')
    assert rc == 0 and json.loads(c) == b, err
    r = json.loads((out/'model.json').read_text()); r['format'] = 'tl_lessons-classifier-0'; (out/'model.json').write_text(json.dumps(r))
    rc, _, err = run('export', out, '--out', tmp_path/'old.onnx')
    assert rc == 1 and 'this tl_lessons reads' in err and 'Traceback' not in err and not (tmp_path/'old.onnx').exists()
