"""Passes over tir IR, one `ModulePass` per module (`xdsl-opt -p <name>`).

Constant lifecycle (RFC 0022), see docs/passes.md:

- `bind_params`: `tir-bind-params{file=PATH func=NAME param=NAME}` turns
  parameters into `tir.allocate_const`s holding an `.npz`/`.npy`'s data.
- `extract_constants`: `tir-extract-constants{prefix=STR}` moves inline data
  to module `tir.constant`s, one per distinct content.
- `inline_constants`: `tir-inline-constants`, the inverse.
- `fold_constants`: `tir-fold-constants` folds constant reads and scalar
  arithmetic; constants whose reads all fold go.
- `slice_constants`: `tir-slice-constants{quiet=BOOL}` gives each group of
  users a constant of exactly the region it reads.
- `constant_report`: `tir-constant-report{file=PATH}` prints the constant
  table (extensible, see `tirconst.analysis.constant_report`).
"""
