#!/bin/sh
# Runs `npm run bench -- --gpu [group…]` on a GPU machine from .device-kit/ (scripts/gpu-device-kit.mjs),
# at the sizes for a real GPU (KOMPAKT_GPU_BENCH_SCALE=large). Through the device tool:
#   run({ command: 'sh scripts/gpu-device-bench.sh', carry: ['.device-kit'], timeout_s: 480 })
# Writes gpu-bench.json and gpu-bench.txt to $OUT (or here). Figures go to docs/benchmarks.md.
set -eu
kit=.device-kit
out=${OUT:-.}
if ! ldconfig -p | grep -q 'libvulkan.so.1 '; then
  for f in "$kit"/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
gzip -dc "$kit/dawn.node.gz" > "$kit/node_modules/webgpu/dist/linux-x64/dawn.node"
node=$(command -v node || true)
if [ -z "$node" ] || ! "$node" -e 'process.exit(+process.versions.node.split(".")[0] < 20)'; then
  gzip -dc "$kit/node.gz" > /tmp/kompakt-node && chmod +x /tmp/kompakt-node && node=/tmp/kompakt-node
fi
[ -e node_modules ] || ln -s "$kit/node_modules" node_modules
# NVIDIA's Vulkan ICD where the loader does not find it on its own (the device tool's notes).
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_ICD_FILENAMES:-}" ] && [ -f "$icd" ]; then export VK_DRIVER_FILES="$icd"; fi
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem --format=csv 2>/dev/null || true
KOMPAKT_GPU_BENCH_SCALE=${KOMPAKT_GPU_BENCH_SCALE:-large} KOMPAKT_GPU_INTERNALS="$PWD/$kit/gpu-internals.mjs" \
  "$node" test/bench/run.mjs --gpu "$@" --json "$out/gpu-bench.json" 2>&1 | tee "$out/gpu-bench.txt"
