// The equivalence check: a program is equivalent to itself, and a deliberately
// changed program (squares replaced by doubles) must be reported, naming the
// first differing buffer and index.
//
// RUN: tirconst-run --check-equivalent %s %s | filecheck %s --check-prefix=SAME
// RUN: tirconst-opt %s | tirconst-run --check-equivalent %s - --trials 5 --seed 3 | filecheck %s --check-prefix=SAME
// RUN: sed -e 's/arith.muli %a32, %a32/arith.addi %a32, %a32/' %s > %t
// RUN: not tirconst-run --check-equivalent %s %t 2>&1 | filecheck %s --check-prefix=DIFF
// RUN: not tirconst-run --check-equivalent %s %t --function main 2>&1 | filecheck %s --check-prefix=DIFF
// RUN: not tirconst-run --check-equivalent %s %s --function nope 2>&1 | filecheck %s --check-prefix=NOFUNC
// RUN: not tirconst-run --check-equivalent %s 2>&1 | filecheck %s --check-prefix=ONEFILE

// SAME: equivalent: @main ({{[0-9]+}} trials, {{[0-9]+}} buffers compared bit for bit)
// DIFF: error: not equivalent: @main: C[{{[0-9]+}}] is {{-?[0-9]+}} before and {{-?[0-9]+}} after
// DIFF-SAME: trial 0, inputs seeded with 0
// NOFUNC: error: no tir.func @nope (it has @main)
// ONEFILE: tirconst-run: error: --check-equivalent takes two files, BEFORE AFTER

tir.func @main(%A : !tir.buffer<8xi8>, %C : !tir.buffer<8xi32>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  tir.for %i = %c0 to %c8 {
    %a = tir.buffer_load %A[%i] : !tir.buffer<8xi8>
    %a32 = arith.extsi %a : i8 to i32
    %s = arith.muli %a32, %a32 : i32
    tir.buffer_store %s, %C[%i] : !tir.buffer<8xi32>
  }
}
