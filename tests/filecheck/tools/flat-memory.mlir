// Flat memory: the same program with its buffers placed in pools. A plan that
// reuses a dead buffer's bytes is equivalent to the unplanned program; one that
// overlaps two live buffers computes something else and is caught. A plan the
// verifier refuses (misaligned) is a one-line error.
//
// RUN: sed -e 's/ T[123]//' %s > %t.plain.mlir
// RUN: sed -e 's/T1/at <@sram, 0>/' -e 's/T2/at <@sram, 8>/' -e 's/T3/at <@sram, 0>/' %s > %t.good.mlir
// RUN: tirconst-run --check-equivalent %t.plain.mlir %t.good.mlir | filecheck %s --check-prefix=SAME
// RUN: sed -e 's/T1/at <@sram, 0>/' -e 's/T2/at <@sram, 0>/' -e 's/T3/at <@sram, 16>/' %s > %t.bad.mlir
// RUN: not tirconst-run --check-equivalent %t.plain.mlir %t.bad.mlir 2>&1 | filecheck %s --check-prefix=DIFF
// RUN: sed -e 's/T1/at <@sram, 3>/' -e 's/T2//' -e 's/T3//' -e 's/tir.pool @sram/tir.pool @sram alignment 4/' %s > %t.odd.mlir
// RUN: not tirconst-run %t.odd.mlir --random-inputs 0 2>&1 | filecheck %s --check-prefix=ALIGN

// SAME: equivalent: @main ({{[0-9]+}} trials, {{[0-9]+}} buffers compared bit for bit)
// DIFF: error: not equivalent: @main: out[{{[0-9]+}}]
// ALIGN: odd.mlir:[[# @LINE + 9]]:3: error: 'tir.allocate' op in @main: workspace: offset 3 is not a multiple of pool '@sram' alignment 4

// t1 = a + 1; t2[i] = t1[i] + t1[7 - i]; t3 = t2 * 2 (t1 is dead by then).
tir.pool @sram
tir.func @main(%a : !tir.buffer<8xi8>, %out : !tir.buffer<8xi8>) {
  %c0 = arith.constant 0 : index
  %c7 = arith.constant 7 : index
  %c8 = arith.constant 8 : index
  %one = arith.constant 1 : i8
  %t1 = tir.allocate T1 : !tir.buffer<8xi8>
  %t2 = tir.allocate T2 : !tir.buffer<8xi8>
  %t3 = tir.allocate T3 : !tir.buffer<8xi8>
  tir.for %i = %c0 to %c8 {
    %v = tir.buffer_load %a[%i] : !tir.buffer<8xi8>
    %w = arith.addi %v, %one : i8
    tir.buffer_store %w, %t1[%i] : !tir.buffer<8xi8>
  }
  tir.for %i = %c0 to %c8 {
    %j = arith.subi %c7, %i : index
    %x = tir.buffer_load %t1[%i] : !tir.buffer<8xi8>
    %y = tir.buffer_load %t1[%j] : !tir.buffer<8xi8>
    %s = arith.addi %x, %y : i8
    tir.buffer_store %s, %t2[%i] : !tir.buffer<8xi8>
  }
  tir.for %i = %c0 to %c8 {
    %x = tir.buffer_load %t2[%i] : !tir.buffer<8xi8>
    %d = arith.addi %x, %x : i8
    tir.buffer_store %d, %t3[%i] : !tir.buffer<8xi8>
  }
  tir.for %i = %c0 to %c8 {
    %x = tir.buffer_load %t3[%i] : !tir.buffer<8xi8>
    tir.buffer_store %x, %out[%i] : !tir.buffer<8xi8>
  }
}
