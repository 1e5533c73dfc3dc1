"""Write tl_lessons/assets/fashion_mnist_subset.npz: the Fashion-MNIST images the tests and quick mode use, shipped with the package.

    python tools/make_fashion_subset.py      # needs the full set (Debian's dataset-fashion-mnist, a local copy or the download)

300 training, 50 validation and 100 test images per class (4,500), drawn with a fixed seed from `fashion_mnist()`'s own splits,
so the subset's validation and test images are validation and test images of the full set too. Fashion-MNIST is MIT-licensed.
"""
from pathlib import Path
import numpy as np
from tl_lessons.data.fashion import fashion_mnist, subset_indices, _subset_file

full = fashion_mnist()
keep = subset_indices(full)
out = _subset_file()
np.savez_compressed(out, images=full.images[keep][..., 0], labels=full.labels[keep].astype(np.uint8), split=full.split[keep].astype(np.uint8),
                    index=keep.astype(np.int32))
print(f"wrote {out} ({out.stat().st_size / 2**20:.2f} MB, {len(keep):,} images)")
