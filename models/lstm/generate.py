"""Generate the small int8 LSTM models of models/lstm/ (issue 25).

Each model is a tf_keras LSTM stack from random weights (seeded), converted
by the TensorFlow Lite converter with full-integer quantization from a
random representative dataset (seeded) into UNIDIRECTIONAL_SEQUENCE_LSTM
operators, and written as NAME.tflite beside this script. They hold what the
converter makes of LSTMs (variable states, intermediates, the cell scale it
picks from the data's range) for tests/test_lstm.py, which reads only the
committed files.

TensorFlow and tf_keras are an optional extra (`pip install '.[networks]'`,
best in a separate virtual environment):

    python models/lstm/generate.py [--out DIR] [NAME ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras  # noqa: E402

K = tf_keras.layers
HERE = Path(__file__).resolve().parent
SEED = 25  # issue 25

MODELS = {
    # name: (batch, time, features, layers of (units, return_sequences),
    #        dense head units or 0, representative data range)
    "stacked": (2, 12, 5, [(8, True), (6, True)], 0, 1.0),
    "sequence_dense": (1, 7, 3, [(16, True)], 4, 1.0),
    "wide_range": (1, 9, 4, [(12, False)], 5, 8.0),
}
"""Small LSTM models: a stack over a batch of two, a sequence feeding a
FULLY_CONNECTED, inputs of a wide range (a coarser cell scale)."""


def build(name: str) -> tf_keras.Model:
    batch, steps, features, layers, head, _ = MODELS[name]
    tf_keras.utils.set_random_seed(SEED + sorted(MODELS).index(name))
    inp = tf_keras.Input((steps, features), batch_size=batch)
    x = inp
    for units, sequences in layers:
        x = K.LSTM(units, return_sequences=sequences)(x)
    if head:
        x = K.Dense(head)(x)
    return tf_keras.Model(inp, x)


def convert(name: str, model: tf_keras.Model) -> bytes:
    """Full-integer quantization from 64 seeded random samples."""
    rng = np.random.default_rng([SEED, sorted(MODELS).index(name)])
    scale = MODELS[name][5]
    shape = tuple(model.inputs[0].shape)

    def representative():
        for _ in range(64):
            yield [rng.uniform(-scale, scale, shape).astype(np.float32)]

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = conv.inference_output_type = tf.int8
    return conv.convert()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help=f"default: all of {', '.join(MODELS)}")
    ap.add_argument("--out", type=Path, default=HERE)
    args = ap.parse_args(argv)
    unknown = [n for n in args.names if n not in MODELS]
    if unknown:
        print(f"generate: error: unknown model {unknown[0]!r}", file=sys.stderr)
        return 1
    names = args.names or list(MODELS)
    if len(names) > 1:  # one process each: TensorFlow's global state
        for name in names:
            cmd = [sys.executable, __file__, "--out", str(args.out), name]
            if subprocess.run(cmd).returncode:
                return 1
        return 0
    (name,) = names
    data = convert(name, build(name))
    path = args.out / f"{name}.tflite"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    print(f"{path.name}: {len(data) / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
