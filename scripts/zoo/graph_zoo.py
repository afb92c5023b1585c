#!/usr/bin/env python3
"""Writes the graph networks of the model zoo (SearchSpaces/zoo/resnet18.json, resnet50.json, mobilenet_v2.json).

The layer lists follow the published definitions: torchvision's resnet18, Keras Applications' ResNet50 and
MobileNetV2 (alpha 1.0, 224). BatchNorm is folded into the convolution before it (`batch_norm: true`), so the
parameter counts are those the frameworks report (checked by Tests/ArchitectureTests/GraphZooTests.swift).
Run from the repository root: python3 scripts/zoo/graph_zoo.py
"""
import json, os

def conv(name, filters, kernel, strides=1, padding="same", bias=False, act=None, inputs=None, depthwise=False):
    layer = {"type": "conv2d", "name": name, "kernel": [kernel, kernel], "strides": [strides, strides],
             "padding": padding, "use_bias": bias, "batch_norm": True}
    if depthwise:
        layer["depthwise"] = True
    else:
        layer["filters"] = filters
    if act: layer["activation"] = act
    if inputs: layer["inputs"] = inputs
    return layer

def add(name, inputs, act=None):
    layer = {"type": "add", "name": name, "inputs": inputs}
    if act: layer["activation"] = act
    return layer

def head(layers, classes=1000, bias=True):
    layers.append({"type": "global_avg_pool2d", "name": "avg_pool"})
    layers.append({"type": "dense", "name": "predictions", "units": classes, "use_bias": bias, "activation": "softmax"})

def resnet18():
    # torchvision: convs without bias, BatchNorm after each, BasicBlock, 1x1 stride-2 projection on downsampling.
    L = [conv("conv1", 64, 7, 2, [3, 3, 3, 3], act="relu"),
         {"type": "max_pool2d", "name": "maxpool", "pool_size": [3, 3], "strides": [2, 2], "padding": [1, 1, 1, 1]}]
    prev, channels = "maxpool", 64
    for stage, filters in enumerate([64, 128, 256, 512], start=1):
        for block in range(2):
            stride = 2 if stage > 1 and block == 0 else 1
            p = f"layer{stage}.{block}"
            L.append(conv(f"{p}.conv1", filters, 3, stride, [1, 1, 1, 1], act="relu", inputs=[prev]))
            L.append(conv(f"{p}.conv2", filters, 3, 1, [1, 1, 1, 1]))
            skip = prev
            if stride != 1 or channels != filters:
                L.append(conv(f"{p}.downsample", filters, 1, stride, "valid", inputs=[prev]))
                skip = f"{p}.downsample"
            L.append(add(f"{p}.add", [f"{p}.conv2", skip], act="relu"))
            prev, channels = f"{p}.add", filters
    L.append({"type": "global_avg_pool2d", "name": "avgpool"})
    L.append({"type": "dense", "name": "fc", "units": 1000, "use_bias": True})
    return {"name": "resnet18", "description": "ResNet-18 (He et al. 2016) as torchvision defines it: BasicBlocks, convs without bias, BatchNorm folded; 11,689,512 parameters as torchvision counts them (trainable).",
            "input": [224, 224, 3], "batch": 1, "layers": L}

def resnet50():
    # Keras Applications ResNet50 (v1): convs with bias then BatchNorm; the stride sits on the first 1x1 of a conv block.
    L = [conv("conv1_conv", 64, 7, 2, [3, 3, 3, 3], bias=True, act="relu"),
         {"type": "max_pool2d", "name": "pool1_pool", "pool_size": [3, 3], "strides": [2, 2], "padding": [1, 1, 1, 1]}]
    prev = "pool1_pool"
    for stage, (filters, blocks, stride) in enumerate([(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)], start=2):
        for block in range(1, blocks + 1):
            p = f"conv{stage}_block{block}"
            s = stride if block == 1 else 1
            if block == 1:
                L.append(conv(f"{p}_0_conv", 4 * filters, 1, s, "valid", bias=True, inputs=[prev]))
                skip = f"{p}_0_conv"
            else:
                skip = prev
            L.append(conv(f"{p}_1_conv", filters, 1, s, "valid", bias=True, act="relu", inputs=[prev]))
            L.append(conv(f"{p}_2_conv", filters, 3, 1, "same", bias=True, act="relu"))
            L.append(conv(f"{p}_3_conv", 4 * filters, 1, 1, "valid", bias=True))
            L.append(add(f"{p}_add", [skip, f"{p}_3_conv"], act="relu"))
            prev = f"{p}_add"
    head(L)
    return {"name": "resnet50", "description": "ResNet-50 (He et al. 2016) as Keras Applications defines it: bottleneck blocks, convs with bias, BatchNorm folded; 25,636,712 parameters as Keras counts them (25,583,592 trainable).",
            "input": [224, 224, 3], "batch": 1, "layers": L}

def mobilenet_v2():
    # Keras Applications MobileNetV2, alpha 1.0: (expansion, channels, repeats, first stride) per stage.
    L = [conv("Conv1", 32, 3, 2, "same", act="relu6")]
    prev, channels, block = "Conv1", 32, 0
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
        for i in range(n):
            stride = s if i == 0 else 1
            p = f"block_{block}" if block else "expanded_conv"
            first = True
            if t != 1:
                L.append(conv(f"{p}_expand", channels * t, 1, 1, "valid", act="relu6", inputs=[prev]))
                first = False
            dw = conv(f"{p}_depthwise", None, 3, stride, "same", act="relu6", depthwise=True,
                      inputs=[prev] if first else None)
            L.append(dw)
            L.append(conv(f"{p}_project", c, 1, 1, "valid"))
            if stride == 1 and channels == c:
                L.append(add(f"{p}_add", [prev, f"{p}_project"]))
                prev = f"{p}_add"
            else:
                prev = f"{p}_project"
            channels, block = c, block + 1
    L.append(conv("Conv_1", 1280, 1, 1, "valid", act="relu6", inputs=[prev]))
    head(L)
    return {"name": "mobilenet_v2", "description": "MobileNetV2 1.0/224 (Sandler et al. 2018) as Keras Applications defines it: inverted residual blocks, convs without bias, BatchNorm folded; 3,538,984 parameters as Keras counts them (3,504,872 trainable).",
            "input": [224, 224, 3], "batch": 1, "layers": L}

for net in [resnet18(), resnet50(), mobilenet_v2()]:
    net = {"format_version": 1, **net}
    path = os.path.join("SearchSpaces", "zoo", net["name"] + ".json")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(net, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
    print(path, len(net["layers"]), "layers")
