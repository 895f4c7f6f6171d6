#!/usr/bin/python3
"""Converts the EfficientNet-Lite0 checkpoint (.pth) into Keepers' backbone
HDF5 (docs/backbone.md): every BatchNorm folded into the convolution before
it, one group per convolution in execution order, then the classifier.

Usage: convert.py PTH OUT.h5 --wheel-sha256 HEX
The file is written to OUT.h5.tmp-PID and renamed, so OUT.h5 is whole or absent.
"""
import argparse
import hashlib
import os
import sys

import h5py
import numpy as np

# No __pycache__ beside the sources in the work tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lite0  # noqa: E402
import pth  # noqa: E402

STR = h5py.string_dtype("utf-8")


def folded(sd, layer):
    """Conv weight and bias with the BatchNorm after it folded in (float64 maths)."""
    w = sd[layer["conv"]].astype(np.float64)
    bn = layer["bn"]
    scale = sd[bn + ".weight"] / np.sqrt(sd[bn + ".running_var"].astype(np.float64) + lite0.BN_EPS)
    bias = sd[bn + ".bias"] - sd[bn + ".running_mean"] * scale
    conv_bias = layer["conv"][: -len("weight")] + "bias"
    if conv_bias in sd:  # none in Lite0, kept for completeness
        bias = bias + sd[conv_bias] * scale
    return (w * scale[:, None, None, None]).astype(np.float32), bias.astype(np.float32)


def write(sd, out, wheel_sha256, weights_sha256):
    layers = lite0.layers()
    with h5py.File(out, "w") as f:
        a = f.attrs
        a.create("format", "keepers-backbone", dtype=STR)
        a["version"] = np.int64(1)
        a.create("name", "efficientnet-lite0", dtype=STR)
        a.create("wheel_sha256", wheel_sha256, dtype=STR)
        a.create("weights_sha256", weights_sha256, dtype=STR)
        a["input_mean"] = np.array(lite0.INPUT_MEAN, np.float32)
        a["input_std"] = np.array(lite0.INPUT_STD, np.float32)
        a["feature_count"] = np.int64(lite0.FEATURES)
        a["layer_count"] = np.int64(len(layers))
        group = f.create_group("layers")
        for i, layer in enumerate(layers):
            kernel, bias = folded(sd, layer)
            g = group.create_group(f"{i:03d}")
            g["kernel"] = kernel
            g["bias"] = bias
            g.attrs["groups"] = np.int64(kernel.shape[0] if layer["depthwise"] else 1)
            g.attrs["stride"] = np.int64(layer["stride"])
            g.attrs["padding"] = np.array(layer["padding"], np.int64)
            g.attrs.create("activation", "relu6" if layer["relu6"] else "none", dtype=STR)
            g.attrs["residual"] = np.int64(layer["residual"])
        if kernel.shape[0] != lite0.FEATURES:
            raise ValueError(f"last layer has {kernel.shape[0]} channels, expected {lite0.FEATURES}")
        c = f.create_group("classifier")
        c["kernel"] = sd["_fc.weight"].astype(np.float32)
        c["bias"] = sd["_fc.bias"].astype(np.float32)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pth")
    ap.add_argument("out")
    ap.add_argument("--wheel-sha256", required=True, help="sha256 of the wheel the .pth came from")
    args = ap.parse_args()
    with open(args.pth, "rb") as f:
        weights_sha256 = hashlib.file_digest(f, "sha256").hexdigest()
    sd = pth.load(args.pth)
    used = {l["conv"] for l in lite0.layers()} | {l["bn"] for l in lite0.layers()} | {"_fc"}
    unused = [k for k in sd if k not in used and k.rsplit(".", 1)[0] not in used]
    if unused:  # a different checkpoint than the one lite0.py describes
        sys.exit(f"convert.py: unexpected tensors in {args.pth}: {unused[:5]}")
    tmp = f"{args.out}.tmp-{os.getpid()}"
    try:
        write(sd, tmp, args.wheel_sha256, weights_sha256)
        os.replace(tmp, args.out)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


if __name__ == "__main__":
    main()
