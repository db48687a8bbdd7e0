"""`tir-encode-weights`: every weight slice becomes an Ethos-U encoded constant.

For each conv2d, depthwise conv2d and fully connected op the NPU runs
(`analysis.npu_support`; the others stay on the CPU with their raw
weights), whole or tiled (a tile reads its own slice constant, or a
contiguous view of one), whose filter and bias are constants, the weights,
bias and per-channel requantization become one 1-D ui8 `tir.constant` of
the bytes Vela's encoder makes (`npu_encode_weights`, `npu_encode_bias`),
with `#tir.encoded_weights` saying how; the op reads it instead (no bias
operand). Identical bytes are stored once, and ops whose streams are the same
bytes share one constant holding each one's records and the stream once
(`assemble_shared`). The raw constants nothing reads any more are removed.
"""

from __future__ import annotations

import contextlib
import io
import math
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ArrayAttr, IntegerAttr, ModuleOp, i64
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.utils.exceptions import PassFailedException

from tirconst.analysis.block_choice import (
    block_cost,
    copy_cycles,
    cost_config,
    feature_map_bytes,
    flash_or_staged,
    fm_region,
    growth_pays,
    memories,
    set_stream_lengths,
    slack_before,
    staged_after,
    tightest,
    weighted_probe,
)
from tirconst.analysis.constant_uses import function_of
from tirconst.analysis.npu_support import lstm_gate_matrices, lstm_shape, npu_reason
from tirconst.analysis.performance import FAST_REGION, SystemConfig
from tirconst.analysis.sram import ALIGNMENT, sram_by_op, sram_peak
from tirconst.analysis.symbol_uses import referenced_symbols
from tirconst.analysis.views import constant_of, layout_of
from tirconst.dialects.npu.attributes import WeightEncodingAttr
from tirconst.dialects.npu.ops import BlockOp
from tirconst.dialects.tir import (
    AllocateConstOp,
    BufferType,
    ConstantOp,
    CoreSection,
    DeclBufferOp,
    EncodedWeightsAttr,
    WeightedOp,
)
from tirconst.dialects.tir.encoded import pad16
from tirconst.dialects.tir.sequence_ops import SequenceLstmOp
from tirconst.dialects.tir.structure import FuncOp
from tirconst.dialects.tir.types import ui8
from tirconst.formats.ethos_u import (
    ACCELERATORS,
    WeightEncoding,
    WeightFormatError,
    encode_bias,
    encode_weights,
)
from tirconst.formats.ethos_u.bias import record_scale
from tirconst.formats.ethos_u.block_config import (
    Geometry,
    block_configs,
    vela_choice,
)
from tirconst.formats.ethos_u.hardware import (
    MAX_DILATION,
    MAX_KERNEL_AREA,
    MAX_KERNEL_HEIGHT,
    MAX_STRIDE,
)
from tirconst.formats.ethos_u.weights import (
    core_channels,
    core_depths,
    stream_block_depth,
)
from tirconst.transforms.system_options import SystemOptions

NAME = "tir-encode-weights"
POLICIES = ("min-size", "vela", "cycles")


class EncodeRefused(PassFailedException):
    """An op whose weights cannot be encoded (the message names it)."""


def _label(op: Operation) -> str:
    func = function_of(op)
    where = f" in @{func.sym_name.data}" if func is not None else ""
    out = op.results[0] if op.results else getattr(op, "output", None)
    name = f" (output %{out.name_hint})" if out is not None and out.name_hint else ""
    return f"'{op.name}'{name}{where}"


@dataclass(frozen=True)
class Prepared:
    """What the encoder needs of one op."""

    ohwi: np.ndarray  # encoder input, raw values
    zero_point: int
    depthwise: bool  # encoded depthwise
    bias: np.ndarray
    multiplier: np.ndarray
    shift: np.ndarray
    geometry: Geometry
    raw_bytes: int
    reduced_scale: bool = False
    """16x8 with 64-bit requantization: records hold the multiplier rounded
    to 15 bits (shift 16 less), as LiteRT's 64-bit MultiplyByQuantizedMultiplier
    and Vela's `reduced_quantise_scale` use it."""
    bias_bytes: int = 0
    """The raw bias's bytes (part of `raw_bytes`)."""


def prepare(op: WeightedOp) -> Prepared:
    """The encoder's view of the op (its NPU geometry and OHWI weights, as the
    op's weighted interface gives them); EncodeRefused if the NPU cannot run
    it."""
    w = constant_of(op.filter)
    assert w is not None
    p = op.params()
    ohwi, geometry = op.ohwi(w), op.npu_geometry()
    zp = int(p[op.ENCODED_ZERO_POINT]) if op.ENCODED_ZERO_POINT else 0
    kh, kw = geometry.kernel
    if (
        max(geometry.stride) > MAX_STRIDE
        or max(geometry.dilation) > MAX_DILATION
        or kh > MAX_KERNEL_HEIGHT
        or kh * kw > MAX_KERNEL_AREA
        or (not geometry.depthwise and ohwi.shape[3] != geometry.ifm[2])
        or (geometry.depthwise and ohwi.shape[0] != geometry.ifm[2])
    ):
        raise EncodeRefused(
            f"{NAME}: {_label(op)}: the NPU cannot run it (stride "
            f"{list(geometry.stride)}, dilation {list(geometry.dilation)}, kernel "
            f"{kh}x{kw}, {geometry.ifm[2]} input channels; at most {MAX_STRIDE}, "
            f"{MAX_DILATION}, height {MAX_KERNEL_HEIGHT} and area {MAX_KERNEL_AREA}, "
            "and the filter's)"
        )
    depthwise = geometry.depthwise
    co = ohwi.shape[0]
    values = ohwi.astype(np.int64) - zp
    if values.size and (values.min() < -255 or values.max() > 255):
        raise EncodeRefused(
            f"{NAME}: {_label(op)}: weights minus zero point {zp} lie in "
            f"[{values.min()}, {values.max()}], outside [-255, 255] (Vela would "
            "corrupt them)"
        )
    b = constant_of(op.bias)
    bias = np.zeros(co, np.int64) if b is None else b.astype(np.int64).reshape(-1)
    mult = np.broadcast_to(np.asarray(p["multiplier"], np.int64), (co,))
    shift = np.broadcast_to(np.asarray(p["shift"], np.int64), (co,))
    bias_bytes = 0 if b is None else b.nbytes
    raw = w.nbytes + bias_bytes
    reduced = op.reduced_scale(b)
    return Prepared(
        ohwi, zp, depthwise, bias, mult, shift, geometry, raw, reduced, bias_bytes
    )


@dataclass(frozen=True)
class Candidate:
    block_config: tuple[int, int, int]
    traversal: str


def candidates(
    prep: Prepared, accelerator: str, policy: str, label: str
) -> tuple[list[Candidate], Candidate | None]:
    """The (block config, traversal) pairs the policy tries, and Vela's choice
    (`policy=vela` tries only that one; None for `policy=cycles`, which does
    not ask Vela's scheduler)."""
    g = prep.geometry
    traversals = (
        ["depth_first"] if g.depthwise else ["depth_first", "part_kernel_first"]
    )
    out: list[Candidate] = []
    if policy == "cycles":  # the cycle model tells the configs apart
        for t in traversals:
            configs = tightest(block_configs(g, accelerator, t), g.ofm)
            out += [Candidate(c, t) for c in configs]
        if not out:
            raise EncodeRefused(
                f"{NAME}: {label}: the NPU cannot run it (no block config)"
            )
        return out, None
    vela = vela_choice(g, accelerator)
    if vela is None:
        raise EncodeRefused(f"{NAME}: {label}: the NPU cannot run it (no block config)")
    chosen = Candidate(*vela)
    if policy == "vela":
        return [chosen], chosen
    for t in traversals:
        by_depth: dict[int, tuple[int, int, int]] = {}
        for c in block_configs(g, accelerator, t):
            best = by_depth.get(c[2])
            if best is None or (c[0] * c[1], c) > (best[0] * best[1], best):
                by_depth[c[2]] = c
        out += [Candidate(c, t) for _, c in sorted(by_depth.items())]
    return out, chosen


def stream_depths(prep: Prepared, accelerator: str, block_depth: int):
    """The block depth each core's stream is encoded with, or None if the
    encoder cannot (a core's depth that is no multiple of 8 and does not
    cover its channels). A depth covering all of a core's channels gives the
    same stream as any larger one, so it is normalised to the smallest
    multiple of 8 that does (candidates then encode each stream once)."""
    ncores = ACCELERATORS[accelerator].cores
    out = []
    channels = core_channels(prep.ohwi.shape[0], ncores)
    for d, n in zip(core_depths(block_depth, ncores), channels, strict=False):
        depth = stream_block_depth(d, n)
        if depth is None:
            return None
        out.append(depth)
    return tuple(out)


def records(prep: Prepared, accelerator: str) -> list[bytes]:
    """Each core's bias/scale records (`npu_encode_bias`, shift 31 - s; the
    16x8 reduced scale with 15 - s)."""
    ncores = ACCELERATORS[accelerator].cores
    multiplier, record_shift = record_scale(
        prep.multiplier, prep.shift, prep.reduced_scale
    )
    if record_shift.min() < 0 or record_shift.max() > 63:
        raise WeightFormatError(
            f"shift {int(prep.shift.min())}..{int(prep.shift.max())} gives a record "
            "shift outside 0..63"
        )
    cores = min(ncores, prep.ohwi.shape[0])
    return [
        encode_bias(
            prep.bias[k::ncores], multiplier[k::ncores], record_shift[k::ncores]
        )
        for k in range(cores)
    ]


class Streams:
    """Weight streams made once per distinct volume and encoding: the tiles
    of one op read the same weights and try the same (depth, traversal)
    pairs (`tir-tile` in Size mode: kws's 599 encodes are 325 distinct).
    The key is everything `encode_weights` reads: the volume's bytes, dtype
    and shape, and the encoding."""

    def __init__(self) -> None:
        self._made: dict[tuple[bytes, str, tuple[int, ...], WeightEncoding], bytes]
        self._made = {}

    def encode(self, vol: np.ndarray, enc: WeightEncoding) -> bytes:
        key = (vol.tobytes(), vol.dtype.str, vol.shape, enc)
        stream = self._made.get(key)
        if stream is None:
            stream = self._made[key] = encode_weights(vol, enc)
        return stream


def streams(
    prep: Prepared,
    accelerator: str,
    depths: tuple[int, ...],
    traversal: str,
    made: Streams | None = None,
) -> list[tuple[bytes, WeightEncoding]]:
    """Each core's weight stream (core k: output channels k, k + cores, ...),
    from `made` if it encoded the same before."""
    ncores = ACCELERATORS[accelerator].cores
    dy, dx = prep.geometry.dilation
    encode = made.encode if made is not None else encode_weights
    out = []
    for k, d in enumerate(depths):
        vol = np.ascontiguousarray(prep.ohwi[k::ncores])
        enc = WeightEncoding(
            accelerator,
            d,
            traversal,
            dx,
            dy,
            prep.depthwise,
            tuple(int(v) for v in vol.shape),  # type: ignore[arg-type]
            prep.zero_point,
            prep.geometry.ifm_bits,
        )
        out.append((encode(vol, enc), enc))
    return out


def assemble(
    block_config: tuple[int, int, int],
    recs: list[bytes],
    parts: list[tuple[bytes, WeightEncoding]],
) -> tuple[bytes, EncodedWeightsAttr]:
    """Per core `[records | pad to 16 | stream | pad to 16]`, and its attribute."""
    data, users = assemble_shared([(block_config, recs)], parts)
    return data, users[0][2]


def assemble_shared(
    users: list[tuple[tuple[int, int, int], list[bytes]]],
    parts: list[tuple[bytes, WeightEncoding]],
) -> tuple[bytes, list[tuple[int, int, EncodedWeightsAttr]]]:
    """One constant for ops whose weight streams are the same bytes (one
    weight tensor read by several ops, each with its own requantization:
    the steps of an unrolled recurrent network). Per core, each distinct
    records section once (`[records | pad to 16]`, in the users' order) and
    the stream once (`[stream | pad to 16]`), the stream between the last two
    distinct records: `[records a | ... | records y | stream | records z]`,
    so the last two users' bytes are each one contiguous range (`[records y
    | stream]`, `[stream | records z]`) a copy of which holds nothing else.
    One user (or one distinct records section) gives `[records | pad |
    stream | pad]`. Per user: where its bytes start in the constant, how
    many, and its attribute with offsets from that start (the user reads a
    view of those bytes)."""
    data = bytearray()
    placed: list[dict[bytes, int]] = []
    streams_at: list[int] = []

    def put(block: bytes) -> int:
        at = len(data)
        data.extend(block + bytes(pad16(len(block)) - len(block)))
        return at

    for k, (stream, _) in enumerate(parts):
        distinct = list(dict.fromkeys(recs[k] for _, recs in users))
        at = {r: put(r) for r in distinct[:-1] if len(distinct) > 1}
        if len(distinct) == 1:
            at[distinct[0]] = put(distinct[0])
        streams_at.append(put(stream))
        if len(distinct) > 1:
            at[distinct[-1]] = put(distinct[-1])
        placed.append(at)
    encodings = [WeightEncodingAttr.of(enc) for _, enc in parts]
    out = []
    for block_config, recs in users:
        sections = [
            CoreSection(
                placed[k][recs[k]],
                len(recs[k]),
                streams_at[k],
                len(stream),
                encodings[k],
            )
            for k, (stream, _) in enumerate(parts)
        ]
        start = min(c.start for c in sections)
        end = max(c.end for c in sections)
        rebased = [
            CoreSection(
                c.bias_offset - start,
                c.bias_length,
                c.weight_offset - start,
                c.weight_length,
                c.encoding,
            )
            for c in sections
        ]
        out.append((start, end - start, EncodedWeightsAttr.make(block_config, rebased)))
    return bytes(data), out


def choose(
    prep: Prepared,
    accelerator: str,
    policy: str,
    label: str,
    probe: ProbeFacts | None = None,
    made: Streams | None = None,
    cfg: SystemConfig | None = None,
    estimate: bool = True,
) -> tuple[tuple[int, int, int], list[bytes], list[tuple[bytes, WeightEncoding]], int]:
    """The policy's encoding of the op: its block config, each core's
    records and (stream, encoding), and the stream bytes of Vela's choice
    (-1 if the encoder cannot encode Vela's choice or the policy does not
    ask for it); `assemble` lays them out. `min-size`: the fewest
    bytes; `cycles`: the fewest cycles the cycle model estimates for the op
    with that block config and stream (`analysis.block_choice`), then the
    fewest compute cycles (what is left once the weights are staged), then
    the fewest bytes. `made`: the streams encoded so far (the pass shares
    one across its ops). `estimate` (with `cycles`): one block depth's
    streams stand for the other depths of their traversal until a
    candidate costed so would win (then its own are encoded and it is
    costed again), rather than encoding every depth."""
    cands, vela = candidates(prep, accelerator, policy, label)
    facts = probe or ProbeFacts()
    try:
        recs = records(prep, accelerator)
        tried: dict[tuple[tuple[int, ...], str], list] = {}
        # With `cycles`, the streams of one block depth stand for the other
        # depths of their traversal (the same weights in another order: within
        # 0.3% of the bytes on the bundled models) until a candidate costed so
        # would win: only then is its own stream encoded (the encoder is most
        # of a large model's compile).
        sample: dict[str, list] = {}
        probes: dict[str, BlockOp] = {}
        cfg = cfg or cost_config(accelerator)
        mem, constant = memories(cfg)

        def parts_of(key: _Key, exact: bool) -> tuple[list, bool]:
            if key in tried:
                return tried[key], True
            if not exact and key[1] in sample:
                return sample[key[1]], False
            tried[key] = streams(prep, accelerator, key[0], key[1], made)
            sample.setdefault(key[1], tried[key])
            return tried[key], True

        def costed(c: Candidate, key: _Key, exact: bool) -> _Costed:
            parts, exact = parts_of(key, exact)
            size = sum(pad16(len(s)) for s, _ in parts)
            flash = staged = compute = 0.0
            nbytes = size + sum(pad16(len(r)) for r in recs)
            if policy == "cycles":
                if c.traversal not in probes:
                    probes[c.traversal] = _probe(prep, c.traversal, parts, recs, facts)
                set_stream_lengths(
                    probes[c.traversal], len(parts[0][0]), pad16(len(recs[0]))
                )
                raw = math.prod(parts[0][1].shape)
                if facts.stageable:  # staged where faster (tir-stage-weights)
                    flash, staged, compute = flash_or_staged(
                        probes[c.traversal], c.block_config, cfg, raw, nbytes,
                    )  # fmt: skip
                else:
                    cost = block_cost(
                        probes[c.traversal], c.block_config, cfg, mem, constant, raw
                    )
                    flash, compute = cost.duration, cost.compute
                    staged = flash
            return _Costed(c, key, parts, exact, size, nbytes, flash, staged, compute)

        entries: list[_Costed] = []
        for c in cands:
            depths = stream_depths(prep, accelerator, c.block_config[2])
            if depths is not None:
                exact = policy != "cycles" or not estimate
                entries.append(costed(c, (depths, c.traversal), exact))
        while True:
            best = _pick(entries, facts, cfg, vela)
            if best is None or best.exact:
                break
            entries = [
                costed(e.candidate, e.key, True) if e.key == best.key else e
                for e in entries
            ]
        vela_bytes = next(
            (e.size for e in entries if e.candidate == vela and e.exact), -1
        )
    except WeightFormatError as e:
        raise EncodeRefused(f"{NAME}: {label}: {e}") from None
    if best is None:
        raise EncodeRefused(
            f"{NAME}: {label}: the NPU cannot run it (no block depth the "
            f"{ncores_text(accelerator)} can encode)"
        )
    return best.candidate.block_config, recs, best.parts, vela_bytes


_Key = tuple[tuple[int, ...], str]
"""A stream's block depth per core and its traversal."""


@dataclass(frozen=True)
class _Costed:
    """A candidate costed: its streams (`exact`: its own, else those of
    another depth of its traversal standing for them), stream bytes, staged
    bytes, and the cycles from flash, from SRAM after an unhidden copy, of
    compute."""

    candidate: Candidate
    key: _Key
    parts: list
    exact: bool
    size: int
    nbytes: int
    flash: float
    staged: float
    compute: float


def _pick(
    entries: list[_Costed], facts: ProbeFacts, cfg: SystemConfig, vela: object
) -> _Costed | None:
    """The entry with the fewest cycles, then compute cycles, then bytes
    (ties: Vela's choice). From SRAM where the copy fits beside the op
    within the SRAM peak (`facts.room`), else only where that pays against
    the op's fastest config from flash by what the copy adds to the SRAM the
    op holds (`growth_pays`): the peak grows for it only then."""
    reference = min((e.flash for e in entries), default=0.0)
    slack: float | None = None
    best: tuple[tuple[float, float, int], _Costed] | None = None
    for e in entries:
        cycles = e.flash
        rounded = -(-e.nbytes // ALIGNMENT) * ALIGNMENT
        if e.staged >= e.flash:
            pass
        elif facts.room is None or rounded <= facts.room:
            cycles = e.staged
        elif facts.op is not None:
            if slack is None:
                slack = slack_before(facts.op, cfg)
            copy = copy_cycles(e.nbytes, cfg)
            after = staged_after(e.staged - copy, copy, slack)
            pays = growth_pays(reference, after, e.nbytes, facts.feature_maps)
            cycles = e.staged if pays else e.flash
        score = (cycles, e.compute, e.size)
        if (
            best is None
            or score < best[0]
            or (score == best[0] and e.candidate == vela)
        ):
            best = (score, e)
    return None if best is None else best[1]


@dataclass(frozen=True)
class ProbeFacts:
    """What the cycle model needs of an op beyond its geometry: IFM and OFM
    element types, and its activation ("clamp", "table" or None)."""

    dtypes: tuple[str, str] = ("int8", "int8")
    activation: str | None = None
    layouts: tuple[str, str] = ("nhwc", "nhwc")
    stageable: bool = False
    """Whether `tir-stage-weights` may stage the op's weights (not a fully
    connected op's): its block config is then costed reading them from
    flash or from SRAM, whichever is faster."""
    regions: tuple[int, int] = (FAST_REGION, FAST_REGION)
    """The probe regions of IFM and OFM (`block_choice.fm_region`)."""
    feature_maps: int = 0
    """The op's feature-map bytes (`analysis.block_choice.feature_map_bytes`)."""
    room: int | None = None
    """The bytes free beside the op within the SRAM peak of the unstaged
    program: a config is costed reading its weights from SRAM where they
    fit there or `growth_pays` (None: wherever faster)."""
    op: WeightedOp | None = None
    """The op itself, for `growth_pays` (`slack_before` it) where needed."""


def probe_facts(op: WeightedOp, room: int | None = None) -> ProbeFacts:
    """The op's `ProbeFacts`, with its `room`."""
    fms = (op.input, op.output)
    dtypes = tuple(str(op.buffer_type(v).dtype) for v in fms)
    lo, hi = op.act_min, op.act_max
    info = np.iinfo(dtypes[1]) if dtypes[1] in ("int8", "int16") else None
    clamp = info is None or (lo, hi) != (info.min, info.max)
    layouts = (layout_of(fms[0]), layout_of(fms[1]))
    regions = (fm_region(fms[0]), fm_region(fms[1]))
    return ProbeFacts(
        dtypes,  # type: ignore[arg-type]
        "clamp" if clamp else None,
        layouts,  # type: ignore[arg-type]
        op.WEIGHTS_REUSED,
        regions,
        feature_map_bytes(op),
        room,
        op,
    )


def _probe(
    prep: Prepared,
    traversal: str,
    parts: list[tuple[bytes, WeightEncoding]],
    recs: list[bytes],
    probe: ProbeFacts | None,
) -> BlockOp:
    """The npu op the cycle model costs for this stream (core 0's)."""
    g = prep.geometry
    facts = probe or ProbeFacts()
    return weighted_probe(
        g.ifm, g.ofm, g.kernel, g.stride, g.dilation, g.pad, g.depthwise,
        traversal, len(parts[0][0]), pad16(len(recs[0])),
        facts.dtypes, facts.activation, facts.layouts, facts.regions,
    )  # fmt: skip


def ncores_text(accelerator: str) -> str:
    n = ACCELERATORS[accelerator].cores
    return f"{accelerator}'s {n} core{'s' if n > 1 else ''}"


@dataclass
class _State:
    module: ModuleOp
    accelerator: str
    policy: str
    by_bytes: dict[bytes, ConstantOp]
    taken: set[str]
    last: Operation | None = None

    def symbol_for(self, base: str, data: bytes, raw: int) -> ConstantOp:
        if data in self.by_bytes:
            return self.by_bytes[data]
        k = 0
        while (name := f"{base}_enc{k if k else ''}") in self.taken:
            k += 1
        self.taken.add(name)
        const = ConstantOp(name, np.frombuffer(data, np.uint8).copy())
        const.attributes["tir.raw_bytes"] = IntegerAttr(raw, i64)
        block = self.module.body.block
        if self.last is None:
            first = block.first_op
            if first is None:
                block.add_op(const)
            else:
                Rewriter.insert_op(const, InsertPoint.before(first))
                # after the other module constants: keep the text readable
        else:
            Rewriter.insert_op(const, InsertPoint.after(self.last))
        self.last = const
        self.by_bytes[data] = const
        return const


def _base_name(op: WeightedOp) -> str:
    owner = op.filter.owner
    while isinstance(owner, DeclBufferOp):
        owner = owner.source.owner
    if isinstance(owner, AllocateConstOp) and owner.symbol is not None:
        return owner.symbol.root_reference.data
    hint = op.filter.name_hint
    return hint or "weights"


@dataclass(frozen=True)
class EncodeWeightsPass(SystemOptions, ModulePass):
    """Encode every constant weight slice of a conv2d, depthwise conv2d or
    fully connected op, with its bias and requantization, into an Ethos-U
    weight stream and bias/scale records made by Vela (`#tir.encoded_weights`
    on the new 1-D ui8 `tir.constant` and on the op, which reads it instead).

    `accelerator` is Vela's name (`ethos-u55-32` ... `ethos-u65-512`; on
    U65-512 output channels are dealt to two cores' streams). `policy`
    chooses the block depth and traversal the stream is encoded for (and
    the op must run with): `min-size` tries every block config
    `npu_find_block_configs` accepts and keeps the smallest bytes, `cycles`
    the one the cycle model (`analysis.block_choice`) estimates fastest
    (then the smallest), `vela` takes Vela's own choice. Why here: the
    stream depends on both, so the block config is fixed when the weights
    are encoded. With `cycles`, an op whose weights `tir-stage-weights` may
    stage is costed at the faster of reading them from flash and from SRAM
    after an unhidden copy; `keep-peak=true` (`reuse-io` as
    `tir-plan-memory`'s) takes the SRAM cost only where the copy fits beside
    the op within the program's SRAM peak or the peak's growth pays
    (`analysis.block_choice.growth_pays`, against the op's fastest config
    from flash), as `tir-stage-weights{op-weights=true}` grows it. The cycle
    model is for the system `system-config`, `memory-mode` and `config`
    name (`SystemOptions`).

    Refuses, naming the op: weights outside ±255 after zero-point removal,
    an op the NPU cannot run, an unknown accelerator or policy.
    """

    name = NAME

    accelerator: str = "ethos-u55-128"
    policy: str = "min-size"
    keep_peak: bool = False
    reuse_io: bool = False

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        cfg = None
        if self.policy == "cycles" and self.accelerator in ACCELERATORS:
            cfg = self.system(self.accelerator, NAME)
        encode_module(
            op, self.accelerator, self.policy, self.keep_peak, self.reuse_io, cfg
        )


@dataclass
class _Chosen:
    """One op's encoding, before its constant is made."""

    op: WeightedOp
    label: str
    prep: Prepared
    block_config: tuple[int, int, int]
    records: list[bytes]
    vela_bytes: int
    constant: ConstantOp | None = None
    attr: EncodedWeightsAttr | None = None
    size: int = 0
    """The constant's bytes; the op reads `length` of them from `start`."""
    start: int = 0
    length: int = 0


@dataclass
class EncodeStats:
    """Per op: label, raw bytes, encoded bytes, bytes under Vela's choice."""

    layers: list[tuple[str, int, int, int]]


def encode_module(
    module: ModuleOp,
    accelerator: str = "ethos-u55-128",
    policy: str = "min-size",
    keep_peak: bool = False,
    reuse_io: bool = False,
    cfg: SystemConfig | None = None,
) -> EncodeStats:
    """Run the rewrite; return what it did per op (for benchmarks). With
    `keep_peak` (and `policy=cycles`), a config is costed reading its
    weights from SRAM only where they fit beside the op within the SRAM
    peak of the program as it is (`analysis.sram`, parameters placed as
    `reuse_io` says) or where `growth_pays`. `cfg`: the system the cycle
    model is for (default Vela's for the accelerator, `cost_config`)."""
    if accelerator not in ACCELERATORS:
        raise PassFailedException(
            f"{NAME}: unknown accelerator {accelerator!r} (known: "
            f"{', '.join(ACCELERATORS)})"
        )
    if policy not in POLICIES:
        raise PassFailedException(
            f"{NAME}: unknown policy {policy!r} (known: {', '.join(POLICIES)})"
        )
    taken = {o.sym_name.data for o in module.body.block.ops if hasattr(o, "sym_name")}
    last_const = None
    for o in module.body.block.ops:
        if isinstance(o, ConstantOp):
            last_const = o
    state = _State(module, accelerator, policy, {}, taken, last_const)
    stats = EncodeStats([])
    made = Streams()
    touched: list[Operation] = []
    ops = [
        o
        for o in module.walk()
        if isinstance(o, WeightedOp)
        and o.encoded_weights is None
        and constant_of(o.filter) is not None
        and (o.bias is None or constant_of(o.bias) is not None)
        and npu_reason(o) is None  # what stays on the CPU keeps its weights
    ]
    rooms = _rooms(module, reuse_io) if keep_peak and policy == "cycles" else {}
    chosen: list[_Chosen] = []
    # ops whose streams are the same bytes (one weight tensor, several
    # requantizations) share one constant: `assemble_shared`
    groups: dict[tuple[tuple[bytes, WeightEncoding], ...], list[_Chosen]] = {}
    for o in ops:
        label = _label(o)
        prep = prepare(o)
        block, recs, parts, vela_bytes = choose(
            prep,
            accelerator,
            policy,
            label,
            probe_facts(o, _room(o, rooms)),
            made,
            cfg,
        )
        c = _Chosen(o, label, prep, block, recs, vela_bytes)
        chosen.append(c)
        groups.setdefault(tuple(parts), []).append(c)
    for parts, members in groups.items():
        data, attrs = assemble_shared(
            [(c.block_config, c.records) for c in members], list(parts)
        )
        # what the constant replaced: the weights once, each distinct bias
        first = members[0]
        distinct = {tuple(c.records): c.prep.bias_bytes for c in members[1:]}
        distinct.pop(tuple(first.records), None)
        raw = first.prep.raw_bytes + sum(distinct.values())
        const = state.symbol_for(_base_name(first.op), data, raw)
        for c, (start, length, attr) in zip(members, attrs, strict=True):
            c.constant, c.attr, c.size = const, attr, len(data)
            c.start, c.length = start, length
    for c in chosen:
        o = c.op
        assert c.constant is not None and c.attr is not None
        holder = AllocateConstOp(
            c.constant.sym_name.data,
            BufferType([c.size], ui8),
            name=f"{_base_name(o)}_enc",
        )
        Rewriter.insert_op(holder, InsertPoint.before(o))
        filt = holder.buffer
        if c.length != c.size:  # its own bytes of a shared constant
            view = DeclBufferOp(filt, c.start, BufferType([c.length], ui8))
            view.view.name_hint = f"{_base_name(o)}_enc_view"
            Rewriter.insert_op(view, InsertPoint.before(o))
            filt = view.view
        props = dict(o.properties)
        props["encoded_weights"] = c.attr
        props.pop("operandSegmentSizes", None)
        new = type(o)(
            operands=[[o.input], [filt], [], [o.output]],
            properties=props,
            attributes=dict(o.attributes),
        )
        touched += [v.owner for v in (o.filter, o.bias) if v is not None]
        Rewriter.replace_op(o, new, new_results=[])
        stats.layers.append((c.label, c.prep.raw_bytes, c.attr.op_bytes, c.vela_bytes))
    _remove_dead(module, touched)
    encode_lstms(module, state, stats)
    return stats


def _rooms(module: ModuleOp, reuse_io: bool) -> dict[Operation, int]:
    """The bytes free within its function's SRAM peak beside each top-level
    op of each function (`analysis.sram`)."""
    rooms: dict[Operation, int] = {}
    for func in module.body.block.ops:
        if isinstance(func, FuncOp):
            peak = sram_peak(func, reuse_io).bytes
            for o, n in sram_by_op(func, reuse_io).items():
                rooms[o] = peak - n
    return rooms


def _room(op: Operation, rooms: dict[Operation, int]) -> int | None:
    """`op`'s room (that of the top-level op holding it; 0 for an op no
    function holds), or None without `rooms` (no SRAM limit asked)."""
    if not rooms:
        return None
    cur: Operation | None = op
    while cur is not None and cur not in rooms:
        cur = cur.parent_op()
    return rooms[cur] if cur is not None else 0


def _remove_dead(module: ModuleOp, touched: list[Operation]) -> None:
    """Erase the raw constants (views, holders, module constants) that
    nothing reads any more."""
    symbols: set[str] = set()
    work = list(touched)
    while work:
        o = work.pop()
        if o.parent is None or any(r.uses for r in o.results):
            continue
        if isinstance(o, DeclBufferOp):
            work.append(o.source.owner)  # type: ignore[arg-type]
        if isinstance(o, AllocateConstOp) and o.symbol is not None:
            symbols.add(o.symbol.root_reference.data)
        if isinstance(o, DeclBufferOp | AllocateConstOp):
            Rewriter.erase_op(o)
    still = referenced_symbols(module)
    for o in list(module.body.block.ops):
        if isinstance(o, ConstantOp) and o.sym_name.data in symbols - still:
            Rewriter.erase_op(o)


def encode_lstm(
    op: SequenceLstmOp, accelerator: str, label: str
) -> tuple[bytes, list[EncodedWeightsAttr], int]:
    """The bytes of an LSTM's two NPU convs (`npu.lstm`: the input weights
    with the gate biases, then the recurrent weights; gates in `ORDER`),
    each encoded for the largest block config Vela accepts for its int8 to
    int16 1x1 conv, their `#tir.encoded_weights` (offsets into the bytes),
    and the raw bytes they replace."""
    from tirconst.dialects.npu.attributes import FeatureMapAttr
    from tirconst.dialects.npu.lstm import conv_1x1
    from tirconst.dialects.npu.vela_api import pick_block_config

    m = lstm_gate_matrices(op)
    assert m is not None  # npu_reason said the NPU runs it
    convs = (
        (m.input_weights, m.bias, m.input_multiplier, m.input_shift),
        (
            m.recurrent_weights,
            np.zeros(len(m.bias), np.int64),
            m.recurrent_multiplier,
            m.recurrent_shift,
        ),
    )
    raw = m.input_weights.nbytes + m.recurrent_weights.nbytes + 4 * len(m.bias)
    data = bytearray()
    attrs = []
    for (ifm, ofm), (w, bias, mult, shift) in zip(
        lstm_shape(op).conv_maps(), convs, strict=True
    ):
        probe = conv_1x1(
            FeatureMapAttr.make(dtype="int8", shape=ifm),
            FeatureMapAttr.make(dtype="int16", shape=ofm),
            None,
        )
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # Vela's warnings
                block = pick_block_config(probe, accelerator)
        except ValueError:
            raise EncodeRefused(
                f"{NAME}: {label}: the NPU cannot run it (no block config)"
            ) from None
        ohwi = w.reshape(w.shape[0], 1, 1, w.shape[1])
        prep = Prepared(
            ohwi, 0, False, bias, mult, shift, Geometry(ifm, ofm, (1, 1)), 0
        )
        depths = stream_depths(prep, accelerator, block[2])
        if depths is None:
            raise EncodeRefused(
                f"{NAME}: {label}: the NPU cannot run it (no block depth the "
                f"{ncores_text(accelerator)} can encode)"
            )
        try:
            recs = records(prep, accelerator)
            parts = streams(prep, accelerator, depths, "depth_first")
        except WeightFormatError as e:
            raise EncodeRefused(f"{NAME}: {label}: {e}") from None
        chunk, attr = assemble(block, recs, parts)
        at = len(data)
        attrs.append(
            EncodedWeightsAttr.make(
                block,
                [
                    CoreSection(
                        c.bias_offset + at,
                        c.bias_length,
                        c.weight_offset + at,
                        c.weight_length,
                        c.encoding,
                    )
                    for c in attr.cores
                ],
            )
        )
        data += chunk
    return bytes(data), attrs, raw


def encode_lstms(module: ModuleOp, state: _State, stats: EncodeStats) -> None:
    """Give every LSTM the NPU runs its encoded convs (`npu_weights`, a new
    module constant, and `npu_encoding`); its raw weights stay its
    semantics."""
    ops = [
        o
        for o in module.walk()
        if isinstance(o, SequenceLstmOp)
        and o.npu_weights is None
        and npu_reason(o) is None
    ]
    for o in ops:
        label = _label(o)
        data, attrs, raw = encode_lstm(o, state.accelerator, label)
        owner = o.input_to_input_weights.owner
        base = (
            owner.symbol.root_reference.data
            if isinstance(owner, AllocateConstOp) and owner.symbol is not None
            else "lstm"
        )
        encoding = ArrayAttr(attrs)
        const = state.symbol_for(base, data, raw)
        holder = AllocateConstOp(
            const.sym_name.data, BufferType([len(data)], ui8), name=f"{base}_enc"
        )
        Rewriter.insert_op(holder, InsertPoint.before(o))
        props = dict(o.properties)
        props.pop("operandSegmentSizes", None)
        props["npu_encoding"] = encoding
        ins = [[getattr(o, name)] for name in o.INPUTS[:13]]
        ws = [o.workspace] if o.workspace is not None else []
        new = SequenceLstmOp(
            operands=[*ins, [holder.buffer], ws, [o.output]],
            properties=props,
            attributes=dict(o.attributes),
        )
        Rewriter.replace_op(o, new, new_results=[])
        stats.layers.append((label, raw, len(data), -1))
