"""Disassemble every bundled model as the installed vela compiles it.

Per model and core (regor = vela's default C++ core, legacy =
`--debug-force-legacy-core`), U55-128, `--output-format tflite`: command
words, commands, NPU ops; seconds to read the container (`read s`) and to
decode the words and replay the registers into API ops (`decode s`), best of
5; decoding throughput in commands/s (decode only); the memory check's time
and findings; and, side by side, vela's compile time for the same model and
its ratio to read + decode (the anchor: producing the stream vs reading it).

A second table disassembles each compiled model into npu IR and runs it in
the npu interpreter on LiteRT's values of the NPU segment's inputs (seed 0):
seconds to build the IR (`ir s`, best of 3) and to run it (`run s`, best of
3), LiteRT's BUILTIN_REF time for the whole original model side by side
(`litert s`), and how many output elements equal LiteRT's (tests/vela_litert.py).
A third table counts, per op kind over all compiled models, the ops whose
OFM equals a tensor LiteRT computes for the original graph (unmatched ops
are Vela's own steps, stripes of split ops, or disagreements).

    python bench/disasm.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.vela_compile import CORES, bundled_models, compile_model  # noqa: E402
from tirconst.backend.ethos_u import (  # noqa: E402
    decode_operations,
    decode_words,
    read_stream_file,
)
from tirconst.backend.ethos_u.memcheck import check_memory  # noqa: E402


def best_of(fn, repeat: int = 5):  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    header = (
        f"{'model':<34} {'core':<6} {'words':>6} {'cmds':>6} {'ops':>4} "
        f"{'read s':>7} {'decode s':>9} {'cmds/s':>9} {'memchk s':>9} {'find':>4} "
        f"{'vela s':>7} {'vela/dec':>8}"
    )
    print(header)
    print("-" * len(header))
    total_cmds = total_time = 0.0
    compiled = []
    with tempfile.TemporaryDirectory() as tmp:
        for model in bundled_models():
            for core in CORES:
                start = time.perf_counter()
                result = compile_model(
                    model, core, "tflite", Path(tmp) / f"{model.stem}-{core}"
                )
                vela_s = time.perf_counter() - start
                if result.path is None:
                    print(f"{model.stem:<34} {core:<6} vela failed: {result.error}")
                    continue
                path = result.path
                compiled.append((model, core, path))
                read_s, stream = best_of(lambda p=path: read_stream_file(p))

                def decode(words=stream.words):  # type: ignore[no-untyped-def]
                    commands = decode_words(words)
                    return commands, decode_operations(commands)

                seconds, (commands, ops) = best_of(decode)
                check_s, report = best_of(
                    lambda ops=ops, s=stream: check_memory(
                        ops, s.region_sizes, s.inputs, s.outputs
                    ),
                    repeat=3,
                )
                total_cmds += len(commands)
                total_time += seconds
                print(
                    f"{model.stem:<34} {core:<6} {len(stream.words):>6} "
                    f"{len(commands):>6} {len(ops):>4} {read_s:>7.4f} "
                    f"{seconds:>9.4f} {len(commands) / seconds:>9.0f} "
                    f"{check_s:>9.3f} {len(report.findings):>4} {vela_s:>7.2f} "
                    f"{vela_s / (read_s + seconds):>8.0f}"
                )
        print("-" * len(header))
        print(
            f"total: {total_cmds:.0f} commands decoded in {total_time:.3f} s "
            f"= {total_cmds / total_time:.0f} commands/s"
        )
        print()
        run_table(compiled)  # while the compiled files exist
        print()
        kind_table(compiled)


def kind_table(compiled) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter

    from tests.vela_litert import op_agreement

    counts: Counter[tuple[str, str]] = Counter()
    for model, _core, path in compiled:
        counts.update(op_agreement(model, path, 0))
    kinds = sorted({k for k, _ in counts})
    header = f"{'op kind':<22} {'ops':>5} {'OFM = a LiteRT tensor':>22}"
    print(header)
    print("-" * len(header))
    for kind in kinds:
        n = counts[(kind, "equal")] + counts[(kind, "unmatched")]
        print(f"{kind:<22} {n:>5} {counts[(kind, 'equal')]:>22}")


def run_table(compiled) -> None:  # type: ignore[no-untyped-def]
    from tests.vela_litert import litert_tensors
    from tirconst.backend.ethos_u import disassemble
    from tirconst.backend.ethos_u.disasm_ir import npu_module
    from tirconst.interpreter.npu import run_stream

    header = (
        f"{'model':<34} {'core':<6} {'ir s':>7} {'run s':>7} {'litert s':>8} "
        f"{'equal':>11}"
    )
    print(header)
    print("-" * len(header))
    for model, core, path in compiled:
        ir_s, module = best_of(lambda p=path: npu_module(disassemble(p)), repeat=3)
        litert_s, reference = best_of(lambda m=model: litert_tensors(m, 0), repeat=3)
        tensors = module.ops.first.tensors()
        inputs = {
            t.tensor_name.data: reference[t.tensor_name.data].reshape(t.shape)
            for t in tensors
            if t.kind.data == "input"
        }
        run_s, got = best_of(lambda m=module, i=inputs: run_stream(m, i), repeat=3)
        equal = size = 0
        for t in tensors:
            if t.kind.data == "output":
                want = reference[t.tensor_name.data].reshape(t.shape)
                equal += int((got[t.tensor_name.data] == want).sum())
                size += want.size
        print(
            f"{model.stem:<34} {core:<6} {ir_s:>7.3f} {run_s:>7.3f} "
            f"{litert_s:>8.3f} {f'{equal}/{size}':>11}"
        )


if __name__ == "__main__":
    main()
