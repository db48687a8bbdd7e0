"""`tir-encode-weights` on every bundled model: each op's bytes decode to the
slice, bias and integers it came from, the module stays equivalent, and the
refusals are one-line errors naming the op."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
from xdsl.dialects.builtin import DenseArrayBase, ModuleOp, i32
from xdsl.utils.exceptions import VerifyException

from tests.helpers import assert_equivalent
from tirconst.analysis.views import root_of
from tirconst.core.diagnostics import ToolError
from tirconst.dialects.tir import (
    AllocateConstOp,
    BufferType,
    DeclBufferOp,
    EncodedWeightsAttr,
    FullyConnectedOp,
    FuncOp,
)
from tirconst.dialects.tir.types import i8
from tirconst.formats.ethos_u import WeightEncoding, WeightFormatError, encode_weights
from tirconst.frontend.importer import import_tflite
from tirconst.interpreter import InterpreterError, NotEquivalentError, check_equivalent
from tirconst.interpreter.encoded import decode_encoded
from tirconst.transforms.encode_weights import (
    EncodeRefused,
    Streams,
    WeightedOp,
    constant_of,
    encode_module,
)

MODELS = sorted((Path(__file__).resolve().parent.parent / "models").glob("*.tflite"))


@functools.cache
def imported(model: Path) -> ModuleOp:
    return import_tflite(model)


def weighted(module: ModuleOp) -> list[WeightedOp]:
    return [o for o in module.walk() if isinstance(o, WeightedOp)]


def expected_of(
    op: WeightedOp,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    w = constant_of(op.filter)
    b = constant_of(op.bias)
    assert w is not None
    co = op.per_channel().channels  # type: ignore[union-attr]
    p = op.params()
    return (
        np.array(w),
        np.zeros(co, np.int32) if b is None else np.array(b),
        np.broadcast_to(p["multiplier"], (co,)),
        np.broadcast_to(p["shift"], (co,)),
    )


@pytest.mark.parametrize("accelerator", ["ethos-u55-128", "ethos-u65-512"])
@pytest.mark.parametrize("model", MODELS, ids=[m.stem for m in MODELS])
def test_every_op_decodes_to_its_slice(model: Path, accelerator: str) -> None:
    before = imported(model)
    expected = [expected_of(o) for o in weighted(before)]
    after = before.clone()
    encode_module(after, accelerator, "min-size")
    after.verify()
    ops = weighted(after)
    assert len(ops) == len(expected) > 0
    for op, (w, b, m, s) in zip(ops, expected, strict=True):
        attr = op.encoded_weights
        assert isinstance(attr, EncodedWeightsAttr)
        assert attr.weight_encodings()[0].accelerator == accelerator
        holder = op.filter.owner
        assert isinstance(holder, AllocateConstOp)
        got = decode_encoded(op, holder.data)
        np.testing.assert_array_equal(got.filter, w)
        np.testing.assert_array_equal(got.bias, b)  # records hold the op's ints
        np.testing.assert_array_equal(got.multiplier, m)
        np.testing.assert_array_equal(got.shift, s)
        assert holder.data.size % 16 == 0


@pytest.mark.parametrize("model", MODELS, ids=[m.stem for m in MODELS])
def test_equivalent_on_every_model(model: Path) -> None:
    before = imported(model)
    after = before.clone()
    encode_module(after, "ethos-u55-128", "vela")
    assert_equivalent(before, after, trials=1)


def test_min_size_never_larger_than_vela() -> None:
    for model in MODELS:
        sizes = {}
        for policy in ("vela", "min-size"):
            m = imported(model).clone()
            stats = encode_module(m, "ethos-u55-128", policy)
            sizes[policy] = sum(enc for _, _, enc, _ in stats.layers)
        assert sizes["min-size"] <= sizes["vela"], model.stem


def test_identical_streams_stored_once() -> None:
    # Two ops reading the same slice share one encoded constant.
    module = imported(MODELS[0]).clone()
    func = next(o for o in module.walk() if isinstance(o, FuncOp))
    op = weighted(module)[0]
    twin = op.clone()
    func.body.block.insert_op_after(twin, op)  # same operands: same slice
    encode_module(module)
    a, b = weighted(module)[:2]
    assert a.filter.owner.symbol == b.filter.owner.symbol  # type: ignore[union-attr]


@pytest.mark.parametrize("accelerator", ["ethos-u55-128", "ethos-u65-512"])
def test_shared_stream_stored_once_with_each_ops_records(accelerator: str) -> None:
    # One weight tensor read by ops with different biases or requantizations
    # (the steps of an unrolled recurrent network): one constant holding each op's
    # records and the stream once; each op decodes to its own integers and
    # the module computes what it did.
    before = imported(MODELS[0]).clone()
    func = next(o for o in before.walk() if isinstance(o, FuncOp))
    op = next(
        o
        for o in weighted(before)
        if len(o.p("multiplier")) > 2 and constant_of(o.bias) is not None
    )
    bias = AllocateConstOp(np.array(constant_of(op.bias)) + 7, name="bias7")
    twin = op.clone()
    func.body.block.insert_op_after(twin, op)
    func.body.block.insert_op_before(bias, twin)
    twin.operands[op.operands.index(op.bias)] = bias.buffer
    expected = [expected_of(o) for o in (op, twin)]
    after = before.clone()
    stats = encode_module(after, accelerator)
    after.verify()
    k = weighted(before).index(op)
    a, b = weighted(after)[k : k + 2]
    views = [o.filter.owner for o in (a, b)]
    assert all(isinstance(v, DeclBufferOp) for v in views)
    holders = [root_of(o.filter).owner for o in (a, b)]
    assert all(isinstance(h, AllocateConstOp) for h in holders)
    assert holders[0].symbol == holders[1].symbol  # type: ignore[union-attr]
    data = holders[0].data  # type: ignore[union-attr]
    # the stream once: the constant is the two ops' bytes less one stream
    ea, eb = a.encoded_weights, b.encoded_weights
    assert isinstance(ea, EncodedWeightsAttr) and isinstance(eb, EncodedWeightsAttr)
    streams = sum(-(-c.weight_length // 16) * 16 for c in ea.cores)
    assert data.size == ea.op_bytes + eb.op_bytes - streams
    for got_op, view, (w, bias, m, s) in zip((a, b), views, expected, strict=True):
        # each op reads a view of its own bytes (one core: exactly those)
        at = view.offset.value.data  # type: ignore[union-attr]
        own = data[at : at + got_op.shape(got_op.filter)[0]]
        if accelerator == "ethos-u55-128":
            assert own.size == got_op.encoded_weights.op_bytes  # type: ignore[union-attr]
        got = decode_encoded(got_op, own)
        np.testing.assert_array_equal(got.filter, w)
        np.testing.assert_array_equal(got.bias, bias)
        np.testing.assert_array_equal(got.multiplier, m)
        np.testing.assert_array_equal(got.shift, s)
    assert [enc for _, _, enc, _ in stats.layers[k : k + 2]] == [
        ea.op_bytes,
        eb.op_bytes,
    ]
    assert_equivalent(before, after, trials=1)


def _corrupted(model: Path, where: str) -> ModuleOp:
    after = imported(model).clone()
    encode_module(after)
    op = weighted(after)[0]
    holder = op.filter.owner
    assert isinstance(holder, AllocateConstOp)
    const = holder.constant_op()
    assert const is not None
    data = np.array(const.data)
    core = op.encoded_weights.cores[0]  # type: ignore[union-attr]
    records = slice(core.bias_offset, core.bias_offset + core.bias_length)
    view = data[records].reshape(-1, 10)
    if where == "stream":
        data[core.weight_offset : core.end] = 0xFF
    elif where == "scale":
        # every record's scale divided by 2**8: a different requantization
        view[:, 5:8] = view[:, 6:9]
        view[:, 8] = 0
    else:
        view[:, 2] ^= 0x40  # every bias changed by 2**22
    data[records] = view.reshape(-1)
    const.set_data(data)
    return after


def test_corrupt_stream_is_an_error_naming_the_op() -> None:
    with pytest.raises(
        InterpreterError, match=r"'tir\.\w+' op in @main: encoded weights: "
    ):
        check_equivalent(imported(MODELS[0]), _corrupted(MODELS[0], "stream"), trials=1)


def test_corrupt_record_scale_is_a_verify_error_naming_the_op() -> None:
    """The op's multiplier and shift are checked against the records the bytes
    hold (one line naming the op and the channel)."""
    with pytest.raises(
        ToolError,
        match=r"^error: 'tir\.\w+' op in @main: multiplier of output channel 0 is "
        r"\d+: the record scale \d+, the encoded bias record holds \d+$",
    ):
        check_equivalent(imported(MODELS[0]), _corrupted(MODELS[0], "scale"), trials=1)


def test_corrupt_record_bias_is_not_equivalent() -> None:
    # the bias is only in the records: nothing to check it against but the run
    with pytest.raises(NotEquivalentError):
        check_equivalent(imported(MODELS[0]), _corrupted(MODELS[0], "bias"), trials=1)


@pytest.mark.parametrize("accelerator", ["ethos-u55-128", "ethos-u65-512"])
def test_op_multipliers_checked_per_channel(accelerator: str) -> None:
    """Each channel's multiplier and shift against its core's record: on
    U65-512 channel o is in core o % 2. Changing one channel's shift is an
    error naming that channel; the records read back are the op's integers."""
    module = imported(MODELS[0]).clone()
    encode_module(module, accelerator)
    op = next(o for o in weighted(module) if len(o.p("multiplier")) > 2)
    holder = op.filter.owner
    assert isinstance(holder, AllocateConstOp)
    attr = op.encoded_weights
    assert isinstance(attr, EncodedWeightsAttr)
    records = attr.records(holder.data)
    np.testing.assert_array_equal(records.scale, op.p("multiplier"))
    np.testing.assert_array_equal(records.tflite_shift, op.p("shift"))
    shift = list(op.p("shift"))
    shift[1] += 1
    op.properties["shift"] = DenseArrayBase.from_list(i32, shift)
    with pytest.raises(
        VerifyException,
        match=f"shift of output channel 1 is {shift[1]}: the record shift "
        f"{31 - shift[1]}, the encoded bias record holds {32 - shift[1]}\n",
    ):
        op.verify()


def test_weights_beyond_255_are_refused() -> None:
    # Verified int8 tir cannot hold them; a 16-bit filter (unverified) can.
    module = ModuleOp([])
    func = FuncOp("f", [("x", BufferType([1, 4], i8)), ("y", BufferType([1, 2], i8))])
    module.body.block.add_op(func)
    x, y = func.body.block.args
    w = AllocateConstOp(np.array([[300, 0, 0, 0], [1, 2, 3, 4]], np.int16), name="w")
    fc = FullyConnectedOp.create_op(
        [x, w.buffer],
        y,
        input_zp=0,
        filter_zp=0,
        output_zp=0,
        multiplier=[1 << 30],
        shift=[0],
        act_min=-128,
        act_max=127,
    )
    func.body.block.add_ops([w, fc])
    with pytest.raises(EncodeRefused, match=r"'tir.fully_connected'.*\[0, 300\]"):
        encode_module(module)


def _estimated_cycles(op: WeightedOp, attr: EncodedWeightsAttr) -> float:
    """The cycle model's figure for `op` run with the encoding `attr`: its
    weights read from flash, or (ops whose weights may be staged) from SRAM
    after a copy nothing hides where that is faster."""
    from tirconst.analysis.block_choice import (
        block_cycles,
        cost_config,
        flash_or_staged,
        memories,
        weighted_probe,
    )
    from tirconst.transforms.encode_weights import prepare, probe_facts

    g, facts = prepare(op).geometry, probe_facts(op)
    core = attr.cores[0]
    enc = attr.weight_encodings()[0]
    traversal, shape = enc.traversal, enc.shape
    probe = weighted_probe(
        g.ifm, g.ofm, g.kernel, g.stride, g.dilation, g.pad, g.depthwise,
        traversal, core.weight_length, -(-core.bias_length // 16) * 16,
        facts.dtypes, facts.activation,
    )  # fmt: skip
    cfg = cost_config("ethos-u55-128")
    mem, constant = memories(cfg)
    raw = int(np.prod(shape))
    if op.WEIGHTS_REUSED:
        flash, staged, _ = flash_or_staged(probe, attr.block, cfg, raw, attr.nbytes)
        return min(flash, staged)
    return block_cycles(probe, attr.block, cfg, mem, constant, raw)


@pytest.mark.parametrize("model", MODELS[2:5], ids=[m.stem for m in MODELS[2:5]])
def test_cycles_policy_is_fastest_by_the_model(model: Path) -> None:
    # Per op, the `cycles` policy's block config and stream cost at most the
    # cycles of Vela's choice and of the smallest stream, and strictly less
    # somewhere (a largest block leaves partly empty blocks).
    from tirconst.transforms.encode_weights import (
        assemble,
        choose,
        prepare,
        probe_facts,
    )

    def encoding(op: WeightedOp, policy: str) -> EncodedWeightsAttr:
        prep = prepare(op)
        block, recs, parts, _ = choose(
            prep, "ethos-u55-128", policy, "op", probe_facts(op)
        )
        return assemble(block, recs, parts)[1]

    better = 0
    for op in weighted(imported(model)):
        got = {
            p: _estimated_cycles(op, encoding(op, p))
            for p in ("cycles", "vela", "min-size")
        }
        assert got["cycles"] <= min(got["vela"], got["min-size"]), got
        better += got["cycles"] < got["min-size"]
    assert better > 0


def test_estimated_streams_choose_as_every_stream_would() -> None:
    """The `cycles` policy lets one depth's streams stand for the other
    depths of their traversal and encodes a candidate's own only when it
    would win: per op of every bundled model, the same block config and
    streams as encoding every candidate, with fewer encodes."""
    from tirconst.transforms.encode_weights import choose, prepare, probe_facts

    counts = {True: 0, False: 0}
    ops = [op for model in MODELS for op in weighted(imported(model))]
    for op in ops:
        prep, facts = prepare(op), probe_facts(op)
        chosen = {}
        for estimate in (True, False):
            made = Streams()
            block, _, parts, _ = choose(
                prep, "ethos-u55-128", "cycles", "op", facts, made, estimate=estimate
            )
            chosen[estimate] = (block, [s for s, _ in parts])
            counts[estimate] += len(made._made)
        assert chosen[True] == chosen[False]
    assert counts[True] < counts[False] * 2 // 3, counts


def test_streams_made_once_never_stale() -> None:
    """The pass's stream cache answers each (volume, encoding) with what the
    encoder makes of it: another volume, a changed value of the same array
    or another encoding is encoded again, never served a stream made for
    something else."""
    rng = np.random.default_rng(0)
    vol = rng.integers(-128, 128, (16, 3, 3, 40), dtype=np.int8)
    enc = WeightEncoding("ethos-u55-128", 16, "depth_first", 1, 1, False, vol.shape)
    made = Streams()
    first = made.encode(vol, enc)
    assert first == encode_weights(vol, enc)
    assert made.encode(vol.copy(), enc) is first  # the same bytes: made once
    vol[0, 0, 0, 0] ^= 0x55  # the same array, another value
    assert made.encode(vol, enc) == encode_weights(vol, enc) != first
    for other in (
        WeightEncoding("ethos-u55-128", 8, "depth_first", 1, 1, False, vol.shape),
        WeightEncoding(
            "ethos-u55-128", 16, "part_kernel_first", 1, 1, False, vol.shape
        ),
        WeightEncoding("ethos-u55-128", 16, "depth_first", 1, 1, False, vol.shape, 3),
    ):
        assert made.encode(vol, other) == encode_weights(vol, other)
        assert made.encode(vol, other) != made.encode(vol, enc)
    wide = vol.astype(np.int16)  # other bytes, same values: the same stream
    assert made.encode(wide, enc) == encode_weights(vol, enc)
    with pytest.raises(WeightFormatError):  # the same bytes in another shape
        made.encode(vol.reshape(16, 9, 40, 1), enc)
