"""Analyses over tir IR that passes share.

- `index_ranges`: the interval of values an index expression takes.
- `constant_uses`: which ops read which region of a constant (`Box`), through
  views; dynamic reads are reported with the reason.
- `scalar_eval`: TIR/arith scalar semantics on constants, for folding.
- `constant_report`: the per-constant statistics table that passes extend with
  their own columns.
"""
