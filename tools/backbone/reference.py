#!/usr/bin/python3
"""NumPy reference forward pass of EfficientNet-Lite0, the test oracle for
the Swift backbone. It reads the original .pth (not the converted .h5, so the
conversion is checked too) and applies every BatchNorm explicitly.

Usage: reference.py --pth efficientnet-lite0-57934424.pth --input IN.npy --out OUT.npz
IN.npy: float32 [N, H, W, 3], RGB, 0-255, any H and W.
OUT.npz: features float32 [N, 1280] (global average pool), logits float32 [N, 1000].
"""
import argparse
import os
import sys

import numpy as np

# No __pycache__ beside the sources in the work tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lite0  # noqa: E402
import pth  # noqa: E402

MEAN = np.array(lite0.INPUT_MEAN)  # see lite0.py for why not ImageNet's
STD = np.array(lite0.INPUT_STD)


def batch_norm(x, sd, prefix):
    scale = sd[prefix + ".weight"] / np.sqrt(sd[prefix + ".running_var"] + lite0.BN_EPS)
    return (x - sd[prefix + ".running_mean"]) * scale + sd[prefix + ".bias"]


def conv(x, w, stride, padding, depthwise):
    """x: [N, H, W, C] float64; w: [out, in/groups, kh, kw] (PyTorch OIHW)."""
    top, left, bottom, right = padding
    x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    kh, kw = w.shape[2:]
    oh = (x.shape[1] - kh) // stride + 1
    ow = (x.shape[2] - kw) // stride + 1

    def tap(i, j):
        return x[:, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride, :]

    if depthwise:
        out = 0.0
        for i in range(kh):
            for j in range(kw):
                out = out + tap(i, j) * w[:, 0, i, j]
        return out
    # Dense conv as a sum over taps of [.., in] @ [in, out].
    out = 0.0
    for i in range(kh):
        for j in range(kw):
            out = out + tap(i, j) @ w[:, :, i, j].T
    return out


def forward(sd, images):
    sd = {k: v.astype(np.float64) for k, v in sd.items()}
    x = (images.astype(np.float64) - MEAN) / STD
    inputs = []
    for layer in lite0.layers():
        inputs.append(x)
        x = conv(x, sd[layer["conv"]], layer["stride"], layer["padding"], layer["depthwise"])
        x = batch_norm(x, sd, layer["bn"])
        if layer["relu6"]:
            x = np.clip(x, 0.0, 6.0)
        if layer["residual"] >= 0:
            x = x + inputs[layer["residual"]]
    features = x.mean(axis=(1, 2))
    logits = features @ sd["_fc.weight"].T + sd["_fc.bias"]
    return features.astype(np.float32), logits.astype(np.float32)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pth", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    images = np.load(args.input)
    if images.ndim != 4 or images.shape[3] != 3:
        sys.exit(f"{args.input}: expected [N, H, W, 3], got {images.shape}")
    features, logits = forward(pth.load(args.pth), images)
    np.savez(args.out, features=features, logits=logits)


if __name__ == "__main__":
    main()
