#!/usr/bin/env bash
# GPU smoke test: serve the base model (or the aligned LoRA adapter) with vLLM, then run the vignette
# and safety evaluations against it through the OpenAI-compatible client, and print a summary.
#
#   scripts/gpu_smoke.sh                       # base model
#   ADAPTER_DIR=runs/dpo/adapter scripts/gpu_smoke.sh   # base model + aligned adapter (--enable-lora)
#
# Environment (all optional):
#   MODEL_PATH      local base checkpoint dir (default: the converted SmolLM2 in the asset cache)
#   SERVED_NAME     name the server answers to (default: HuggingFaceTB/SmolLM2-135M-Instruct)
#   ADAPTER_DIR     LoRA adapter dir; served as ADAPTER_NAME and selected with TRIAGE_MODEL__ADAPTER
#   ADAPTER_NAME    (default: triage-aligned)
#   PORT            vLLM port (default: 8011)     VLLM        vllm executable (default: vllm)
#   OUT_DIR         reports (default: out/gpu_smoke)   STARTUP_TIMEOUT_S (default: 600)
#   EVAL_LIMIT      rows per safety suite, empty for all (default: empty)
# vLLM runs in its own environment (`pip install vllm`, it pins its own torch); the evals run in .venv.
set -euo pipefail

cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
VLLM=${VLLM:-vllm}
PORT=${PORT:-8011}
SERVED_NAME=${SERVED_NAME:-HuggingFaceTB/SmolLM2-135M-Instruct}
ADAPTER_DIR=${ADAPTER_DIR:-}
ADAPTER_NAME=${ADAPTER_NAME:-triage-aligned}
OUT_DIR=${OUT_DIR:-out/gpu_smoke}
STARTUP_TIMEOUT_S=${STARTUP_TIMEOUT_S:-600}
EVAL_LIMIT=${EVAL_LIMIT:-}
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1

command -v nvidia-smi >/dev/null || { echo "gpu_smoke: no nvidia-smi; this script needs a GPU" >&2; exit 2; }
command -v "$VLLM" >/dev/null || { echo "gpu_smoke: '$VLLM' not found (pip install vllm)" >&2; exit 2; }
if [[ -z "${MODEL_PATH:-}" ]]; then
  MODEL_PATH=$("$PY" -c 'from backend.llm.assets import ensure_base_model; from backend.settings import default_cache_dir; print(ensure_base_model(default_cache_dir()))')
fi
mkdir -p "$OUT_DIR"

serve_args=(serve "$MODEL_PATH" --served-model-name "$SERVED_NAME" --port "$PORT" --host 127.0.0.1)
model_name=$SERVED_NAME
if [[ -n "$ADAPTER_DIR" ]]; then
  serve_args+=(--enable-lora --lora-modules "$ADAPTER_NAME=$ADAPTER_DIR" --max-lora-rank 64)
  model_name=$ADAPTER_NAME
fi

echo "gpu_smoke: starting vllm ${serve_args[*]}"
"$VLLM" "${serve_args[@]}" >"$OUT_DIR/vllm.log" 2>&1 &
vllm_pid=$!
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  kill "$vllm_pid" 2>/dev/null || true
  wait "$vllm_pid" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

base_url="http://127.0.0.1:$PORT/v1"
deadline=$((SECONDS + STARTUP_TIMEOUT_S))
until curl -sf "$base_url/models" >"$OUT_DIR/models.json"; do
  if ! kill -0 "$vllm_pid" 2>/dev/null; then
    echo "gpu_smoke: vllm exited; last log lines:" >&2
    tail -n 40 "$OUT_DIR/vllm.log" >&2
    exit 1
  fi
  if ((SECONDS > deadline)); then
    echo "gpu_smoke: vllm not ready after ${STARTUP_TIMEOUT_S}s" >&2
    exit 1
  fi
  sleep 2
done
grep -q "\"$model_name\"" "$OUT_DIR/models.json" || {
  echo "gpu_smoke: $model_name not in /v1/models: $(cat "$OUT_DIR/models.json")" >&2
  exit 1
}
echo "gpu_smoke: vllm ready after ${SECONDS}s, serving $model_name"

export TRIAGE_MODEL__BACKEND=openai
export TRIAGE_MODEL__BASE_URL=$base_url
export TRIAGE_MODEL__NAME=$SERVED_NAME
export TRIAGE_MODEL__ADAPTER=${ADAPTER_DIR:+$ADAPTER_NAME}

limit_args=()
if [[ -n "$EVAL_LIMIT" ]]; then
  limit_args=(--limit "$EVAL_LIMIT")
fi

status=0
for set in semigran2015 levine2024; do
  .venv/bin/triage-eval vignettes --model configured --cases "eval/vignettes_${set}.jsonl" \
    --json "$OUT_DIR/vignettes_${set}.json" "${limit_args[@]}" \
    >>"$OUT_DIR/vignettes.log" 2>&1 || status=1
done
.venv/bin/safety-eval --suite all --json "$OUT_DIR/safety.json" "${limit_args[@]}" \
  >"$OUT_DIR/safety.log" 2>&1 || status=1

echo "== gpu_smoke summary ($model_name on $(nvidia-smi --query-gpu=name --format=csv,noheader | head -n 1))"
echo "-- vignettes (tail of $OUT_DIR/vignettes.log)"
tail -n 15 "$OUT_DIR/vignettes.log"
echo "-- safety (tail of $OUT_DIR/safety.log)"
tail -n 15 "$OUT_DIR/safety.log"
echo "-- reports: $OUT_DIR/vignettes.json $OUT_DIR/safety.json; vllm log: $OUT_DIR/vllm.log"
exit "$status"
