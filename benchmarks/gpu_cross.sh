#!/usr/bin/env bash
# Issue 13's cross-data-set pair on a lent GPU machine: the Fashion-MNIST source (first five classes) on the handwritten digits,
# one process per seed. Carry .whl/ (see gpu_check.sh) and Fashion-MNIST's four .gz files in .data/fashion-mnist/.
OUT=${OUT:-/tmp/g2}; mkdir -p $OUT
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1 TL_LESSONS_CACHE=/tmp/tl_cache MPLBACKEND=Agg TL_FASHION_MNIST=$PWD/.data/fashion-mnist OMP_NUM_THREADS=5
for s in 0 1 2; do timeout 330 python3 benchmarks/bench_yosinski_fashion.py $OUT/cross_s$s --seeds $s --targets digits > $OUT/cross_s$s.log 2>&1 & done
wait
for s in 0 1 2; do grep -v -i warn $OUT/cross_s$s.log | tail -30; done
