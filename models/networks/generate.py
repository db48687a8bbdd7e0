"""Generate the small int8 networks of models/networks/ (issue 25).

Each network is built with Keras from random weights (seeded), converted by
the TensorFlow Lite converter with full-integer quantization from a random
representative dataset (seeded) and written as NAME.tflite beside this
script. int8 input and output, except the int16x8 network (int16
activations, int8 weights: TFLite's
EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8).

TensorFlow (with tf_keras for the LSTM) is an optional extra (`pip install
'.[networks]'`, best in a separate virtual environment); the tests only
read the committed files.

    python models/networks/generate.py [--out DIR] [NAME ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

keras = tf.keras
L = keras.layers
HERE = Path(__file__).resolve().parent
SEED = 25  # issue 25


def conv_bn(x, filters: int, k: int = 3, s: int = 1, act: str | None = "relu6"):
    x = L.Conv2D(filters, k, s, padding="same", use_bias=False)(x)
    x = L.BatchNormalization()(x)
    if act == "relu6":
        x = L.ReLU(6.0)(x)
    elif act == "relu":
        x = L.ReLU()(x)
    elif act == "hard_swish":
        x = L.Activation("hard_swish")(x)
    elif act == "swish":
        x = L.Activation("swish")(x)
    return x


def dw_bn(x, k: int = 3, s: int = 1, act: str | None = "relu6"):
    x = L.DepthwiseConv2D(k, s, padding="same", use_bias=False)(x)
    x = L.BatchNormalization()(x)
    if act == "relu6":
        x = L.ReLU(6.0)(x)
    elif act == "relu":
        x = L.ReLU()(x)
    elif act == "hard_swish":
        x = L.Activation("hard_swish")(x)
    elif act == "swish":
        x = L.Activation("swish")(x)
    return x


def head(x, classes: int = 10):
    x = L.GlobalAveragePooling2D()(x)
    x = L.Dense(classes)(x)
    return L.Softmax()(x)


def mobilenet_v1() -> keras.Model:
    """MobileNetV1 (alpha 0.25) on 96x96x1: depthwise-separable blocks."""
    inp = keras.Input((96, 96, 1), batch_size=1)
    x = conv_bn(inp, 8, 3, 2)
    for f, s in [(16, 1), (32, 2), (32, 1), (64, 2), (64, 1), (128, 2), (128, 1)]:
        x = dw_bn(x, 3, s)
        x = conv_bn(x, f, 1)
    return keras.Model(inp, head(x, 2))


def _inverted_residual(x, expand: int, out: int, s: int, act="relu6", se=False):
    cin = x.shape[-1]
    y = conv_bn(x, cin * expand, 1, act=act) if expand != 1 else x
    y = dw_bn(y, 3, s, act=act)
    if se:
        y = _squeeze_excite(y)
    y = conv_bn(y, out, 1, act=None)
    if s == 1 and cin == out:
        y = L.Add()([x, y])
    return y


def _squeeze_excite(x, ratio: int = 4):
    c = x.shape[-1]
    s = L.GlobalAveragePooling2D(keepdims=True)(x)
    s = L.Conv2D(max(c // ratio, 8), 1, activation="relu")(s)
    s = L.Conv2D(c, 1, activation="hard_sigmoid")(s)
    return L.Multiply()([x, s])


def mobilenet_v2() -> keras.Model:
    """MobileNetV2 (alpha 0.35-ish) on 96x96x3: inverted residuals, ADD."""
    inp = keras.Input((96, 96, 3), batch_size=1)
    x = conv_bn(inp, 16, 3, 2)
    for e, o, s in [(1, 8, 1), (6, 16, 2), (6, 16, 1), (6, 24, 2), (6, 24, 1)]:
        x = _inverted_residual(x, e, o, s)
    x = conv_bn(x, 128, 1)
    return keras.Model(inp, head(x, 10))


def mobilenet_v3() -> keras.Model:
    """MobileNetV3-small style on 96x96x3: HARD_SWISH, squeeze-excite."""
    inp = keras.Input((96, 96, 3), batch_size=1)
    x = conv_bn(inp, 16, 3, 2, act="hard_swish")
    x = _inverted_residual(x, 1, 16, 2, act="relu", se=True)
    x = _inverted_residual(x, 4, 24, 2, act="relu")
    x = _inverted_residual(x, 3, 24, 1, act="relu")
    x = _inverted_residual(x, 4, 40, 2, act="hard_swish", se=True)
    x = _inverted_residual(x, 3, 40, 1, act="hard_swish", se=True)
    x = conv_bn(x, 96, 1, act="hard_swish")
    x = L.GlobalAveragePooling2D(keepdims=True)(x)
    x = L.Conv2D(128, 1)(x)
    x = L.Activation("hard_swish")(x)
    x = L.Flatten()(x)
    x = L.Dense(10)(x)
    return keras.Model(inp, L.Softmax()(x))


def efficientnet_block() -> keras.Model:
    """EfficientNet-style MBConv blocks on 64x64x3: swish (LOGISTIC, MUL),
    squeeze-excite with a sigmoid gate."""
    inp = keras.Input((64, 64, 3), batch_size=1)
    x = conv_bn(inp, 16, 3, 2, act="swish")
    for e, o, s in [(1, 16, 1), (4, 24, 2), (4, 24, 1)]:
        cin = x.shape[-1]
        y = conv_bn(x, cin * e, 1, act="swish") if e != 1 else x
        y = dw_bn(y, 3, s, act="swish")
        c = y.shape[-1]
        g = L.GlobalAveragePooling2D(keepdims=True)(y)
        g = L.Conv2D(max(cin // 4, 4), 1, activation="swish")(g)
        g = L.Conv2D(c, 1, activation="sigmoid")(g)
        y = L.Multiply()([y, g])
        y = conv_bn(y, o, 1, act=None)
        x = L.Add()([x, y]) if s == 1 and cin == o else y
    return keras.Model(inp, head(x, 10))


def _channel_shuffle(x, groups: int = 2):
    h, w, c = x.shape[1:]
    x = L.Reshape((h, w, groups, c // groups))(x)
    x = L.Permute((1, 2, 4, 3))(x)
    return L.Reshape((h, w, c))(x)


def shufflenet() -> keras.Model:
    """ShuffleNetV2-style units on 64x64x3: channel split (SPLIT), branch,
    concat, channel shuffle (RESHAPE, TRANSPOSE)."""
    inp = keras.Input((64, 64, 3), batch_size=1)
    x = conv_bn(inp, 24, 3, 2, act="relu")
    x = L.MaxPooling2D(3, 2, padding="same")(x)
    for _ in range(2):
        a, b = L.Lambda(lambda t: tf.split(t, 2, axis=-1))(x)
        b = conv_bn(b, b.shape[-1], 1, act="relu")
        b = dw_bn(b, 3, 1, act=None)
        b = conv_bn(b, b.shape[-1], 1, act="relu")
        x = L.Concatenate()([a, b])
        x = _channel_shuffle(x)
    return keras.Model(inp, head(x, 10))


def squeezenet() -> keras.Model:
    """SqueezeNet fire modules on 64x64x3: 1x1 squeeze, 1x1 and 3x3
    expand, CONCATENATION."""
    inp = keras.Input((64, 64, 3), batch_size=1)
    x = L.Conv2D(32, 3, 2, padding="same", activation="relu")(inp)
    x = L.MaxPooling2D(3, 2, padding="same")(x)
    for sq, ex in [(8, 16), (8, 16), (16, 32)]:
        s = L.Conv2D(sq, 1, activation="relu")(x)
        e1 = L.Conv2D(ex, 1, activation="relu")(s)
        e3 = L.Conv2D(ex, 3, padding="same", activation="relu")(s)
        x = L.Concatenate()([e1, e3])
    x = L.Conv2D(10, 1, activation="relu")(x)
    x = L.GlobalAveragePooling2D()(x)
    return keras.Model(inp, L.Softmax()(x))


def unet() -> keras.Model:
    """A two-level U-Net on 64x64x1: max-pool down, TRANSPOSE_CONV up on
    one level and RESIZE_BILINEAR on the other, concatenated skips."""
    inp = keras.Input((64, 64, 1), batch_size=1)
    c1 = L.Conv2D(8, 3, padding="same", activation="relu")(inp)
    p1 = L.MaxPooling2D()(c1)
    c2 = L.Conv2D(16, 3, padding="same", activation="relu")(p1)
    p2 = L.MaxPooling2D()(c2)
    b = L.Conv2D(32, 3, padding="same", activation="relu")(p2)
    u2 = L.Conv2DTranspose(16, 2, 2, padding="same")(b)
    u2 = L.Concatenate()([u2, c2])
    u2 = L.Conv2D(16, 3, padding="same", activation="relu")(u2)
    u1 = L.Resizing(64, 64, interpolation="bilinear")(u2)
    u1 = L.Concatenate()([u1, c1])
    u1 = L.Conv2D(8, 3, padding="same", activation="relu")(u1)
    out = L.Conv2D(2, 1, activation="sigmoid")(u1)
    return keras.Model(inp, out)


def yolo_head() -> keras.Model:
    """A YOLO-style detector on 96x96x3: a small backbone, an upsampled
    (RESIZE_NEAREST_NEIGHBOR) feature concatenated with an earlier one, and
    two heads reshaped to (cells x anchors, 5 + classes) and concatenated."""
    inp = keras.Input((96, 96, 3), batch_size=1)
    x = conv_bn(inp, 16, 3, 2, act="relu")
    x = conv_bn(x, 32, 3, 2, act="relu")
    f1 = conv_bn(x, 32, 3, 2, act="relu")  # 12x12
    f2 = conv_bn(f1, 64, 3, 2, act="relu")  # 6x6
    h2 = L.Conv2D(3 * 7, 1)(f2)
    h2 = L.Reshape((6 * 6 * 3, 7))(h2)
    up = L.Resizing(12, 12, interpolation="nearest")(conv_bn(f2, 32, 1, act="relu"))
    m = L.Concatenate()([up, f1])
    m = conv_bn(m, 32, 3, act="relu")
    h1 = L.Conv2D(3 * 7, 1)(m)
    h1 = L.Reshape((12 * 12 * 3, 7))(h1)
    out = L.Concatenate(axis=1)([h1, h2])
    return keras.Model(inp, out)


def ds_cnn() -> keras.Model:
    """DS-CNN keyword spotting (MLPerf Tiny) on 49x10x1 MFCCs."""
    inp = keras.Input((49, 10, 1), batch_size=1)
    x = L.Conv2D(32, (10, 4), (2, 2), padding="same", use_bias=False)(inp)
    x = L.BatchNormalization()(x)
    x = L.ReLU()(x)
    for _ in range(3):
        x = dw_bn(x, 3, 1, act="relu")
        x = conv_bn(x, 32, 1, act="relu")
    x = L.AveragePooling2D(pool_size=x.shape[1:3])(x)
    x = L.Flatten()(x)
    x = L.Dense(12)(x)
    return keras.Model(inp, L.Softmax()(x))


def resnet8() -> keras.Model:
    """ResNet-8 (MLPerf Tiny image classification) on 32x32x3."""
    inp = keras.Input((32, 32, 3), batch_size=1)
    x = conv_bn(inp, 16, 3, 1, act="relu")
    for f, s in [(16, 1), (32, 2), (64, 2)]:
        y = conv_bn(x, f, 3, s, act="relu")
        y = conv_bn(y, f, 3, 1, act=None)
        if s != 1 or x.shape[-1] != f:
            x = L.Conv2D(f, 1, s)(x)
        x = L.ReLU()(L.Add()([x, y]))
    x = L.AveragePooling2D(pool_size=x.shape[1:3])(x)
    x = L.Flatten()(x)
    x = L.Dense(10)(x)
    return keras.Model(inp, L.Softmax()(x))


def conv1d() -> keras.Model:
    """1-D convolutions over a 128x3 accelerometer window (CONV_2D with a
    height-1 kernel after EXPAND_DIMS/RESHAPE), max-pool, global mean."""
    inp = keras.Input((128, 3), batch_size=1)
    x = L.Conv1D(16, 5, padding="same", activation="relu")(inp)
    x = L.MaxPooling1D(2)(x)
    x = L.Conv1D(32, 3, padding="same", activation="relu")(x)
    x = L.MaxPooling1D(2)(x)
    x = L.Conv1D(32, 3, padding="same", activation="relu")(x)
    x = L.GlobalAveragePooling1D()(x)
    x = L.Dense(6)(x)
    return keras.Model(inp, L.Softmax()(x))


def lstm() -> keras.Model:
    """An LSTM classifier over 49x10 features (UNIDIRECTIONAL_SEQUENCE_LSTM).

    Built with tf_keras (Keras 2): the converter's int8 LSTM fusion crashes
    on a Keras 3 LSTM (TensorFlow 2.21)."""
    import tf_keras

    tf_keras.utils.set_random_seed(SEED + sorted(NETWORKS).index("lstm"))
    K = tf_keras.layers
    inp = tf_keras.Input((49, 10), batch_size=1)
    x = K.LSTM(32)(inp)
    x = K.Dense(12)(x)
    return tf_keras.Model(inp, K.Softmax()(x))


def gru() -> keras.Model:
    """A GRU classifier over 16x10 features, unrolled (FULLY_CONNECTED,
    LOGISTIC, TANH, MUL, ADD, SUB, SPLIT, ...)."""
    inp = keras.Input((16, 10), batch_size=1)
    x = L.GRU(24, unroll=True)(inp)
    x = L.Dense(12)(x)
    return keras.Model(inp, L.Softmax()(x))


def transformer() -> keras.Model:
    """A transformer encoder block on 16 tokens x 32: multi-head attention
    (BATCH_MATMUL, SOFTMAX), layer norm (MEAN, SQUARED_DIFFERENCE, RSQRT),
    a GELU feed-forward, residual ADDs."""
    inp = keras.Input((16, 32), batch_size=1)
    a = L.MultiHeadAttention(num_heads=2, key_dim=16)(inp, inp)
    x = L.LayerNormalization()(L.Add()([inp, a]))
    f = L.Dense(64, activation="gelu")(x)
    f = L.Dense(32)(f)
    x = L.LayerNormalization()(L.Add()([x, f]))
    x = L.GlobalAveragePooling1D()(x)
    x = L.Dense(4)(x)
    return keras.Model(inp, L.Softmax()(x))


def int16x8() -> keras.Model:
    """A small CNN on 32x32x1 quantized 16x8 (int16 activations, int8
    weights, 64-bit bias)."""
    inp = keras.Input((32, 32, 1), batch_size=1)
    x = L.Conv2D(8, 3, 2, padding="same", activation="relu")(inp)
    x = L.DepthwiseConv2D(3, padding="same", activation="relu")(x)
    x = L.Conv2D(16, 1, activation="relu")(x)
    x = L.MaxPooling2D()(x)
    x = L.Conv2D(16, 3, padding="same")(x)
    x = L.GlobalAveragePooling2D()(x)
    x = L.Dense(4)(x)
    return keras.Model(inp, L.Softmax()(x))


NETWORKS: dict[str, Callable[[], keras.Model]] = {
    f.__name__: f
    for f in (
        mobilenet_v1,
        mobilenet_v2,
        mobilenet_v3,
        efficientnet_block,
        shufflenet,
        squeezenet,
        unet,
        yolo_head,
        ds_cnn,
        resnet8,
        conv1d,
        lstm,
        gru,
        transformer,
        int16x8,
    )
}


def normalise(model, sample: np.ndarray) -> None:
    """Rescale each weighted layer's kernel and bias, in graph order, so its
    output has standard deviation 1 on `sample` (data-dependent init, as
    LSUV): random weights otherwise shrink the activations layer by layer
    until the logits' quantization scale is ~1e-8, which LiteRT's reference
    softmax refuses (it aborts)."""
    for layer in model.layers:
        weights = layer.get_weights()
        if (
            not weights
            or not hasattr(layer, "kernel")
            and not hasattr(layer, "depthwise_kernel")
        ):
            continue
        if layer.__class__.__name__ in ("BatchNormalization", "LayerNormalization"):
            continue
        sub = type(model)(model.inputs, layer.output)
        std = float(np.std([np.asarray(sub(x[None])) for x in sample]))
        if std > 0:
            layer.set_weights([w / std for w in weights])


def convert(name: str, model: keras.Model) -> bytes:
    """Full-integer quantization from 64 seeded random samples in [-1, 1)."""
    rng = np.random.default_rng([SEED, sorted(NETWORKS).index(name)])
    shape = (1, *model.inputs[0].shape[1:])
    normalise(model, rng.uniform(-1.0, 1.0, (8, *shape[1:])).astype(np.float32))

    def representative():
        for _ in range(64):
            yield [rng.uniform(-1.0, 1.0, shape).astype(np.float32)]

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    if name == "int16x8":
        conv.target_spec.supported_ops = [
            tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8
        ]
        conv.inference_input_type = conv.inference_output_type = tf.int16
    else:
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        conv.inference_input_type = conv.inference_output_type = tf.int8
    return conv.convert()


FLOAT_ALLOWED = {"transformer"}


def float_operators(data: bytes) -> list[str]:
    """The operators of a converted model that write float32 tensors."""
    it = tf.lite.Interpreter(model_content=data)
    dtype = {t["index"]: t["dtype"] for t in it.get_tensor_details()}
    return [
        op["op_name"]
        for op in it._get_ops_details()
        if any(dtype.get(i) == np.float32 for i in op["outputs"])
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help=f"default: all of {', '.join(NETWORKS)}")
    ap.add_argument("--out", type=Path, default=HERE)
    args = ap.parse_args(argv)
    unknown = [n for n in args.names if n not in NETWORKS]
    if unknown:
        print(f"generate: error: unknown network {unknown[0]!r}", file=sys.stderr)
        return 1
    names = args.names or list(NETWORKS)
    if len(names) > 1:
        # One process per network: TensorFlow's process-wide state (layer
        # and graph name counters) changes the converter's output, so each
        # network is generated as if alone and its bytes are reproducible.
        for name in names:
            cmd = [sys.executable, __file__, "--out", str(args.out), name]
            if subprocess.run(cmd).returncode:
                return 1
        return 0
    (name,) = names
    keras.backend.clear_session()  # (changes the GRU's conversion to all-int8)
    keras.utils.set_random_seed(SEED + sorted(NETWORKS).index(name))
    model = NETWORKS[name]()
    data = convert(name, model)
    # TensorFlow 2.21's converter is not deterministic on the unrolled GRU:
    # some runs leave one SPLIT in float (DEQUANTIZE, SPLIT, QUANTIZE).
    # Convert again until every operator is integer (the transformer's float
    # NEG, between DEQUANTIZE and QUANTIZE, is the converter's every time).
    for _ in range(8):
        if name in FLOAT_ALLOWED or not float_operators(data):
            break
        data = convert(name, model)
    else:
        print(
            f"generate: error: {name}: float {float_operators(data)}", file=sys.stderr
        )
        return 1
    path = args.out / f"{name}.tflite"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    print(f"{path.name}: {len(data) / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
