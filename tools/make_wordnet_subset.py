"""Write tl_lessons/assets/wordnet_subset.json.gz: the WordNet definitions the tests and quick mode use, shipped with the package.

    python tools/make_wordnet_subset.py      # needs WordNet's files (Debian's wordnet-base, NLTK's copy or TL_WORDNET)

For each of the two semantic-field tasks (nouns, verbs): 60 training, 20 validation and 40 test definitions per class, drawn with
a fixed seed from `semantic_fields()`'s own splits, so the subset's validation and test texts are held out of the full tasks too.
WordNet 3.0's licence allows copying with its notice, which is written beside the subset (wordnet_LICENSE.txt).
"""
import gzip, json
from tl_lessons.data.wordnet import make_subset, _subset_file, WORDNET_NOTICE

out = _subset_file()
with gzip.open(out, 'wt', encoding='utf-8') as f: json.dump(make_subset(), f)
out.with_name('wordnet_LICENSE.txt').write_text(WORDNET_NOTICE, encoding='utf-8')
print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)")
