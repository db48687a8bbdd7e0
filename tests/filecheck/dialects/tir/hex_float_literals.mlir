// Hex literals in a dense list of floats are bit patterns, as in MLIR
// (0x7FC00000 is nan, 0x3F800000 is 1.0, f16 0x3C00 is 1.0): the tir syntax
// is ours, so plain xdsl-opt reads them the same as tirconst-opt.
// RUN: xdsl-opt %s | filecheck %s
// RUN: tirconst-opt %s | filecheck %s
// RUN: tirconst-run %s | filecheck %s --check-prefix=EXEC

tir.func @main(%f : !tir.buffer<2xf32>, %h : !tir.buffer<2xf16>, %i : !tir.buffer<2xi8>) {
  %a = tir.allocate_const dense<[0x7FC00000, 0x3F800000]> : !tir.buffer<2xf32>
  %b = tir.allocate_const dense<[0x3C00, 1.5]> : !tir.buffer<2xf16>
  %c = tir.allocate_const dense<[0x10, -0x1]> : !tir.buffer<2xi8>
  tir.copy ins(%a : !tir.buffer<2xf32>) outs(%f : !tir.buffer<2xf32>)
  tir.copy ins(%b : !tir.buffer<2xf16>) outs(%h : !tir.buffer<2xf16>)
  tir.copy ins(%c : !tir.buffer<2xi8>) outs(%i : !tir.buffer<2xi8>)
}
tir.constant @t = dense<[0x3F800000, 0x40000000]> : tensor<2xf32>

// CHECK: tir.allocate_const dense<"0x0000c07f0000803f"> : !tir.buffer<2xf32>
// CHECK: tir.allocate_const dense<[1.0, 1.5]> : !tir.buffer<2xf16>
// CHECK: tir.allocate_const dense<[16, -1]> : !tir.buffer<2xi8>
// CHECK: tir.constant @t = dense<[1.0, 2.0]> : tensor<2xf32>

// EXEC-LABEL: @main:
// EXEC-NEXT: %f = [nan, 1.0] : float32
// EXEC-NEXT: %h = [1.0, 1.5] : float16
// EXEC-NEXT: %i = [16, -1] : int8

// A bit pattern has no sign and must fit the type.
// RUN: not xdsl-opt %S/Inputs/hex_float_bad.mlir 2>&1 | filecheck %s --check-prefix=BAD
// RUN: not tirconst-opt %S/Inputs/hex_float_bad.mlir 2>&1 | filecheck %s --check-prefix=BAD
// BAD: hex literal 0x1ffff is not a 16-bit pattern for float16
