# A TVMScript program (Apache TVM 0.27) for `tirconst-import examples/tvm_scale.py`:
# int8 data scaled by per-channel weights, accumulated in int32 and
# requantized with a floor shift, clamped back to int8.
from tvm.script import tirx as T


@T.prim_func
def scale(
    x: T.Buffer((4, 8), "int8"),
    w: T.Buffer((8,), "int8"),
    bias: T.Buffer((8,), "int32"),
    y: T.Buffer((4, 8), "int8"),
):
    for n in T.parallel(4):
        for c in T.serial(8):
            acc = T.bind(T.Cast("int32", x[n, c]) * T.Cast("int32", w[c]) + bias[c])
            q = T.bind(T.floordiv(acc, 64))
            y[n, c] = T.Cast("int8", T.max(T.min(q, 127), -128))
