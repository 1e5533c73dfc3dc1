#!/usr/bin/env bash
# Chapter 18's long rows on a lent GPU machine (issue 13): the full-data fine-tune and the k = 30 / 1 / 5 comparisons, side by side
# on the one GPU. Carry .whl/ (as for gpu_check.sh) and a copy of Fashion-MNIST's four .gz files in .data/fashion-mnist/.
set -o pipefail
OUT=${OUT:-/tmp/gpu_bench18}; mkdir -p "$OUT"
if [ -d .whl ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site:$PWD
fi
export PYTHONUNBUFFERED=1 TL_LESSONS_CACHE=/tmp/tl_cache MPLBACKEND=Agg TL_FASHION_MNIST=$PWD/.data/fashion-mnist OMP_NUM_THREADS=5
LIMIT=${LIMIT:-500}
{
python3 -c 'import tl_lessons.vision.adapting' || exit 1
nvidia-smi -L
python3 -c "import torch, fastai, sklearn; print('torch', torch.__version__, 'fastai', fastai.__version__, 'sklearn', sklearn.__version__, torch.cuda.get_device_name())"
timeout $LIMIT python3 benchmarks/bench_fashion_full.py "$OUT/full.csv" --epochs 3 --rates 1e-3 3e-3 > "$OUT/full.log" 2>&1 &
timeout $LIMIT python3 benchmarks/bench_adapting.py "$OUT/k30.csv" --ks 30 --seeds 0 1 2 --methods "linear probe" LP-FT fine-tune "from scratch" --no-forgetting > "$OUT/k30.log" 2>&1 &
timeout $LIMIT python3 benchmarks/bench_adapting.py "$OUT/k15.csv" --ks 1 5 --seeds 0 1 2 --methods "linear probe" LP-FT fine-tune --no-forgetting > "$OUT/k15.log" 2>&1 &
wait
for f in full k30 k15; do echo "== $f"; grep -v -i warn "$OUT/$f.log" | tail -40; done
} 2>&1 | tee "$OUT/log.txt"
