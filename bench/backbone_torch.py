#!/usr/bin/python3
"""The PyTorch speed anchor of the pretrained backbone: EfficientNet-Lite0 as
Keepers runs it (the BatchNorm-folded convolutions of the backbone .h5,
docs/backbone.md), inference only, channels_last, THREADS threads, on
320x480 (H x W) inputs at batch 1 and 4. Prints, per batch size, the median
of 3 timed windows after a warm-up:
  torch backbone 320x480 batch B: X images/s

Usage: backbone_torch.py [--h5 PATH] [--threads 2] [--seconds 3]
PATH defaults to what tools/backbone/fetch.sh fetches. Needs Debian's
python3-torch and python3-h5py (run with /usr/bin/python3).
"""
import argparse
import os
import statistics
import subprocess
import time

import h5py
import torch
import torch.nn.functional as F

HEIGHT, WIDTH = 320, 480


class Backbone(torch.nn.Module):
    def __init__(self, path):
        super().__init__()
        self.layers = []
        with h5py.File(path, "r") as f:
            for i in range(int(f.attrs["layer_count"])):
                g = f["layers"][f"{i:03d}"]
                a = {k: g.attrs[k] for k in ("groups", "stride", "padding", "activation", "residual")}
                w = torch.nn.Parameter(torch.from_numpy(g["kernel"][()]), requires_grad=False)
                b = torch.nn.Parameter(torch.from_numpy(g["bias"][()]), requires_grad=False)
                self.register_parameter(f"w{i:03d}", w)
                self.register_parameter(f"b{i:03d}", b)
                self.layers.append((w, b, a))
            self.mean = torch.tensor(f.attrs["input_mean"]).view(1, 3, 1, 1)
            self.std = torch.tensor(f.attrs["input_std"]).view(1, 3, 1, 1)

    def forward(self, x):
        x = (x - self.mean) / self.std
        inputs = []
        for w, b, a in self.layers:
            inputs.append(x)
            top, left, bottom, right = (int(p) for p in a["padding"])
            # The convolution pads symmetric borders itself; only the
            # stride-2 layers' [0, 1] / [1, 2] borders need a padded copy.
            if (top, left) == (bottom, right):
                y = F.conv2d(x, w, b, stride=int(a["stride"]), padding=(top, left), groups=int(a["groups"]))
            else:
                y = F.conv2d(F.pad(x, (left, right, top, bottom)), w, b,
                             stride=int(a["stride"]), groups=int(a["groups"]))
            if a["activation"] == "relu6":
                y = F.relu6(y, inplace=True)
            if a["residual"] >= 0:
                y = y + inputs[a["residual"]]
            x = y
        return x.mean(dim=(2, 3))  # the 1280 features


def images_per_second(model, batch, seconds):
    x = torch.rand(batch, 3, HEIGHT, WIDTH).mul_(255).contiguous(memory_format=torch.channels_last)
    with torch.no_grad():
        for _ in range(3):  # warm-up: oneDNN primitive creation, allocator
            model(x)
        rates = []
        for _ in range(3):
            count, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                model(x)
                count += 1
            rates.append(count * batch / (time.perf_counter() - start))
    return statistics.median(rates)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--h5")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=3.0, help="length of each timed window")
    args = ap.parse_args()
    path = args.h5 or subprocess.run(
        [os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "backbone", "fetch.sh")],
        check=True, capture_output=True, text=True).stdout.strip()
    torch.set_num_threads(args.threads)
    model = Backbone(path).eval().to(memory_format=torch.channels_last)
    for batch in (1, 4):
        rate = images_per_second(model, batch, args.seconds)
        print(f"torch backbone {HEIGHT}x{WIDTH} batch {batch}: {rate:.2f} images/s", flush=True)


if __name__ == "__main__":
    main()
