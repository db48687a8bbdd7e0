"""The device bytes checked against the oracle: every NPU segment of a
compiled `.tflite`, read back from the file, disassembled and run in the npu
interpreter on LiteRT's own values of its input tensors, compared with
LiteRT's values of its output tensors (BUILTIN_REF kernels; for a model
with SUM or ELU, whose oracle is the optimized kernel, the default ones:
`formats.tflite.oracle`), bit for bit.

LiteRT runs the original model once per seed with every intermediate tensor
kept; a segment's inputs and outputs are tensors of the original graph (the
writer keeps their names), so each segment is checked on its own, and the
model's outputs are checked where a segment writes them (the others come from
CPU operators, which are LiteRT's own kernels in the written file too).

Variable tensors (an LSTM's states) are read at the value LiteRT resets them
to before each invocation, their zero point. A segment output LiteRT has no
value for (a stream that writes a state tensor once per time step, as Vela's
LSTM does, leaves the disassembler only positional names for the repeats) is
listed as unchecked, never passed silently.

    for check in verify_compiled("m.tflite", "out/m_tirconst.tflite", seed=0):
        print(check.line())
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tirconst.backend.ethos_u.decoder import disassemble_segments
from tirconst.backend.ethos_u.disasm_ir import npu_module
from tirconst.formats.tflite import read_tflite


@dataclass(frozen=True)
class OutputCheck:
    """One output tensor of a segment: how many elements equal LiteRT's, and
    the first that does not (flat index, got, want)."""

    tensor: str
    producer: str  # the original operator that writes it, "#index OPCODE"
    size: int
    equal: int
    first: tuple[int, int, int] | None

    @property
    def exact(self) -> bool:
        return self.equal == self.size


@dataclass(frozen=True)
class SegmentCheck:
    segment: int
    operator: int  # the ethos-u operator's index in the compiled model
    outputs: tuple[OutputCheck, ...]
    unchecked: tuple[str, ...] = ()  # outputs LiteRT has no value for

    @property
    def exact(self) -> bool:
        """Every checked output equal, and none left unchecked."""
        return all(o.exact for o in self.outputs) and not self.unchecked

    def line(self) -> str:
        head = f"segment {self.segment} (operator {self.operator})"
        if self.exact:
            n = sum(o.size for o in self.outputs)
            return f"{head}: exact ({len(self.outputs)} outputs, {n} elements)"
        if all(o.exact for o in self.outputs):
            names = ", ".join(f"'{n}'" for n in self.unchecked[:3])
            more = "..." if len(self.unchecked) > 3 else ""
            return (
                f"{head}: {len(self.unchecked)} outputs unchecked, not tensors "
                f"LiteRT computes ({names}{more}); the other "
                f"{len(self.outputs)} equal"
            )
        bad = next(o for o in self.outputs if not o.exact)
        assert bad.first is not None
        index, got, want = bad.first
        return (
            f"{head}: differs at {bad.producer} '{bad.tensor}' element {index}: "
            f"got {got}, want {want} ({bad.size - bad.equal} of {bad.size} differ)"
        )


def litert_tensors(model: str | Path, seed: int) -> dict[str, np.ndarray]:
    """Every tensor of `model` by name after one LiteRT run (the model's
    oracle kernels, `oracle_interpreter`) on seeded random inputs over each
    input type's whole range. Raises `OracleError` (one line) for a model
    LiteRT cannot run."""
    from tirconst.formats.tflite.oracle import oracle_interpreter

    interp = oracle_interpreter(model, preserve_all_tensors=True)
    rng = np.random.default_rng(seed)
    for d in interp.get_input_details():
        if np.issubdtype(d["dtype"], np.integer):
            info = np.iinfo(d["dtype"])
            x = rng.integers(info.min, info.max + 1, d["shape"], dtype=d["dtype"])
        else:
            x = rng.standard_normal(d["shape"]).astype(d["dtype"])
        interp.set_tensor(d["index"], x)
    interp.invoke()
    out = {}
    for d in interp.get_tensor_details():
        try:
            out[d["name"]] = interp.get_tensor(d["index"])
        except ValueError:
            continue  # tensors LiteRT did not keep (constants, freed)
    return out


def _graph_names(
    model: str | Path,
) -> tuple[dict[str, str], dict[str, str], dict[str, np.ndarray]]:
    """(tensor name -> "#index OPCODE" of the operator that writes it, the
    names a raw `.npz` gives the model's inputs and outputs -> tensor name,
    variable tensor name -> its value at the start of an invocation)."""
    m = read_tflite(model)

    def name(t: int) -> str:
        return m.tensor(t).name

    producers = {
        name(t): f"#{op.index} {op.opcode}" for op in m.operators for t in op.outputs
    }
    raw = {f"input{i}": name(t) for i, t in enumerate(m.inputs)}
    raw |= {f"output{i}": name(t) for i, t in enumerate(m.outputs)}
    variables = {
        t.name: np.full(
            t.shape, t.quantization.zero_point if t.quantization else 0, t.dtype
        )
        for t in m.tensors
        if t.is_variable
    }
    return producers, raw, variables


def verify_compiled(
    original: str | Path, compiled: str | Path, seed: int = 0
) -> list[SegmentCheck]:
    """Each NPU segment of `compiled` against LiteRT on `original`."""
    from tirconst.interpreter.npu import run_stream

    reference = litert_tensors(original, seed)
    producers, raw_names, variables = _graph_names(original)
    checks = []
    for segment, dis in enumerate(disassemble_segments(compiled)):
        # A raw .npz names the model's inputs and outputs by position.
        names = raw_names if dis.stream.kind == "npz" else {}
        module = npu_module(dis)
        tensors = module.ops.first.tensors()  # type: ignore[union-attr]
        inputs = {}
        for t in tensors:
            if t.kind.data == "input":
                name = names.get(t.tensor_name.data, t.tensor_name.data)
                value = variables.get(name, reference.get(name))
                if value is None:
                    raise ValueError(
                        f"segment {segment}: input '{name}' is not a tensor of "
                        f"{Path(original).name}"
                    )
                inputs[t.tensor_name.data] = value.reshape(t.shape)
        got = run_stream(module, inputs)
        outputs = []
        unchecked = []
        for t in tensors:
            if t.kind.data != "output":
                continue
            name = names.get(t.tensor_name.data, t.tensor_name.data)
            if name in variables or name not in reference:
                unchecked.append(name)
                continue
            want = reference[name].reshape(-1).astype(np.int64)
            have = got[t.tensor_name.data].reshape(-1).astype(np.int64)
            wrong = np.flatnonzero(have != want)
            first = None
            if wrong.size:
                i = int(wrong[0])
                first = (i, int(have[i]), int(want[i]))
            outputs.append(
                OutputCheck(
                    name,
                    producers.get(name, "?"),
                    want.size,
                    want.size - wrong.size,
                    first,
                )
            )
        operator = dis.stream.operator or 0
        checks.append(SegmentCheck(segment, operator, tuple(outputs), tuple(unchecked)))
    return checks
