"""Approach 2's library promises: offline pre-trained weights, fastai's freezing and learning-rate rules, and clear errors."""
import time, warnings
from pathlib import Path
import numpy as np
import pytest
import torch

from tl_lessons.vision.discriminative import group_lrs, learner_with_groups, ulmfit_lrs
from tl_lessons.train.freezing import freeze_to, check_groups, group_table, param_groups

@pytest.mark.parametrize('n', [2, 3, 4, 5, 6])
def test_group_lrs_matches_fastai(n):
    learn = learner_with_groups(n)
    for lr in (1e-3, slice(1e-2), slice(1e-6, 1e-2), slice(2e-4, 2e-4), list(np.geomspace(1e-5, 1e-3, n))):
        learn.opt.set_hyper('lr', lr)
        assert np.allclose([h['lr'] for h in learn.opt.hypers], group_lrs(lr, n), rtol=1e-12)

def test_group_lrs_bad_input():
    with pytest.raises(ValueError, match='lo must not exceed hi'): group_lrs(slice(1e-2, 1e-4), 3)
    with pytest.raises(ValueError, match='positive'): group_lrs(slice(-1e-4, 1e-3), 3)
    with pytest.raises(ValueError, match='positive'): group_lrs(0, 3)
    with pytest.raises(ValueError, match='4 learning rates for 3 parameter groups'): group_lrs([1e-3] * 4, 3)
    with pytest.raises(TypeError, match='number, a slice or a list'): group_lrs('fast', 3)
    assert ulmfit_lrs(1.0, 2) == [1 / 2.6, 1.0]

def test_freeze_to_out_of_range():
    learn = learner_with_groups(4)
    with pytest.raises(ValueError, match='from -4 to 4'): freeze_to(learn, 5)
    with pytest.raises(ValueError, match='from -4 to 4'): freeze_to(learn, -9)
    freeze_to(learn, 2)
    assert list(group_table(learn).frozen) == [True, True, False, False]

def test_single_group_warns_instead_of_silent_noop():
    from fastai.learner import Learner
    from fastai.losses import CrossEntropyLossFlat
    from tl_lessons.data.core import digits
    from tl_lessons.train.models import small_cnn
    learn = Learner(digits().shots(2).dls(bs=20, size=16), small_cnn(), loss_func=CrossEntropyLossFlat())
    assert len(param_groups(learn)) == 1
    with pytest.warns(UserWarning, match='single parameter group'): freeze_to(learn, -1)

def test_efficientnet_lite0_offline_predictions():
    import skimage.data
    from tl_lessons.vision.pretrained import imagenet_top
    top = imagenet_top(skimage.data.chelsea(), k=3)
    assert {n for n, _ in top} <= {'tiger cat', 'Egyptian cat', 'tabby'}
    assert imagenet_top(skimage.data.coffee(), k=1)[0][0] == 'espresso'
    with pytest.raises(TypeError, match='PIL image or an array'): imagenet_top('chelsea.png')

def test_resnet_weights_from_local_cache(tmp_path):
    "The real loading code, on a weights file the test writes into a temporary torch cache"
    import torchvision.models as tvm
    from tl_lessons.vision.pretrained import resnet, weights_cache_file
    old = torch.hub.get_dir(); torch.hub.set_dir(str(tmp_path))
    try:
        sd = tvm.resnet18().state_dict()
        f = weights_cache_file('resnet18'); f.parent.mkdir(parents=True); torch.save(sd, f)
        m = resnet('resnet18', n_classes=5)
        assert torch.equal(m.early[0].weight, sd['conv1.weight'])
        assert m(torch.randn(2, 3, 64, 64)).shape == (2, 5)
    finally: torch.hub.set_dir(old)

def test_resnet_offline_without_cache_fails_fast(tmp_path, monkeypatch):
    import tl_lessons.vision.pretrained as P
    old = torch.hub.get_dir(); torch.hub.set_dir(str(tmp_path))
    monkeypatch.setattr(P, 'can_reach', lambda url, timeout=3.: False)   # as on a machine with no network
    try:
        t0 = time.perf_counter()
        with pytest.raises(P.WeightsUnavailableError, match='resnet34.*not in the local cache.*efficientnet_lite0'):
            P.resnet('resnet34')
        assert time.perf_counter() - t0 < 5
    finally: torch.hub.set_dir(old)

def test_pretrained_learner_groups_and_frozen_start():
    from tl_lessons.data.core import digits
    from tl_lessons.vision.pretrained import pretrained_learner
    learn = pretrained_learner(digits().shots(2), size=32, bs=20)
    t = group_table(learn)
    assert list(t.index) == ['early', 'late', 'head'] and list(t.frozen) == [True, True, False]
    with pytest.raises(ValueError, match='Unknown architecture'): pretrained_learner(digits().shots(2), arch='vgg16')

def test_save_and_load_every_architecture(tmp_path):
    "save_model / load_model rebuild the small CNN and the pre-trained networks (with a new head) exactly"
    import torch
    from tl_lessons.train.models import small_cnn, save_model, load_model
    from tl_lessons.vision.pretrained import efficientnet_lite
    for i, net in enumerate([small_cnn(4), efficientnet_lite(0, n_classes=3), efficientnet_lite(1, n_classes=5)]):
        with torch.no_grad():
            for p in net.parameters(): p.add_(0.01)          # trained weights, not the pip package's
        save_model(net, tmp_path/f'{i}.pth', classes=list('abcde'))
        back, meta = load_model(tmp_path/f'{i}.pth')
        x = torch.randn(2, net.arch.get('in_ch', 3), 64, 64)
        net.eval(); back.eval()
        assert torch.allclose(net(x), back(x)) and meta['classes'] == list('abcde')
