#!/usr/bin/env bash
# Container smoke test: builds the image with scripts/container-build.sh, then runs the product in containers the way
# a user does and checks what lands on the host: `plugins`; a short `train` on generated synthetic data with
# save_dir on a mounted volume; `eval --checkpoint` and `predict` from that volume; a third-party plugin folder
# (tests/SamplePlugin) mounted and discovered; SIGTERM to a running training, which must leave a resumable
# checkpoint on the host, then `train --resume` from it. Prints every check; exits 1 if any failed.
#
#   scripts/container-smoke.sh [--no-build]      (--no-build: use the existing $NANODET_IMAGE)
#
# Needs root, podman, runc, debootstrap and the .NET SDK (see README "Container"). Work files: out/container/smoke.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
source scripts/container-lib.sh

build=1
case "${1-}" in
  --no-build) build=0 ;;
  "") ;;
  *) echo "container-smoke: unknown argument '$1' (usage: scripts/container-smoke.sh [--no-build])" >&2; exit 2 ;;
esac

image=$NANODET_IMAGE
work=$repo/out/container/smoke
passed=0
failed=0

ok() { passed=$((passed + 1)); printf '  ok    %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf '  FAIL  %s\n' "$*"; }
# check DESCRIPTION COMMAND...: runs the command quietly, ok when it succeeds.
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi; }
# Milliseconds since the epoch.
now_ms() { date +%s%3N; }
finish() {
  echo
  echo "container smoke: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

if [ "$build" -eq 1 ]; then
  step "building $image (scripts/container-build.sh)"
  t0=$(now_ms)
  if scripts/container-build.sh --tag "$image"; then
    ok "image built in $(( ($(now_ms) - t0) / 1000 )) s"
  else
    bad "scripts/container-build.sh failed"
    finish
  fi
fi
podman_run image exists "$image" || { bad "image $image not found"; finish; }

rm -rf "$work"
mkdir -p "$work/workspace" "$work/plugins/sample"
# The workspace volume: save_dir and (through NANODET_CACHE in the image) the synthetic data cache.
vol=(-v "$work/workspace:/work/workspace")
run() { podman_run run --rm "${vol[@]}" "$@"; }

# A tiny job on the default profile: few small synthetic images, the default network.
tiny=(--set device=cpu --set device:workers_per_gpu=1 --set device:batchsize_per_gpu=4
      --set data:train:count=8 --set data:val:count=4
      --set data:train:image_size=[160,128] --set data:val:image_size=[160,128]
      --set data:train:input_size=[160,128] --set data:val:input_size=[160,128]
      --set schedule:warmup:steps=2 --set log:interval=1 --set evaluator:plots=false)

step "image facts"
# mib BYTES: mebibytes with one decimal.
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
size=$(podman_run image inspect --format '{{.Size}}' "$image")
ok "image size $(mib "$size") ($size bytes)"
publish=$repo/out/container/publish
rootfs_tar=$(ls -t "$repo"/out/container/rootfs-*.tar 2>/dev/null | head -n 1)
if [ -d "$publish" ] && [ -n "$rootfs_tar" ]; then
  ok "of which the self-contained publish $(mib "$(du -sb "$publish" | cut -f1)"), the Debian root filesystem $(mib "$(stat -c %s "$rootfs_tar")")"
fi
check "entry point runs: --help" run "$image" --help
# best_ms COMMAND...: the shortest of three wall times of COMMAND, in milliseconds.
best_ms() {
  local best= t t0
  for _ in 1 2 3; do
    t0=$(now_ms); "$@" >/dev/null 2>&1; t=$(( $(now_ms) - t0 ))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  echo "$best"
}
ok "start-up: 'podman run --rm $image --help' best of 3: $(best_ms run "$image" --help) ms"
ok "of which the container: 'podman run --rm --entrypoint /bin/true $image' best of 3: $(best_ms run --entrypoint /bin/true "$image") ms"
app=$publish$(dockerfile_app_dir Dockerfile)
if [ -x "$app/nanodet" ]; then
  ok "same publish on the host: '${app#"$repo/"}/nanodet --help' best of 3: $(best_ms "$app/nanodet" --help) ms"
fi

step "plugins (built-in)"
out=$(run "$image" plugins 2>&1); rc=$?
if [ "$rc" -eq 0 ] && grep -q ShuffleNetV2 <<<"$out" && grep -q NanoDetPlusHead <<<"$out" && grep -q SyntheticArmor <<<"$out"; then
  ok "plugins lists ShuffleNetV2, NanoDetPlusHead, SyntheticArmor"
else
  bad "plugins (exit $rc): $(tail -n 3 <<<"$out")"
fi

step "third-party plugin folder mounted (tests/SamplePlugin)"
if nice -n 15 dotnet build tests/SamplePlugin/NanoDet.SamplePlugin.csproj -c Release -nologo -v quiet -o "$work/plugins/sample" >"$work/sample-plugin-build.log" 2>&1; then
  out=$(run -v "$work/plugins/sample:/plugins/sample:ro" "$image" plugins --set 'plugins:paths=[/plugins/sample]' 2>&1); rc=$?
  if [ "$rc" -eq 0 ] && grep -q TinyBackbone <<<"$out" && grep -q NanoDet.SamplePlugin <<<"$out"; then
    ok "plugins --set plugins:paths=[/plugins/sample] finds TinyBackbone in NanoDet.SamplePlugin"
  else
    bad "sample plugin not discovered (exit $rc): $(tail -n 3 <<<"$out")"
  fi
else
  bad "dotnet build tests/SamplePlugin failed (log: $work/sample-plugin-build.log)"
fi

step "train: 1 epoch on generated data, save_dir on the workspace volume"
t0=$(now_ms)
run "$image" train "${tiny[@]}" --set schedule:total_epochs=1 --set schedule:lr_schedule:T_max=1 \
  --set save_dir=/work/workspace/train >"$work/train.log" 2>&1; rc=$?
if [ "$rc" -eq 0 ]; then ok "train exit 0 in $(( ($(now_ms) - t0) / 1000 )) s"; else bad "train exit $rc: $(tail -n 3 "$work/train.log")"; fi
ckpt=$work/workspace/train/model_best/model_best.safetensors
check "host has train/model_best/model_best.safetensors" test -s "$ckpt"
check "host has train/model_last.safetensors and resume_last.safetensors" \
  test -s "$work/workspace/train/model_last.safetensors" -a -s "$work/workspace/train/resume_last.safetensors"
val_images=$(ls -d "$work"/workspace/.cache/synthetic/armor-val-*/images 2>/dev/null | head -n 1)
check "synthetic data cached in the volume (NANODET_CACHE): ${val_images#"$work/"}" test -n "$val_images"

step "eval --checkpoint from the volume"
run "$image" eval --checkpoint /work/workspace/train/model_best/model_best.safetensors \
  --json /work/workspace/eval.json >"$work/eval.log" 2>&1; rc=$?
if [ "$rc" -eq 0 ] && grep -q '"mAP"' "$work/workspace/eval.json" 2>/dev/null; then
  ok "eval exit 0, eval.json has mAP"
else
  bad "eval exit $rc: $(tail -n 3 "$work/eval.log")"
fi

step "predict from the volume, images from the data volume"
if [ -n "$val_images" ]; then
  run -v "$val_images:/work/data/images:ro" "$image" predict \
    --checkpoint /work/workspace/train/model_best/model_best.safetensors \
    --input /work/data/images --output /work/workspace/predict >"$work/predict.log" 2>&1; rc=$?
  n_in=$(find "$val_images" -maxdepth 1 -type f | wc -l)
  # annotated copies only (predict also writes predictions.json and, with an ONNX backend, the exported model.onnx)
  n_out=$(find "$work/workspace/predict" -maxdepth 1 -type f ! -name '*.json' ! -name '*.onnx' 2>/dev/null | wc -l)
  if [ "$rc" -eq 0 ] && [ -s "$work/workspace/predict/predictions.json" ] && [ "$n_out" -eq "$n_in" ]; then
    ok "predict exit 0: predictions.json and $n_out annotated images for $n_in inputs"
  else
    bad "predict exit $rc, $n_out of $n_in images: $(tail -n 3 "$work/predict.log")"
  fi
else
  bad "predict skipped: no cached validation images"
fi

step "SIGTERM to a running training, then --resume"
name=nanodet-smoke-$$
long=("${tiny[@]}" --set data:train:count=48 --set schedule:total_epochs=2 --set schedule:lr_schedule:T_max=2
      --set save_dir=/work/workspace/sigterm)
podman_run rm -f "$name" >/dev/null 2>&1
podman_run run --rm --name "$name" "${vol[@]}" "$image" train "${long[@]}" >"$work/sigterm.log" 2>&1 &
pid=$!
signalled=0
for _ in $(seq 1 600); do
  if grep -q 'train e1 \[2/' "$work/sigterm.log"; then
    podman_run kill --signal TERM "$name" >/dev/null && signalled=1
    break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
wait "$pid"; rc=$?
if [ "$signalled" -eq 1 ]; then ok "SIGTERM sent after step 2 of epoch 1"; else bad "training never reached step 2: $(tail -n 3 "$work/sigterm.log")"; fi
if [ "$rc" -eq 130 ]; then ok "interrupted training exit 130"; else bad "interrupted training exit $rc (expected 130)"; fi
check "host has sigterm/resume_last.safetensors" test -s "$work/workspace/sigterm/resume_last.safetensors"
run "$image" train "${long[@]}" --resume >"$work/resume.log" 2>&1; rc=$?
from=$(grep -o 'resuming from [^:]*: epoch [0-9]*, batch [0-9]*' "$work/resume.log" | head -n 1)
if [ "$rc" -eq 0 ] && [ -n "$from" ] && ! grep -q 'epoch 0, batch 0' <<<"$from"; then
  ok "train --resume exit 0, $from"
else
  bad "train --resume exit $rc: $(tail -n 3 "$work/resume.log")"
fi
check "resumed run finished: sigterm/model_best and model_last on the host" \
  test -s "$work/workspace/sigterm/model_best/model_best.safetensors" -a -s "$work/workspace/sigterm/model_last.safetensors"
check "resumed run validated epoch 2" grep -q 'val e2:' "$work/resume.log"

finish
