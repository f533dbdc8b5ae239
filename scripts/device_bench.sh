#!/usr/bin/env bash
# Issue 6's GPU figures in one run, for a session lent a GPU (the device tool), from the
# repository root:   bash scripts/device_bench.sh      (about 5 minutes on an H100)
# Needs torch with CUDA, transformers and sentencepiece; mtcheck runs from src/ (nothing is
# installed). Everything printed also goes to $OUT/device_bench.txt ($OUT: the device
# tool's output folder; out/device here).
set -u
OUT=${OUT:-out/device}
mkdir -p "$OUT"
export PYTHONPATH=src HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
LOG=$OUT/device_bench.txt
MODEL=${MODEL:-/tmp/mtcheck-random-opus-mt}
exec > >(tee "$LOG") 2>&1

step() { echo; echo "== $* ($(date -u +%H:%M:%S))"; }

step machine
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
python -c "import torch, transformers, sentencepiece; print('torch', torch.__version__, 'cuda', torch.version.cuda, '| transformers', transformers.__version__, '| sentencepiece', sentencepiece.__version__)"
python -c "import ctranslate2; print('ctranslate2', ctranslate2.__version__, 'GPUs', ctranslate2.get_cuda_device_count())" 2>/dev/null || echo "ctranslate2: not installed (its GPU figures are not measured here)"
nproc

step "fp16 on the GPU against fp32 on the CPU (tiny model)"
timeout 120 python scripts/compare_devices.py

step "random opus-mt-de-en-shaped model"
[ -f "$MODEL/model.safetensors" ] || timeout 240 python -c "import sys; from pathlib import Path; from mtcheck.testing import build_random_marian; build_random_marian(Path(sys.argv[1]))" "$MODEL"

SYSTEMS=baseline,marian
python -c "import ctranslate2, sys; sys.exit(ctranslate2.get_cuda_device_count() < 1)" 2>/dev/null && SYSTEMS=baseline,marian,ctranslate2,raw-ct2

step "back-translation and scoring: baseline vs mtcheck (default batch size), 8192 sentences"
timeout 300 python scripts/bench_backtranslate.py --device cuda --model "$MODEL" --threads 8 \
    --sentences 8192 --baseline-sentences 1024 --systems "$SYSTEMS"

for batch in 128 512 1024; do
    step "mtcheck marian at batch size $batch"
    timeout 120 python scripts/bench_backtranslate.py --device cuda --model "$MODEL" --threads 8 \
        --sentences 8192 --systems marian --batch-size "$batch" | tail -3
done
step done
