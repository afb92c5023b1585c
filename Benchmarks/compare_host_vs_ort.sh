#!/bin/sh
# Host backend (release nas bench) against ONNX Runtime: VGG-16, MobileNet-v1 and DarkNet-19 at batch 1 and 16,
# 2 threads each. Needs `pip install onnxruntime onnx`. Extra arguments go to onnxruntime_compare.py.
set -eu
cd "$(dirname "$0")/.."
scratch="${SCRATCH:-.build-release}"
swift build -c release --scratch-path "$scratch" --product nas >&2
exec python3 Benchmarks/onnxruntime_compare.py --nas "$scratch/release/nas" --batches 1,16 --threads 2 "$@" \
    SearchSpaces/zoo/vgg16.json SearchSpaces/zoo/mobilenet_v1.json SearchSpaces/zoo/darknet19.json
