"""EfficientNet-Lite0 as the PyPI package efficientnet-lite-pytorch 0.1.0
builds it (EfficientNet.from_pretrained('efficientnet-lite0')), flattened
into the list of convolutions the checkpoint's state dict names.

Facts taken from that package's source (utils.py, model.py):
- blocks 'r1_k3_s11_e1_i32_o16', 'r2_k3_s22_e6_i16_o24', 'r2_k5_s22_e6_i24_o40',
  'r3_k3_s22_e6_i40_o80', 'r3_k5_s11_e6_i80_o112', 'r4_k5_s22_e6_i112_o192',
  'r1_k3_s11_e6_i192_o320' (repeats, kernel, stride, expand ratio, in, out);
  Lite0 has width and depth 1.0 and fixes stem (32) and head (1280);
- no squeeze-excite (use_se=False), activation ReLU6 after every BatchNorm
  except the project conv's, BatchNorm eps 1e-3, convs without bias;
- a block adds its input to its output when stride 1 and in == out;
- padding is TensorFlow "SAME" computed once, statically, for the 224x224
  image size from_pretrained sets (Conv2dStaticSamePadding), so it does not
  follow the actual input size: stride 1 pads k//2 all round, stride 2 pads
  (k-2)//2 before and (k-1)//2 after ([0,1] for k3, [1,2] for k5).

Input normalisation: (x - 127) / 128 on 0-255 RGB, that of the TensorFlow
EfficientNet-Lite the weights come from (tensorflow/tpu
models/official/efficientnet/lite/efficientnet_lite_builder.py: "inception-
style MEAN & STDDEV for better post-quantization"). The package's usage
example shows the ImageNet mean/std of the B0-B7 models instead; with
127/128 the photos tried score their class higher (docs/backbone.md).
"""
import math

BN_EPS = 1e-3
IMAGE_SIZE = 224  # the static padding's reference size
INPUT_MEAN = [127.0, 127.0, 127.0]  # RGB, 0-255 pixel values
INPUT_STD = [128.0, 128.0, 128.0]
FEATURES = 1280
CLASSES = 1000

# (repeats, kernel, stride, expand ratio, input channels, output channels)
BLOCKS = [
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
]


def same_padding(size, kernel, stride):
    """[top, left, bottom, right] of TF SAME for a square input of `size`."""
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    return [total // 2, total // 2, total - total // 2, total - total // 2]


def layers():
    """The convolutions in execution order, as dicts: conv (state dict name
    of the weight), bn (prefix of its BatchNorm), kernel, stride, groups
    (0 = depthwise), padding, relu6, residual (index of the layer whose input
    is added after this one, or -1)."""
    out = []
    size = IMAGE_SIZE

    def add(conv, bn, kernel, stride, depthwise, relu6, residual=-1):
        out.append(dict(conv=conv + ".weight", bn=bn, kernel=kernel, stride=stride,
                        depthwise=depthwise, padding=same_padding(size, kernel, stride),
                        relu6=relu6, residual=residual))

    add("_conv_stem", "_bn0", 3, 2, False, True)
    size = math.ceil(size / 2)
    index = 0
    for repeats, kernel, stride, expand, cin, cout in BLOCKS:
        for r in range(repeats):
            p = f"_blocks.{index}."
            first = len(out)
            if expand != 1:
                add(p + "_expand_conv", p + "_bn0", 1, 1, False, True)
            s = stride if r == 0 else 1
            add(p + "_depthwise_conv", p + "_bn1", kernel, s, True, True)
            size = math.ceil(size / s)
            skip = s == 1 and (cin if r == 0 else cout) == cout
            add(p + "_project_conv", p + "_bn2", 1, 1, False, False, first if skip else -1)
            index += 1
    add("_conv_head", "_bn1", 1, 1, False, True)
    return out
