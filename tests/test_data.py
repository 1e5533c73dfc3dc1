"""The data API's promises, and its answers to bad input."""
import time, warnings
from pathlib import Path
import numpy as np
import pytest
from PIL import Image
from tl_lessons.data.core import Task, digits, DataUnavailableError, resize_images
from tl_lessons.data.external import get_task, fastai_data
from tl_lessons.data.glyphs import glyphs
from tl_lessons.data.folders import from_folder

def _img(path, shape, value=128):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full(shape, value, np.uint8)).save(path)

def _two_class_folder(root, n=6, shape=(10, 12)):
    for c, v in (('cat', 40), ('dog', 200)):
        for i in range(n): _img(root/c/f'{i}.png', shape, v + i)
    return root

def test_digits_split_is_fixed_and_stratified():
    d = digits()
    assert len(d.idxs('test')) == 800 and len(d.idxs('valid')) == 100 and len(d.idxs('train')) == 897
    assert min(d.counts('test').values()) >= 75  # proportional to class sizes (174-183)
    assert np.array_equal(d.split, digits().split)

def test_shots_keeps_test_and_is_seeded():
    d = digits()
    a, b = d.shots(3, seed=0), d.shots(3, seed=0)
    assert np.array_equal(a.idxs('train'), b.idxs('train'))
    assert set(a.counts('train').values()) == {3}
    assert np.array_equal(a.images[a.idxs('test')], d.images[d.idxs('test')])

def test_shots_more_than_a_class_holds():
    with pytest.raises(ValueError, match=r"fewer.*Use k <= \d+"): digits().shots(1000)

def test_glyphs_deterministic_and_fast():
    t0 = time.perf_counter()
    a = glyphs('0123456789', n_per_class=2000, size=32, seed=5)
    secs = time.perf_counter() - t0
    assert len(a) == 20000 and secs < 60
    b = glyphs('0123456789', n_per_class=20, size=32, seed=5)
    c = glyphs('0123456789', n_per_class=20, size=32, seed=5)
    assert np.array_equal(b.images, c.images)
    assert not np.array_equal(b.images, glyphs('0123456789', n_per_class=20, size=32, seed=6).images)

def test_glyphs_bad_arguments():
    with pytest.raises(ValueError, match='duplicates'): glyphs('aa', n_per_class=2)
    with pytest.raises(ValueError, match='at least one'): glyphs('', n_per_class=2)
    with pytest.raises(ValueError, match='No matplotlib font'): glyphs('a', n_per_class=2, fonts='Comic')

def test_unknown_dataset_name():
    with pytest.raises(ValueError, match="Unknown data set 'glyps'.*Did you mean 'glyphs'"): get_task('glyps')

def test_empty_folder(tmp_path):
    with pytest.raises(ValueError, match='No image files'): from_folder(tmp_path)

def test_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match='does not exist'): from_folder(tmp_path/'nope')

def test_single_class(tmp_path):
    _img(tmp_path/'only'/'a.png', (8, 8)); _img(tmp_path/'only'/'b.png', (8, 8))
    with pytest.raises(ValueError, match='only one class'): from_folder(tmp_path)

def test_corrupt_and_non_image_files_are_skipped_and_reported(tmp_path):
    _two_class_folder(tmp_path)
    (tmp_path/'cat'/'broken.jpg').write_bytes(b'\xff\xd8\xff garbage')
    (tmp_path/'dog'/'readme.md').write_text('hello')
    with pytest.warns(UserWarning, match='skipped 2'):
        t = from_folder(tmp_path, size=8)
    assert len(t) == 12 and len(t.info['report'].skipped) == 2

def test_mismatched_sizes_and_channels(tmp_path):
    _two_class_folder(tmp_path, shape=(10, 12))
    _img(tmp_path/'cat'/'big.png', (40, 30))
    Image.fromarray(np.zeros((9, 9, 3), np.uint8)).save(tmp_path/'dog'/'rgb.png')
    with pytest.warns(UserWarning, match='converted 13 to colour'):
        t = from_folder(tmp_path, size=(16, 20))
    assert t.images.shape == (14, 16, 20, 3)
    g = from_folder(tmp_path, size=8, channels=1, verbose=False)
    assert g.images.shape[-1] == 1

def test_folder_with_train_valid_test(tmp_path):
    for s in ('train', 'valid', 'test'): _two_class_folder(tmp_path/s, n=3)
    t = from_folder(tmp_path, size=8)
    assert [len(t.idxs(s)) for s in ('train', 'valid', 'test')] == [6, 6, 6]

def test_label_regex(tmp_path):
    for i in range(4):
        _img(tmp_path/'images'/f'Abyssinian_{i}.jpg', (8, 8)); _img(tmp_path/'images'/f'beagle_{i}.jpg', (8, 8))
    t = from_folder(tmp_path/'images', size=8, label_re=r'^(.+)_\d+\.jpg$', test_pct=0.25, valid_pct=0.25)
    assert t.classes == ['Abyssinian', 'beagle']

@pytest.fixture
def fastai_home(monkeypatch, tmp_path):
    "fastai's config (and so its data folder) in a temporary FASTAI_HOME; fastai caches the config, so clear it"
    from fastai.data.external import fastai_cfg
    monkeypatch.setenv('FASTAI_HOME', str(tmp_path))
    fastai_cfg.cache_clear()
    yield tmp_path
    fastai_cfg.cache_clear()

def test_fastai_data_offline_fails_fast(fastai_home):
    t0 = time.perf_counter()
    with pytest.raises(DataUnavailableError, match="Could not fetch.*digits"):
        fastai_data('https://offline.invalid/mnist_sample.tgz', timeout=2)
    assert time.perf_counter() - t0 < 10

def test_fastai_data_uses_local_copy(fastai_home):
    "A data set already in fastai's cache loads with no network at all"
    root = fastai_home/'data'/'mnist_sample'
    for s in ('train', 'valid'):
        for c, v in (('3', 30), ('7', 220)):
            for i in range(3): _img(root/s/c/f'{i}.png', (28, 28), v)
    assert fastai_data('MNIST_SAMPLE') == root
    t = get_task('MNIST_SAMPLE', size=14)
    assert t.classes == ['3', '7'] and len(t.idxs('valid')) == 6

def test_task_validates_its_parts():
    with pytest.raises(ValueError, match='must match'): Task('x', np.zeros((3, 4, 4)), [0, 1], ['a', 'b'], [0, 0, 0])
    with pytest.raises(ValueError, match='labels must lie'): Task('x', np.zeros((2, 4, 4)), [0, 5], ['a', 'b'], [0, 0])
    with pytest.raises(ValueError, match='1 or 3 channels'): Task('x', np.zeros((2, 4, 4, 2)), [0, 1], ['a', 'b'], [0, 0])

def test_dls_shapes_and_small_budgets():
    d = digits().shots(1)
    dl = d.dls(bs=64, size=16, channels=3)
    x, y = dl.train.one_batch()
    assert x.shape == (10, 3, 16, 16) and len(dl.train) == 1
    assert dl.valid.one_batch()[0].shape[1:] == (3, 16, 16)

def test_resize_images_keeps_range():
    a = np.random.default_rng(0).integers(0, 256, (3, 8, 8, 1), dtype=np.uint8)
    r = resize_images(a, 32)
    assert r.shape == (3, 32, 32, 1) and r.dtype == np.uint8


@pytest.mark.filterwarnings('always::DeprecationWarning')
def test_old_import_paths_still_work_with_a_deprecation_warning():
    "Names that moved to their own module keep working from where they were, and say where they live now"
    import importlib
    moved = {'tl_lessons.data.core': {'glyphs': 'tl_lessons.data.glyphs', 'from_folder': 'tl_lessons.data.folders', 'DataBrowser': 'tl_lessons.course.widgets',
                                 'View': 'tl_lessons.course.widgets', 'show_fig': 'tl_lessons.course.widgets'},
             'tl_lessons.vision.transfer': {'TransferExplorer': 'tl_lessons.course.widgets', 'seed_everything': 'tl_lessons.train.core',
                                   'test_accuracy': 'tl_lessons.train.core', 'IN_TEST': 'tl_lessons.train.core'},
             'tl_lessons.vision.features': {'FeatureExplorer': 'tl_lessons.course.widgets'},
             'tl_lessons.course.exercises': {'grade': 'tl_lessons.course.grading'}}
    for old, names in moved.items():
        for name, new in names.items():
            with pytest.warns(DeprecationWarning, match=f'`{new}.{name}`'):
                got = getattr(importlib.import_module(old), name)
            assert got is getattr(importlib.import_module(new), name), (old, name)
    with pytest.raises(AttributeError, match='no_such_name'): importlib.import_module('tl_lessons.data.core').no_such_name
