#!/usr/bin/env bash
# GPU-sized alignment run on SmolLM2-135M-Instruct: SFT -> reward model (+ held-out eval) -> DPO and PPO
# on top of SFT -> eval-policy (base vs SFT, SFT vs DPO, SFT vs PPO). The packaged recipes are CPU-sized
# (time budgets, top-layer LoRA, short sequences, no persona in DPO); this script applies the GPU settings
# their comments name, as --set overrides, so the recipes stay the single source of every other value.
#
#   scripts/gpu_align.sh                  # needs a CUDA GPU and the train extra (pip install -e ".[train]")
#
# Environment (all optional):
#   ALIGN       how to call the CLI (default: "python -m alignment.cli"; PY picks the interpreter)
#   RUN_DIR     where runs go (default: runs/gpu)   REPORT  reports, logs and plots, no weights ($RUN_DIR.report.tar.gz)
#   STEP_SECONDS  time budget per trainer (default: 240)  SEQ_LEN  max sequence length (default: 1024)
#   KEEP_GOING=1  report a failed step and go on with the rest (exit 1 at the end)
#   SKIP_GPU_CHECK=1  run without a GPU (only for checking the script itself with a tiny model:
#                 MODEL=<checkpoint dir> STEP_SECONDS=5)
# Reads ../shared/data/train (TRIAGE_DATA_DIR) and never ../shared/data/eval. Nothing is downloaded.
set -euo pipefail

cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
read -r -a ALIGN <<<"${ALIGN:-$PY -m alignment.cli}"
RUN_DIR=${RUN_DIR:-runs/gpu}
REPORT=${REPORT:-$RUN_DIR.report.tar.gz}
STEP_SECONDS=${STEP_SECONDS:-240}
SEQ_LEN=${SEQ_LEN:-1024}
MODEL=${MODEL:-smollm2-135m-instruct}
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PYTHONUNBUFFERED=1

if [[ -z "${SKIP_GPU_CHECK:-}" ]]; then
  "$PY" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 2)' || {
    echo "gpu_align: no CUDA GPU (torch.cuda.is_available() is false); set SKIP_GPU_CHECK=1 to check the script" >&2
    exit 2
  }
fi
mkdir -p "$RUN_DIR"
R=alignment/recipes/smollm2-135m
COCONOT='{kind: external_pref, path: "shared:train/coconot_contrast_pref.jsonl", limit: 200}'
common=(--set "model_name_or_path=$MODEL" --set "seed=42")
budget=(--set "max_train_seconds=$STEP_SECONDS")
full_lora=(--set "lora.layers_to_transform=null")
log() { echo "gpu_align: $(date -u +%H:%M:%S) $*"; }
failed=()
run() {  # a step; with KEEP_GOING=1 a failed step is reported and the later ones still run
  if "${ALIGN[@]}" "$@"; then return 0; fi
  [[ -n "${KEEP_GOING:-}" ]] || exit 1
  log "FAILED: $1"
  failed+=("$1")
}

log "SFT (all layers' LoRA, 2 epochs, max_length $SEQ_LEN)"
run sft --recipe "$R/sft.yaml" "${common[@]}" "${budget[@]}" --set "output_dir=$RUN_DIR/sft" \
  --set "training.max_steps=-1" --set "training.num_train_epochs=2" --set "training.max_length=$SEQ_LEN" \
  --set "training.per_device_train_batch_size=16" --set "training.gradient_accumulation_steps=1"

log "reward model (all layers, max_length $SEQ_LEN) and its held-out evaluation"
run reward-model --recipe "$R/rm.yaml" "${common[@]}" "${budget[@]}" "${full_lora[@]}" \
  --set "output_dir=$RUN_DIR/rm" --set "training.max_length=$SEQ_LEN" --set "training.num_train_epochs=3"
run eval-rm --recipe "$R/eval_rm.yaml" --set "model_name_or_path=$MODEL" \
  --set "reward_model_path=$RUN_DIR/rm/adapter" --set "output_dir=$RUN_DIR/rm" --set "max_length=$SEQ_LEN"

log "DPO on SFT (persona, CoCoNot pairs, all layers, max_length $SEQ_LEN)"
run dpo --recipe "$R/dpo.yaml" "${common[@]}" "${budget[@]}" "${full_lora[@]}" \
  --set "adapter_path=$RUN_DIR/sft/adapter" --set "output_dir=$RUN_DIR/dpo" --set "data.system_prompt=true" \
  --set "data.sources=[{kind: seed_exercise}, $COCONOT]" --set "training.max_length=$SEQ_LEN" \
  --set "training.per_device_train_batch_size=8"

log "PPO on SFT (KL to SFT, learned RM + shaping)"
run ppo --recipe "$R/ppo.yaml" "${common[@]}" --set "adapter_path=$RUN_DIR/sft/adapter" \
  --set "reward_model_path=$RUN_DIR/rm/adapter" --set "output_dir=$RUN_DIR/ppo" \
  --set "training.total_episodes=${PPO_EPISODES:-256}" --set "training.per_device_train_batch_size=8" \
  --set "training.local_rollout_forward_batch_size=8"

evaluate() {  # name reference_adapter policy_adapter
  log "eval-policy $1"
  run eval-policy --recipe "$R/eval_policy.yaml" --set "model_name_or_path=$MODEL" \
    --set "reference_adapter_path=$2" --set "policy_adapter_path=$3" \
    --set "reward_model_path=$RUN_DIR/rm/adapter" --set "output_dir=$RUN_DIR/eval_$1"
}
evaluate base_vs_sft null "$RUN_DIR/sft/adapter"
evaluate sft_vs_dpo "$RUN_DIR/sft/adapter" "$RUN_DIR/dpo/adapter"
evaluate sft_vs_ppo "$RUN_DIR/sft/adapter" "$RUN_DIR/ppo/adapter"

log "report: $REPORT"
tar -czf "$REPORT" --exclude='*.safetensors' --exclude='checkpoint-*' --exclude='*.bin' -C "$RUN_DIR" .
ls -la "$REPORT"
if ((${#failed[@]})); then
  log "failed steps: ${failed[*]}"
  exit 1
fi
