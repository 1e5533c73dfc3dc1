"""`fit --arch` on timm models (issue 33), offline, through the real loading code: weights written into a Hugging Face cache folder
laid out as the hub lays it out, then `tl-lessons fit` and `tl-lessons predict` as a user types them, with HF_HUB_OFFLINE=1."""
import json, os, subprocess, sys
import pytest
import torch
from tl_lessons.data.folders import texture_folder

from _cli import cli_command as _cli   # tests/_cli.py

timm = pytest.importorskip('timm', reason="the hub extra (pip install 'tl_lessons[hub]') is not installed")

@pytest.fixture(scope='module')
def hub_env(tmp_path_factory):
    "An environment with an empty hub cache but for test_convnext's weights (random, seeded), and no network"
    from tl_lessons.vision.hub import cache_model
    cache = tmp_path_factory.mktemp('hf')/'hub'
    torch.manual_seed(0)
    weights = cache_model(timm.create_model('test_convnext', pretrained=False), 'test_convnext', cache=cache)
    return dict(os.environ, HF_HUB_CACHE=str(cache), HF_HUB_OFFLINE='1'), weights

@pytest.fixture(scope='module')
def folder(tmp_path_factory):
    return texture_folder(tmp_path_factory.mktemp('photos')/'textures', n_train=12, n_valid=4, n_test=8, crop=64)

def test_fit_and_predict_on_a_cached_timm_model(hub_env, folder, tmp_path):
    env, weights = hub_env
    out = tmp_path/'model'
    r = subprocess.run(_cli() + ['fit', str(folder), '--arch', 'test_convnext', '--out', str(out), '--json', '--steps', '4',
                                 '--approaches', 'linear probe,head only,fine-tune, discriminative rates,LP-FT'],
                       capture_output=True, text=True, timeout=600, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout)
    assert res['size'] == 160 and res['arch'] == 'test_convnext'                 # the model's own input size, as --size was not given
    assert [x['approach'] for x in res['results']] == ['linear probe', 'head only', 'fine-tune, discriminative rates', 'LP-FT']
    recipe = json.loads((out/'model.json').read_text())
    assert recipe['arch'] == 'test_convnext.r160_in1k'                            # the timm name with its pretrained tag
    assert recipe['normalize'] == {'mean': [0.5, 0.5, 0.5], 'std': [0.5, 0.5, 0.5]}   # timm's pretrained_cfg, not ImageNet's usual
    img = next((folder/'test'/'brick').iterdir())
    env_no_cache = dict(env, HF_HUB_CACHE=str(tmp_path/'empty'))                 # predict needs no cache: the weights are in model.pt
    r = subprocess.run(_cli() + ['predict', str(out), str(img), '--json'], capture_output=True, text=True, timeout=300, env=env_no_cache)
    assert r.returncode == 0, r.stderr[-3000:]
    got = json.loads(r.stdout)
    assert got[0]['label'] in res['classes'] and abs(sum(t['probability'] for t in got[0]['top']) - 1) < 0.01

def test_the_cached_weights_are_the_ones_used(hub_env, monkeypatch):
    env, weights = hub_env
    from safetensors.torch import load_file
    from tl_lessons.vision.fit import backbone
    monkeypatch.setenv('HF_HUB_CACHE', env['HF_HUB_CACHE']); monkeypatch.setenv('HF_HUB_OFFLINE', '1')
    net = backbone('test_convnext')
    assert torch.equal(net.early[0][0][0].weight, load_file(weights)['stem.0.weight'])

def test_offline_refusal_is_fast_and_clear(hub_env, folder, tmp_path):
    "The refusal is fast because it never waits on a network: no timed threshold here (CLI start-up under load is not the code's speed)"
    env, _ = hub_env
    r = subprocess.run(_cli() + ['fit', str(folder), '--arch', 'test_vit', '--out', str(tmp_path/'m')], capture_output=True, text=True,
                       timeout=60, env=env)                                   # the hang guard: a refusal that waited on a network would time out
    assert r.returncode != 0, r.returncode
    assert 'Traceback' not in r.stderr, r.stderr
    msg = ' '.join(r.stderr.split())
    for part in ('test_vit.r160_in1k', 'not cached', 'HF_HUB_OFFLINE is set', 'lite0, lite1, lite2', 'test_convnext.r160_in1k (the Hugging Face cache)',
                 'on a machine with a network'):
        assert part in msg, (part, msg)

def test_offline_refusal_opens_no_connection(hub_env, monkeypatch):
    "What makes the refusal fast: it is decided from the cache alone, without one socket opened"
    import socket
    from tl_lessons.vision.fit import backbone
    from tl_lessons.fitting import FitError
    env, _ = hub_env
    for k in ('HF_HUB_CACHE', 'HF_HUB_OFFLINE'): monkeypatch.setenv(k, env[k])
    tried = []
    def refuse(self, *a, **k): tried.append(a); raise OSError('no network in this test')
    monkeypatch.setattr(socket.socket, 'connect', refuse)
    monkeypatch.setattr(socket.socket, 'connect_ex', refuse)
    with pytest.raises(FitError, match='not cached'): backbone('test_vit')
    assert tried == []

def test_without_the_extra_the_message_names_it(folder):
    "timm hidden from the import system: a timm name is refused, and the message says which extra to install"
    code = ("import sys; sys.modules['timm'] = None\n"
            "from tl_lessons.vision.fit import backbone\nfrom tl_lessons.fitting import FitError\n"
            "try: backbone('convnext_tiny')\nexcept FitError as e: print(e)\n")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120)
    assert "Unknown model 'convnext_tiny'" in r.stdout and "pip install 'tl_lessons[hub]'" in r.stdout, r.stdout + r.stderr

# Texts: a Hugging Face encoder (issue 33, point 2), as for images: written into the cache as the hub lays it out, then fit and predict
transformers = pytest.importorskip('transformers', reason="the hub extra (pip install 'tl_lessons[hub]') is not installed")
TEXT_CLASSES = ('animal', 'food', 'person')

@pytest.fixture(scope='module')
def text_folder(tmp_path_factory):
    "WordNet definitions of 3 fields as PATH/<class>/*.txt (16 a class)"
    from tl_lessons.data.wordnet import semantic_fields
    wn, root = semantic_fields('nouns', subset=True), tmp_path_factory.mktemp('texts')/'fields'
    for c in TEXT_CLASSES:
        (root/c).mkdir(parents=True)
        for i in [i for i in range(len(wn)) if wn.classes[wn.labels[i]] == c][:16]: (root/c/f'{i}.txt').write_text(wn.texts[i])
    return root

@pytest.fixture(scope='module')
def text_env(tmp_path_factory, text_folder):
    "A hub cache holding one tiny BERT (random weights, a vocabulary of the folder's words) as course/tiny-bert, and no network"
    from tl_lessons.text.hub import tiny_bert, cache_encoder
    cache = tmp_path_factory.mktemp('hf-text')/'hub'
    bert, tok = tiny_bert([p.read_text() for p in text_folder.rglob('*.txt')])
    cache_encoder(bert, tok, 'course/tiny-bert', cache=cache)
    return dict(os.environ, HF_HUB_CACHE=str(cache), HF_HUB_OFFLINE='1')

def test_fit_and_predict_texts_on_a_cached_encoder(text_env, text_folder, tmp_path):
    from tl_lessons.text.hub import TEXT_ENCODER_FORMAT
    out = tmp_path/'model'
    r = subprocess.run(_cli() + ['fit', str(text_folder), '--arch', 'course/tiny-bert', '--out', str(out), '--json', '--steps', '6'],
                       capture_output=True, text=True, timeout=600, env=text_env)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout)
    assert [x['approach'] for x in res['results']] == ['encoder probe', 'encoder fine-tune', 'TF-IDF + logistic regression'], res['results']
    assert 'head from the probe' in res['results'][1]['settings'] and res['chosen'] in res['ties_with_best']
    recipe = json.loads((out/'model.json').read_text())
    assert recipe['approach'] == res['chosen']
    if res['chosen'] != 'TF-IDF + logistic regression':   # saved in its own format: weights only, the encoder's config and tokenizer beside them
        assert recipe['format'] == TEXT_ENCODER_FORMAT and recipe['arch'] == 'course/tiny-bert'
        assert all(isinstance(v, torch.Tensor) for v in torch.load(out/'model.pt', weights_only=True).values())
    env_no_cache = dict(text_env, HF_HUB_CACHE=str(tmp_path/'empty'))   # predict needs no cache: the weights are in model.pt
    txt = next((text_folder/'food').iterdir())
    r = subprocess.run(_cli() + ['predict', str(out), str(txt), '--json'], capture_output=True, text=True, timeout=300, env=env_no_cache)
    assert r.returncode == 0, r.stderr[-3000:]
    got = json.loads(r.stdout)
    assert got[0]['label'] in TEXT_CLASSES and abs(sum(t['probability'] for t in got[0]['top']) - 1) < 0.01

def test_an_encoder_model_is_read_back_exactly(text_env, text_folder, tmp_path, monkeypatch):
    "Both encoder approaches saved and loaded through predict's code give the probabilities they were scored with, with no cache left"
    from tl_lessons.text.fit import text_folder_task, load_text_classifier
    from tl_lessons.text.hub import load_encoder, compare_encoder, save_encoder_classifier
    for k in ('HF_HUB_CACHE', 'HF_HUB_OFFLINE'): monkeypatch.setenv(k, text_env[k])
    task = text_folder_task(text_folder)
    rows, models = compare_encoder(task, load_encoder('course/tiny-bert'), steps=4)
    monkeypatch.setenv('HF_HUB_CACHE', str(tmp_path/'empty'))
    for name, clf in models.items():
        save_encoder_classifier(clf, tmp_path/name, task.classes, name, 300, 'course/tiny-bert')
        back, recipe = load_text_classifier(tmp_path/name)
        assert recipe['approach'] == name
        texts = task.texts_of('test')
        assert abs(back.probs(texts) - clf.probs(texts)).max() < 1e-6, name

def test_text_encoder_offline_refusal(text_env, text_folder, tmp_path):
    r = subprocess.run(_cli() + ['fit', str(text_folder), '--arch', 'sentence-transformers/all-MiniLM-L6-v2', '--out', str(tmp_path/'m')],
                       capture_output=True, text=True, timeout=60, env=text_env)
    assert r.returncode != 0 and 'Traceback' not in r.stderr, r.stderr
    msg = ' '.join(r.stderr.split())
    for part in ('sentence-transformers/all-MiniLM-L6-v2 is not in the Hugging Face cache', 'HF_HUB_OFFLINE is set',
                 'course/tiny-bert (the Hugging Face cache)', 'the shipped ULMFiT language model', 'on a machine with a network'):
        assert part in msg, (part, msg)

def test_text_encoder_refusal_opens_no_connection(text_env, monkeypatch):
    import socket
    from tl_lessons.text.hub import load_encoder
    from tl_lessons.vision.pretrained import WeightsUnavailableError
    for k in ('HF_HUB_CACHE', 'HF_HUB_OFFLINE'): monkeypatch.setenv(k, text_env[k])
    tried = []
    def refuse(self, *a, **k): tried.append(a); raise OSError('no network in this test')
    monkeypatch.setattr(socket.socket, 'connect', refuse); monkeypatch.setattr(socket.socket, 'connect_ex', refuse)
    with pytest.raises(WeightsUnavailableError, match='not in the Hugging Face cache'): load_encoder('nobody/nothing')
    assert tried == []

def test_an_image_network_on_a_text_folder_is_refused(text_folder, tmp_path):
    r = subprocess.run(_cli() + ['fit', str(text_folder), '--arch', 'lite0', '--out', str(tmp_path/'m')], capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and 'Traceback' not in r.stderr
    assert 'folder of texts' in r.stderr and 'Hugging Face encoder' in r.stderr, r.stderr

def test_without_transformers_the_message_names_the_extra():
    code = ("import sys; sys.modules['transformers'] = None\n"
            "from tl_lessons.text.hub import load_encoder\n"
            "try: load_encoder('course/tiny-bert')\nexcept ImportError as e: print(e)\n")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120)
    assert "need the package transformers" in r.stdout and "pip install 'tl_lessons[hub]'" in r.stdout, r.stdout + r.stderr
