"""`tl-lessons fit` and `tl-lessons predict` on a folder of text files: the outputs, and every bad input the issue names."""
import json, subprocess
from pathlib import Path
import pytest
from tl_lessons.text.fit import TEXT_FORMAT, TFIDF_FORMAT, SIF_FORMAT, MAX_WORDS
from _cli import cli_command as _cli, run   # tests/_cli.py

CLASSES = ('animal', 'food', 'person')

@pytest.fixture(scope='module')
def folder(tmp_path_factory):
    "WordNet definitions of 3 fields as PATH/<class>/*.txt, and one file of each kind of trouble"
    from tl_lessons.data.wordnet import semantic_fields
    wn, root = semantic_fields('nouns', subset=True), tmp_path_factory.mktemp('texts')/'fields'
    for c in CLASSES:
        (root/c).mkdir(parents=True)
        for i in [i for i in range(len(wn)) if wn.classes[wn.labels[i]] == c][:16]: (root/c/f'{i}.txt').write_text(wn.texts[i])
    (root/'animal'/'empty.txt').write_text('   \n')
    (root/'animal'/'photo.txt').write_bytes(b'\xff\xd8\xff\xe0\x00\x10JFIF\x00' + bytes(300))
    (root/'food'/'menu.txt').write_bytes('a café serving crème brûlée'.encode('cp1252'))
    (root/'person'/'saga.txt').write_text('a long story about a person ' * 120)
    return root

@pytest.fixture(scope='module')
def fitted(folder, tmp_path_factory):
    "fit run as a user types it"
    out = tmp_path_factory.mktemp('fit')/'model'
    r = subprocess.run(_cli() + ['fit', str(folder), '--out', str(out), '--json', '--steps', '10'], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return out, json.loads(r.stdout), r.stderr

def test_fit_text_folder_json_model_and_report(fitted):
    out, res, err = fitted
    assert {'chosen', 'test_accuracy', 'model', 'classes', 'results'} <= set(res) and res['kind'] == 'text'
    assert res['classes'] == list(CLASSES)
    assert [r['approach'] for r in res['results']] == ['ULMFiT', 'TF-IDF + SIF', 'SIF probe', 'TF-IDF + logistic regression']
    secs = {r['approach']: r['seconds'] for r in res['results']}          # kept: the cheapest of those tied with the best on validation,
    first = lambda a: (a == 'TF-IDF + logistic regression', secs[a])      # a transfer approach before the baseline
    assert res['chosen'] in res['ties_with_best'] and res['chosen'] == min(res['ties_with_best'], key=first), res
    assert all(len(r['test_interval']) == 2 and r['test_interval'][0] <= r['test_accuracy'] <= r['test_interval'][1] for r in res['results'])
    kept = json.loads((out/'model.json').read_text())                     # and saved in its own format, baselines included
    if res['chosen'] == 'ULMFiT': assert kept['format'] == TEXT_FORMAT and (out/'model.pt').stat().st_size > 1e6
    else:                                                                  # arrays only: TF-IDF's, or the word vectors' with their regression
        assert kept['format'] == (TFIDF_FORMAT if res['chosen'] == 'TF-IDF + logistic regression' else SIF_FORMAT), kept['format']
        assert (out/'model.npz').exists() and not (out/'model.pt').exists()
    assert res['chosen_on'] == 'accuracy' and 0 <= res['balanced_accuracy'] <= 1 and 0 <= res['macro_f1'] <= 1   # balanced classes
    assert all({'valid_balanced_accuracy', 'test_balanced_accuracy', 'test_macro_f1'} <= set(r) for r in res['results'])
    for name in ('balanced_accuracy', 'macro_f1'):   # each with its 95 % interval (a bootstrap within classes)
        lo, hi = res[f'{name}_interval']
        assert 0 <= lo <= res[name] <= hi <= 1, (name, lo, hi)
    html = (out/'report.html').read_text()
    assert 'Texts per class and split' in html and 'photo.txt' in html and 'empty.txt' in html and 'menu.txt' in html and 'saga.txt' in html
    cal = res['calibration']                                               # calibrated on validation, reported like image fit's
    assert {'temperature', 'ece_before', 'ece_after', 'nll_before', 'nll_after'} <= set(cal) and kept['temperature'] == cal['temperature']
    assert 'negative log-likelihood' in html and f"{cal['nll_after']:.3f} after" in html and "<img src='reliability.png'>" in html
    assert (out/'reliability.png').stat().st_size > 1000
    # every problem is one line on stderr, and never a traceback
    assert 'skipped 2 files' in err and 'binary data' in err and 'empty' in err and 'Traceback' not in err
    assert '1 file was not valid UTF-8' in err and 'menu.txt' in err
    assert f'1 text was longer than {MAX_WORDS} words' in err and 'saga.txt' in err

def test_imbalanced_text_folder_is_trained_and_chosen_on_balance(tmp_path):
    "One class with a third of the others' texts: the choice on balanced accuracy, the training balanced by repeating its texts"
    from tl_lessons.data.wordnet import semantic_fields
    wn, root = semantic_fields('nouns', subset=True), tmp_path/'lopsided'
    for c, n in zip(CLASSES, (18, 18, 6)):
        (root/c).mkdir(parents=True)
        for i in [i for i in range(len(wn)) if wn.classes[wn.labels[i]] == c][:n]: (root/c/f'{i}.txt').write_text(wn.texts[i])
    rc, stdout, stderr = run('fit', root, '--out', tmp_path/'model', '--json', '--steps', '10', '--approaches', 'TF-IDF + logistic regression')
    assert rc == 0, stderr[-3000:]
    res = json.loads(stdout)
    assert res['imbalance_ratio'] == 3.0 and res['chosen_on'] == 'balanced accuracy', res
    assert any("smaller classes' training texts were repeated" in n for n in res['notes']), res['notes']
    counts = {c['class']: c['train'] for c in res['class_counts']}
    assert counts['person'] < counts['animal']    # the report counts the folder's own texts, not the repeats

def test_predict_texts_with_notes_and_per_file_errors(fitted, folder, tmp_path):
    out, res, _ = fitted
    rc, stdout, err = run('predict', out, folder/'food'/'menu.txt', folder/'person'/'saga.txt', folder/'animal'/'photo.txt', '--json')
    got = {Path(r['path']).name: r for r in json.loads(stdout)}
    assert rc == 0 and got['menu.txt']['label'] in CLASSES and 'U+FFFD' in got['menu.txt']['note']
    assert f'first {MAX_WORDS} of 720 words' in got['saga.txt']['note'] and 'binary' in got['photo.txt']['error']
    rc, stdout, err = run('predict', out, folder/'animal')   # a folder: every .txt file in it, one line each
    assert rc == 0 and len(stdout.splitlines()) == 16 and 'photo.txt: error: binary' in err and 'Traceback' not in err
    rc, _, err = run('predict', out, folder/'animal'/'photo.txt')
    assert rc == 1 and 'None of the files could be read as a text' in err

@pytest.mark.parametrize('case,says', [
    ('one_text', "{'birds': 1}"), ('one_class', 'one class only'), ('no_text', 'No image or .txt files'), ('missing', 'does not exist'),
    ('time_budget', '--time-budget applies to folders of images')])
def test_text_folder_problems_are_one_clear_paragraph(tmp_path, case, says):
    root = tmp_path/'texts'
    files = {f'{c}/{i}.txt': f'text {i} about {c}' for c in ('cats', 'dogs') for i in range(5)}
    if case == 'one_text': files['birds/0.txt'] = 'a small bird'
    if case == 'one_class': files = {k: v for k, v in files.items() if k.startswith('cats')}
    if case == 'no_text': files = {'cats/a.md': 'a cat', 'dogs/c.rtf': 'x', 'dogs/d.doc': 'y'}
    if case != 'missing':
        for rel, text in files.items(): (root/rel).parent.mkdir(parents=True, exist_ok=True); (root/rel).write_text(text)
    rc, _, err = run('fit', root, '--out', tmp_path/'out', *(['--time-budget', '60'] if case == 'time_budget' else []))
    assert rc == 1 and says in err and 'Traceback' not in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path/'out').exists()   # nothing half-written

def test_bad_text_model_files(fitted, folder, tmp_path):
    out, _, _ = fitted
    bad = tmp_path/'bad'; bad.mkdir()
    (bad/'model.json').write_text((out/'model.json').read_text()); (bad/'model.pt').write_bytes(b'truncated')
    rc, _, err = run('predict', bad, folder/'food')
    assert rc == 1 and 'fit the model again' in err and 'Traceback' not in err
    rc, _, err = run('fit', folder, '--out', tmp_path/'o', '--lm', tmp_path/'nope.pth')
    assert rc == 1 and 'No language model' in err and 'train-lm' in err

def test_text_model_is_not_exported_and_says_why(fitted, tmp_path):
    out, _, _ = fitted
    rc, _, err = run('export', out, '--out', tmp_path/'t.onnx')
    assert rc == 1 and 'not exported to ONNX' in err and 'Traceback' not in err and not (tmp_path/'t.onnx').exists()
