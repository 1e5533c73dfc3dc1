"""Fashion-MNIST: the full set from Debian's package (required in CI), and the subset shipped with the package."""
import os
import numpy as np
import pytest
from tl_lessons.data.fashion import fashion_mnist, subset_indices, _complete, DEBIAN_DIR, _subset_file

def test_shipped_subset_is_the_full_sets_images():
    "The 4,500 shipped images are exactly `subset_indices` of the full task, same splits: regenerate them with tools/make_fashion_subset.py"
    if not _complete(DEBIAN_DIR):
        if os.environ.get('TL_DATA_REQUIRED'): pytest.fail("Debian's dataset-fashion-mnist is not installed (TL_DATA_REQUIRED is set): apt-get install dataset-fashion-mnist")
        pytest.skip("Debian's dataset-fashion-mnist is not installed")
    full, small = fashion_mnist(), fashion_mnist(subset=True)
    assert len(full) == 70_000 and full.counts('valid') == {c: 100 for c in full.classes} and len(full.idxs('test')) == 10_000
    keep = subset_indices(full)
    with np.load(_subset_file()) as z: assert np.array_equal(z['index'], keep)
    assert np.array_equal(full.images[keep], small.images) and np.array_equal(full.labels[keep], small.labels)
    assert np.array_equal(full.split[keep], small.split)
