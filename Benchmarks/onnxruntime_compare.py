#!/usr/bin/env python3
"""Host backend (nas bench, oneDNN) against ONNX Runtime on the same networks, batch sizes and thread count.

For each architecture JSON and batch size this script
  1. runs `nas bench ARCH --backend host --batch B --threads T --json` and reads its end-to-end median, and
  2. builds the same network as an ONNX graph (random f32 weights), runs it in ONNX Runtime's CPU provider with
     T intra-op threads and all graph optimisations, and takes the median of the same number of timed runs,
then prints both medians and their ratio (nas / ORT; below 1 means nas is faster), and how much of the machine's
CPU capacity other processes used meanwhile ("others %": anything well above 0 means both figures are inflated).

    pip install onnxruntime onnx
    python3 Benchmarks/onnxruntime_compare.py --nas .build-release/release/nas \
        SearchSpaces/zoo/vgg16.json SearchSpaces/zoo/mobilenet_v1.json SearchSpaces/zoo/darknet19.json

The ONNX graph follows the architecture format (docs/architecture-format.md) with the shape rules of nas:
"same" padding puts the odd pixel at the bottom/right; average pooling excludes padding; a flatten is Keras'
NHWC flatten, so the graph transposes to NHWC before flattening; BatchNorm is folded into the convolution bias.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper


def pair(v, default=None):
    if v is None:
        return default
    if isinstance(v, int):
        return (v, v)
    return (v[0], v[1])


def axis(size, window, stride, padding, vertical):
    """Output size and (before, after) padding along one axis, as nas's ShapeInference computes them."""
    if padding == "valid":
        return (size - window) // stride + 1, 0, 0
    if padding == "same":
        out = (size + stride - 1) // stride
        total = max((out - 1) * stride + window - size, 0)
        return out, total // 2, total - total // 2
    if isinstance(padding, int):
        a = b = padding
    elif len(padding) == 2:
        a = b = padding[0] if vertical else padding[1]
    else:
        a, b = (padding[0], padding[1]) if vertical else (padding[2], padding[3])
    return (size + a + b - window) // stride + 1, a, b


class Builder:
    def __init__(self, seed):
        self.nodes, self.inits, self.rng, self.n = [], [], np.random.default_rng(seed), 0

    def name(self, stem):
        self.n += 1
        return f"{stem}_{self.n}"

    def const(self, array):
        name = self.name("w")
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), name))
        return name

    def node(self, op, inputs, **attrs):
        out = self.name(op.lower())
        self.nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def activation(self, x, f, rank):
        if f is None:
            return x
        if f == "relu":
            return self.node("Relu", [x])
        if f == "relu6":
            return self.node("Clip", [x, self.const(np.array(0.0)), self.const(np.array(6.0))])
        if f == "sigmoid":
            return self.node("Sigmoid", [x])
        if f == "tanh":
            return self.node("Tanh", [x])
        if f == "softmax":
            return self.node("Softmax", [x], axis=1 if rank == 4 else -1)
        raise ValueError(f"unknown activation {f}")


def build(arch, batch, seed=0):
    """The architecture as an ONNX model with NCHW input of the given batch."""
    h, w, c = arch["input"]
    b = Builder(seed)
    x = "input"
    rank = 4
    for i, layer in enumerate(arch["layers"]):
        t = layer["type"]
        if t == "conv2d":
            kh, kw = pair(layer["kernel"])
            sh, sw = pair(layer.get("strides"), (1, 1))
            dh, dw = pair(layer.get("dilation"), (1, 1))
            pad = layer.get("padding", "valid")
            if layer.get("depthwise"):
                groups = c
                filters = c * layer.get("depth_multiplier", 1)
            else:
                groups = layer.get("groups", 1)
                filters = layer["filters"]
            oh, pt, pb = axis(h, (kh - 1) * dh + 1, sh, pad, True)
            ow, pl, pr = axis(w, (kw - 1) * dw + 1, sw, pad, False)
            fan_in = (c // groups) * kh * kw
            weights = b.rng.uniform(-1, 1, (filters, c // groups, kh, kw)) * np.sqrt(6.0 / fan_in)
            inputs = [x, b.const(weights)]
            if layer.get("use_bias", True) or layer.get("batch_norm", False):
                inputs.append(b.const(b.rng.uniform(-0.1, 0.1, filters)))
            x = b.node("Conv", inputs, kernel_shape=[kh, kw], strides=[sh, sw], dilations=[dh, dw],
                       pads=[pt, pl, pb, pr], group=groups)
            x = b.activation(x, layer.get("activation"), 4)
            h, w, c = oh, ow, filters
        elif t in ("max_pool2d", "avg_pool2d"):
            ph, pw = pair(layer["pool_size"])
            sh, sw = pair(layer.get("strides"), (ph, pw))
            pad = layer.get("padding", "valid")
            oh, pt, pb = axis(h, ph, sh, pad, True)
            ow, pl, pr = axis(w, pw, sw, pad, False)
            attrs = dict(kernel_shape=[ph, pw], strides=[sh, sw], pads=[pt, pl, pb, pr])
            if t == "avg_pool2d":
                x = b.node("AveragePool", [x], count_include_pad=0, **attrs)
            else:
                x = b.node("MaxPool", [x], **attrs)
            h, w = oh, ow
        elif t == "global_avg_pool2d":
            x = b.node("Flatten", [b.node("GlobalAveragePool", [x])], axis=1)
            h, w, rank = 1, 1, 2
        elif t == "flatten":
            if rank == 4:
                x = b.node("Flatten", [b.node("Transpose", [x], perm=[0, 2, 3, 1])], axis=1)
                c, h, w, rank = h * w * c, 1, 1, 2
        elif t == "dense":
            if rank == 4:
                x = b.node("Flatten", [b.node("Transpose", [x], perm=[0, 2, 3, 1])], axis=1)
                c, h, w, rank = h * w * c, 1, 1, 2
            units = layer["units"]
            weights = b.rng.uniform(-1, 1, (units, c)) * np.sqrt(6.0 / c)
            inputs = [x, b.const(weights)]
            if layer.get("use_bias", True):
                inputs.append(b.const(b.rng.uniform(-0.1, 0.1, units)))
            x = b.node("Gemm", inputs, transB=1)
            x = b.activation(x, layer.get("activation"), 2)
            c = units
        elif t == "activation":
            x = b.activation(x, layer["function"], rank)
        else:
            raise ValueError(f"layer {i}: unknown type {t}")
    out_shape = [batch, c, h, w] if rank == 4 else [batch, c]
    b.nodes.append(helper.make_node("Identity", [x], ["output"]))
    graph = helper.make_graph(
        b.nodes, arch.get("name", "network"),
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [batch, arch["input"][2], arch["input"][0], arch["input"][1]])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, out_shape)],
        b.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def ort_median_ms(model, batch, threads, warmup, repeats):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    shape = session.get_inputs()[0].shape
    x = np.random.default_rng(1).uniform(-1, 1, shape).astype(np.float32)
    for _ in range(warmup):
        session.run(None, {"input": x})
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        session.run(None, {"input": x})
        times.append((time.perf_counter_ns() - t0) / 1e6)
    return statistics.median(times), times


def full_output_shape(bench):
    return bench["analytic"]["layers"][-1]["output_shape"]


def nas_median_ms(nas, path, batch, threads, warmup, repeats):
    cmd = [nas, "bench", path, "--backend", "host", "--batch", str(batch), "--threads", str(threads),
           "--warmup", str(warmup), "--repeats", str(repeats), "--json"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    report = json.loads(out)
    return report["measurement"]["latency"]["median_ms"], report


def cpu_jiffies():
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def own_jiffies():
    """CPU time of this process and its finished children (nas bench runs), in jiffies."""
    t = os.times()
    return (t.user + t.system + t.children_user + t.children_system) * os.sysconf("SC_CLK_TCK")


class OtherLoad:
    """Share of all CPU capacity used by other processes between start() and stop(), in percent."""

    def start(self):
        self.busy, self.total = cpu_jiffies()
        self.own = own_jiffies()

    def stop(self):
        busy, total = cpu_jiffies()
        other = (busy - self.busy) - (own_jiffies() - self.own)
        return max(0.0, 100.0 * other / max(total - self.total, 1))


def wait_until_idle(percent, seconds, most):
    """Waits until the CPUs were at least `percent` idle over `seconds`; gives up after `most` seconds."""
    waited = 0.0
    while True:
        b0, t0 = cpu_jiffies()
        time.sleep(seconds)
        b1, t1 = cpu_jiffies()
        idle = 100.0 * (1 - (b1 - b0) / max(t1 - t0, 1))
        if idle >= percent or waited >= most:
            return idle
        waited += seconds


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("architectures", nargs="+")
    p.add_argument("--nas", required=True, help="the nas executable (a release build)")
    p.add_argument("--batches", default="1,16")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--wait-idle", type=float, default=0,
                   help="before each row, wait until the CPUs were this %% idle over 5 s (other jobs on a shared machine)")
    p.add_argument("--max-wait", type=float, default=3600, help="seconds to wait for --wait-idle per row")
    p.add_argument("--rounds", type=int, default=1,
                   help="alternate nas and ORT this many times per row and also print each one's lowest median "
                        "(other jobs only ever add time, so the lowest is the least disturbed)")
    args = p.parse_args()
    batches = [int(b) for b in args.batches.split(",")]

    print(f"ONNX Runtime {ort.__version__} (CPUExecutionProvider), onnx {onnx.__version__}; nas {args.nas}; "
          f"{args.threads} threads, {args.warmup} warm-up + {args.repeats} timed runs each; medians in ms")
    header = f"{'network':<16} {'batch':>5} {'nas ms':>10} {'ORT ms':>10} {'nas/ORT':>8} {'others %':>8}"
    print(header)
    print("-" * len(header))
    for path in args.architectures:
        with open(path) as f:
            arch = json.load(f)
        name = arch.get("name", os.path.basename(path))
        for batch in batches:
            model = build(arch, batch)
            best_nas, best_ort = float("inf"), float("inf")
            for r in range(args.rounds):
                if args.wait_idle > 0:
                    wait_until_idle(args.wait_idle, 5, args.max_wait)
                others = OtherLoad()
                others.start()
                nas_ms, full = nas_median_ms(args.nas, path, batch, args.threads, args.warmup, args.repeats)
                nhwc = full_output_shape(full)
                onnx_shape = [d.dim_value for d in model.graph.output[0].type.tensor_type.shape.dim][1:]
                nchw_as_nhwc = onnx_shape[1:] + onnx_shape[:1] if len(onnx_shape) == 3 else onnx_shape
                if nchw_as_nhwc != nhwc:
                    sys.exit(f"{path}: the ONNX graph ends in {onnx_shape} (NCHW), nas in {nhwc} (NHWC): not the same network")
                ort_ms, _ = ort_median_ms(model, batch, args.threads, args.warmup, args.repeats)
                best_nas, best_ort = min(best_nas, nas_ms), min(best_ort, ort_ms)
                label = name if args.rounds == 1 else f"{name} r{r + 1}"
                print(f"{label:<16} {batch:>5} {nas_ms:>10.2f} {ort_ms:>10.2f} {nas_ms / ort_ms:>8.2f} {others.stop():>8.1f}",
                      flush=True)
            if args.rounds > 1:
                print(f"{name + ' best':<16} {batch:>5} {best_nas:>10.2f} {best_ort:>10.2f} {best_nas / best_ort:>8.2f}",
                      flush=True)

if __name__ == "__main__":
    sys.exit(main())
