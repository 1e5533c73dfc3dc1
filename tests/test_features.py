"""Approach 3's library promises: hooks on any layer, a cache that is never stale and never fatal, clear errors."""
import os, tempfile, warnings
from pathlib import Path
import numpy as np
import pytest
import torch

from tl_lessons.data.core import digits
from tl_lessons.vision.features import extract_features, FeatureCache, layer_names, default_layer, probe, nearest
from tl_lessons.vision.transfer import load_source

@pytest.fixture(scope='module')
def src(): return load_source()[0]

@pytest.fixture(scope='module')
def dg(): return digits()

def test_shapes_pooling_and_many_layers(src, dg):
    f = extract_features(src, dg, size=16)
    assert default_layer(src) == 'block3' and f.shape == (1797, 128)
    fs = extract_features(src, dg, layer=['block1', 'block2'], pool='avgmax', size=16)
    assert fs['block1'].shape == (1797, 64) and fs['block2'].shape == (1797, 128)
    g = extract_features(src, dg, layer='block2', pool='grid2', size=16)
    assert np.allclose(g.reshape(1797, 64, 4).mean(-1), extract_features(src, dg, layer='block2', size=16), atol=1e-5)

def test_eval_mode_restored_and_no_grad(src, dg):
    src.train()
    extract_features(src, torch.randn(3, 1, 16, 16))
    assert src.training
    src.eval()

def test_unknown_layer_lists_valid_ones(src):
    with pytest.raises(ValueError, match=r"no layer 'blok2'.*Did you mean \['block2'"):
        extract_features(src, torch.randn(2, 1, 16, 16), layer='blok2')

def test_image_too_small(src):
    with pytest.raises(ValueError, match='cannot take images of shape'):
        extract_features(src, torch.randn(2, 1, 2, 2))

def test_wrong_channels(src):
    with pytest.raises(ValueError, match='cannot take images'):
        extract_features(src, torch.randn(2, 3, 16, 16))

def test_empty_data(src, dg):
    with pytest.raises(ValueError, match='no images'): extract_features(src, dg.subset(np.zeros(len(dg), bool)), size=16)
    with pytest.raises(ValueError, match='empty'): extract_features(src, torch.zeros(0, 1, 16, 16))

def test_cache_hit_and_changed_weights(src, dg, tmp_path):
    cache = FeatureCache(tmp_path)
    a = extract_features(src, dg, layer='block2', size=16, cache=cache)
    b = extract_features(src, dg, layer='block2', size=16, cache=cache)
    assert cache.hits == 1 and np.array_equal(a, b)
    m, _ = load_source()
    with torch.no_grad(): m.block1[0][0].weight.add_(0.01)
    c = extract_features(m, dg, layer='block2', size=16, cache=cache)
    assert cache.hits == 1 and not np.allclose(a, c)       # a changed model never hits the old entry
    d = extract_features(src, dg.shots(1), layer='block2', size=16, cache=cache)
    assert cache.hits == 1 and len(d) == 10 * 1 + 900      # changed data: new entry

def test_corrupt_cache_entry_is_recomputed(src, dg, tmp_path):
    cache = FeatureCache(tmp_path)
    a = extract_features(src, dg, layer='block1', size=16, cache=cache)
    for f in tmp_path.glob('*.npz'): f.write_bytes(b'\x00garbage')
    with pytest.warns(UserWarning, match='unreadable'):
        b = extract_features(src, dg, layer='block1', size=16, cache=cache)
    assert np.array_equal(a, b)

def test_unwritable_cache_folder_works_without_cache(src, dg, tmp_path):
    blocker = tmp_path/'file'; blocker.write_text('x')
    with pytest.warns(UserWarning, match='without a cache'):
        cache = FeatureCache(blocker/'cache')          # a folder under a file cannot be made, even as root
    out = extract_features(src, dg, layer='block1', size=16, cache=cache)
    assert out.shape[0] == len(dg) and cache.disabled

def test_probe_and_retrieval(src, dg):
    f = extract_features(src, dg, size=16)
    assert probe(f, dg, 5) > 0.9 and probe(f, dg, 5, kind='knn') > 0.85
    q = int(dg.idxs('test')[0])
    nn_ = nearest(f, q, dg.idxs('train'), 5)
    assert len(nn_) == 5 and q not in nn_ and set(nn_) <= set(dg.idxs('train'))

def test_torchvision_model_default_layer():
    import torchvision
    m = torchvision.models.resnet18()
    assert default_layer(m) == 'fc:input'
    assert extract_features(m, torch.randn(2, 3, 32, 32)).shape == (2, 512)

def test_dataloader_input(src, dg):
    "A fastai DataLoader (batches already normalised) gives the same features as the Task it came from"
    from tl_lessons.vision.transfer import target_dls
    from tl_lessons.vision.transfer import load_source
    _, meta = load_source()
    dl = target_dls(dg, meta, bs=64).valid
    a = extract_features(src, dl, layer='block2')
    src.stats = tuple(meta['stats'])
    b = extract_features(src, dg, layer='block2', size=meta['size'], split='valid')
    del src.stats
    assert a.shape == b.shape == (100, 64) and np.allclose(a, b, atol=1e-4)
