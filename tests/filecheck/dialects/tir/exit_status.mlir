// Bad input ends a plain `tirconst-opt` run with a non-zero exit status and
// exactly one line on stderr, `file:line:col: error: ...`: never a traceback.
// RUN: not tirconst-opt %S/Inputs/malformed.mlir 2>&1 | filecheck %s --check-prefix=MALFORMED
// RUN: not tirconst-opt %S/Inputs/unknown_op.mlir 2>&1 | filecheck %s --check-prefix=UNKNOWN
// RUN: not tirconst-opt %S/Inputs/shape_mismatch.mlir 2>&1 | filecheck %s --check-prefix=SHAPE
// RUN: not tirconst-opt %S/Inputs/dtype_mismatch.mlir 2>&1 | filecheck %s --check-prefix=DTYPE
// RUN: not tirconst-opt %S/Inputs/dangling_symbol.mlir 2>&1 | filecheck %s --check-prefix=DANGLING
// RUN: not tirconst-opt %S/Inputs/data_does_not_fit.mlir 2>&1 | filecheck %s --check-prefix=FIT
// RUN: not tirconst-opt %S/Inputs/elided.mlir 2>&1 | filecheck %s --check-prefix=ELIDED
// RUN: not tirconst-opt %S/Inputs/no_such_file.mlir 2>&1 | filecheck %s --check-prefix=MISSING

// MALFORMED-NOT: Traceback
// MALFORMED: {{^.*}}malformed.mlir:3:31: error: ']' expected{{$}}
// MALFORMED-NOT: {{.}}

// UNKNOWN-NOT: Traceback
// UNKNOWN: {{^.*}}unknown_op.mlir:2:17: error: Operation tir.zero_fill is not registered{{$}}
// UNKNOWN-NOT: {{.}}

// SHAPE-NOT: Traceback
// SHAPE: {{^.*}}shape_mismatch.mlir:3:3: error: 'tir.allocate_const' op in @main: '@weights': constant data has shape [2, 3], but the buffer has shape [3, 2]{{$}}
// SHAPE-NOT: {{.}}

// DTYPE-NOT: Traceback
// DTYPE: {{^.*}}dtype_mismatch.mlir:3:3: error: 'tir.allocate_const' op in @main: '@weights': constant data has element type i8, but the buffer holds ui8{{$}}
// DTYPE-NOT: {{.}}

// DANGLING-NOT: Traceback
// DANGLING: {{^.*}}dangling_symbol.mlir:3:3: error: 'tir.allocate_const' op in @main: '@wieghts' does not name a tir.constant{{$}}
// DANGLING-NOT: {{.}}

// FIT-NOT: Traceback
// FIT: {{^.*}}data_does_not_fit.mlir:2:27: error: constant data has 5 bytes, but [2] x i16 needs 4{{$}}
// FIT-NOT: {{.}}

// ELIDED-NOT: Traceback
// ELIDED: {{^.*}}elided.mlir:2:33: error: constant data was elided when this text was printed; elided text is for reading only and cannot be parsed back{{$}}
// ELIDED-NOT: {{.}}

// MISSING-NOT: Traceback
// MISSING: {{^.*}}no_such_file.mlir: error: cannot read: No such file or directory{{$}}
// MISSING-NOT: {{.}}
