"""`tirconst-run`: run a tir function or an npu command stream on numpy data, or
check that two programs (tir or npu) compute the same thing.

    tirconst-run prog.mlir --inputs in.npz --outputs out.npz [--function main]
    tirconst-run prog.mlir --random-inputs 7          # prints the outputs
    tirconst-run --check-equivalent before.mlir after.mlir [--seed N] [--trials K]

Bad input, a failing program and inequivalent programs all print one line on
stderr and exit 1.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

import numpy as np

from tirconst.core.context import context
from tirconst.core.diagnostics import ToolError, error_line, parse_module
from tirconst.core.files import atomic_output
from tirconst.interpreter import Program, check_equivalent
from tirconst.interpreter.npu import program_of
from tirconst.tools.driver import reading, reports_errors

TOOL = "tirconst-run"
_SPLIT = re.compile(r"^// -----\s*$", re.MULTILINE)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        print(error_line(message, TOOL), file=sys.stderr)
        sys.exit(2)


def _at_least(minimum: int):
    """An argparse type: a plain decimal integer >= minimum."""

    def parse(text: str) -> int:
        if not re.fullmatch(r"-?[0-9]+", text, re.ASCII):
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}")
        if int(text) < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {text}")
        return int(text)

    return parse


def _arguments() -> _Parser:
    p = _Parser(prog=TOOL, description=__doc__.split("\n\n")[0])
    p.add_argument("files", nargs="+", metavar="FILE", help="input .mlir ('-' = stdin)")
    p.add_argument(
        "--function", default=None, help="the tir.func to run (default main)"
    )
    src = p.add_mutually_exclusive_group()
    src.add_argument(
        "--inputs", metavar="IN.npz", help="inputs keyed by parameter name"
    )
    src.add_argument(
        "--random-inputs",
        type=_at_least(0),
        metavar="SEED",
        help="seeded random inputs",
    )
    p.add_argument(
        "--outputs", metavar="OUT.npz", help="write every parameter's result"
    )
    p.add_argument(
        "--print",
        action="store_true",
        help="print the results (default without --outputs)",
    )
    p.add_argument(
        "--check-equivalent",
        action="store_true",
        help="FILE is BEFORE AFTER: run both on the same random inputs and compare "
        "every parameter bit for bit (all functions of BEFORE unless --function)",
    )
    p.add_argument(
        "--seed", type=_at_least(0), default=0, help="first trial's seed (default 0)"
    )
    p.add_argument(
        "--trials", type=_at_least(1), default=3, help="random trials (default 3)"
    )
    p.add_argument(
        "--split-input-file",
        action="store_true",
        help="split inputs at '// -----' lines and handle each chunk on its own",
    )
    return p


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.buffer.read().decode("utf-8")
    with open(path, encoding="utf-8") as f:
        return f.read()


def _chunks(path: str, split: bool) -> list[Program]:
    """The programs in a file: one, or one per `// -----` chunk."""
    name = "<stdin>" if path == "-" else path
    try:
        text = _read(path)
    except UnicodeDecodeError as e:
        raise ToolError(error_line(f"not UTF-8 text: {e.reason}", name)) from None
    except OSError as e:
        raise ToolError(error_line(f"cannot read: {e.strerror}", name)) from None
    if not split:
        return [program_of(parse_module(context(), text, name), name)]
    programs, line = [], 0
    for chunk in _SPLIT.split(text):
        programs.append(program_of(parse_module(context(), chunk, name, line), name))
        line += chunk.count("\n")
    return programs


def _load_inputs(path: str) -> dict[str, np.ndarray]:
    """The arrays of an .npz archive; anything else is a one-line error."""
    # numpy and zipfile raise many kinds for a damaged archive (EOFError,
    # BadZipFile, NotImplementedError for a compression method, RuntimeError
    # for encryption, zlib.error...): each is the file's fault.
    try:
        data = np.load(path, allow_pickle=False)
    except EOFError:
        raise ToolError(error_line("cannot read inputs: empty file", path)) from None
    except Exception as e:  # noqa: BLE001 - see above
        raise ToolError(error_line(f"cannot read inputs: {e}", path)) from None
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise ToolError(
            error_line(
                "not an .npz archive (a single .npy array has no "
                "parameter names; save with numpy.savez(path, name=array))",
                path,
            )
        )
    try:
        with data:
            arrays = {k: data[k] for k in data.files}
    except Exception as e:  # noqa: BLE001 - a damaged member, as above
        raise ToolError(error_line(f"cannot read inputs: {e}", path)) from None
    for key, array in arrays.items():
        # numpy hands back the raw bytes of a member that is not an .npy array.
        if not isinstance(array, np.ndarray) or array.dtype.kind not in "biuf":
            raise ToolError(error_line(f"{key!r} is not a numeric array", path))
    return arrays


def format_array(a: np.ndarray) -> str:
    """Nested `[1, -2]` lists, every element shown (floats: shortest round trip)."""
    if a.ndim == 0:
        v = a[()]
        return ("true" if v else "false") if a.dtype == np.bool_ else str(v)
    return "[" + ", ".join(format_array(x) for x in a) + "]"


def _print(name: str, outputs: dict[str, np.ndarray]) -> None:
    print(f"@{name}:")
    for key, value in outputs.items():
        print(f"  %{key} = {format_array(value)} : {value.dtype}")


def _run(args: argparse.Namespace) -> None:
    if len(args.files) != 1:
        raise ToolError(
            error_line("expected one FILE (or --check-equivalent A B)", TOOL)
        )
    programs = _chunks(args.files[0], args.split_input_file)
    if args.inputs is not None:
        given = _load_inputs(args.inputs)
    saved: dict[str, np.ndarray] = {}
    for i, program in enumerate(programs):
        name = args.function or _default_function(program)
        fn = program.function(name)
        if args.inputs is not None:
            inputs = given
        elif args.random_inputs is not None:
            from tirconst.interpreter.program import random_inputs

            inputs = random_inputs(program, name, args.random_inputs)
        else:
            inputs = {}
        outputs = fn(inputs)
        if i:
            print("// -----")
        if args.print or args.outputs is None:
            _print(name, outputs)
        prefix = f"{i}/" if len(programs) > 1 else ""
        saved.update({prefix + k: v for k, v in outputs.items()})
    if args.outputs is not None:
        # Exactly the path given (numpy would add `.npz` to a name), whole.
        with atomic_output(args.outputs, binary=True) as out:
            np.savez(out, **saved)


def _default_function(program: Program) -> str:
    """main, or the only function there is."""
    funcs = program.functions()
    if program.find_function("main") is None and len(funcs) == 1:
        return funcs[0].sym_name.data
    return "main"


def _check(args: argparse.Namespace) -> None:
    if len(args.files) != 2:
        raise ToolError(
            error_line("--check-equivalent takes two files, BEFORE AFTER", TOOL)
        )
    if args.inputs is not None or args.random_inputs is not None or args.outputs:
        raise ToolError(
            error_line("--check-equivalent makes its own inputs (use --seed)", TOOL)
        )
    before = _chunks(args.files[0], args.split_input_file)
    after = _chunks(args.files[1], args.split_input_file)
    if len(before) != len(after):
        raise ToolError(
            error_line(
                f"{len(before)} chunks in {args.files[0]} but "
                f"{len(after)} in {args.files[1]}",
                TOOL,
            )
        )
    for b, a in zip(before, after, strict=True):
        result = check_equivalent(b, a, args.function, args.seed, args.trials)
        names = ", ".join("@" + f for f in result.functions)
        print(
            f"equivalent: {names} ({result.trials} trials, {result.buffers} buffers "
            "compared bit for bit)"
        )


@reports_errors(TOOL)
def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of `tirconst-run`."""
    args = _arguments().parse_args(argv)
    with reading(args.files[0] if len(args.files) == 1 else " ".join(args.files)):
        if args.check_equivalent:
            _check(args)
        else:
            _run(args)


if __name__ == "__main__":
    main()
