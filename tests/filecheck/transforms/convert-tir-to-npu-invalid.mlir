// RUN: tirconst-opt %s --split-input-file --verify-diagnostics -p convert-tir-to-npu | filecheck %s
// RUN: not tirconst-opt %s --split-input-file -p convert-tir-to-npu 2>&1 | filecheck %s --check-prefix=EXIT
// RUN: not tirconst-opt %s --split-input-file -p 'convert-tir-to-npu{accelerator=ethos-u99}' 2>&1 | filecheck %s --check-prefix=ACC

// Plain xdsl-opt: the pass fails the xDSL way (a PassFailedException naming
// the op), so --verify-diagnostics prints it as one line, as for xDSL's own
// passes. (Without that flag xdsl-opt shows a traceback for every
// diagnostic, its own verifier's included; tirconst-opt prints one line.)
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics -p convert-tir-to-npu 2>&1 | filecheck %s --check-prefix=XDSL
// RUN: not xdsl-opt %s --split-input-file -p convert-tir-to-npu 2>&1 | filecheck %s --check-prefix=XDSL-RAISE

// ACC: error: convert-tir-to-npu: unknown accelerator 'ethos-u99' (known: ethos-u55-32,

// The NPU addresses planned memory: an unplaced buffer of an op that would
// go to the NPU is an error naming the op and the buffer.
// XDSL-NOT: Traceback
// XDSL: {{^}}error: 'tir.max_pool2d' op in @main: convert-tir-to-npu: buffer %p has no placement (run tir-plan-memory first: the NPU addresses planned memory)
// XDSL-RAISE: {{^}}tirconst.core.diagnostics.PassFailedAt: error: 'tir.max_pool2d' op in @main: convert-tir-to-npu: buffer %p has no placement
// CHECK: convert-tir-to-npu-invalid.mlir:[[# @LINE + 7]]:3: error: 'tir.max_pool2d' op in @main: convert-tir-to-npu: buffer %p has no placement (run tir-plan-memory first: the NPU addresses planned memory)
// EXIT: error: 'tir.max_pool2d' op in @main: convert-tir-to-npu: buffer %p has no placement
// EXIT-NOT: Traceback
tir.pool @sram alignment 16
tir.func @main(%input0 : !tir.buffer<1x4x4x16xi8>, %output0 : !tir.buffer<1x2x2x16xi8>)
    attributes {param_placement = {input0 = #tir.place<@sram, 0>, output0 = #tir.place<@sram, 256>}} {
  %p = tir.allocate : !tir.buffer<1x2x2x16xi8>
  tir.max_pool2d ins(%input0 : !tir.buffer<1x4x4x16xi8>) outs(%p : !tir.buffer<1x2x2x16xi8>)
      {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127}
  tir.copy ins(%p : !tir.buffer<1x2x2x16xi8>) outs(%output0 : !tir.buffer<1x2x2x16xi8>)
}

// -----

// A convolution the NPU could run, with raw weights: run tir-encode-weights.
// XDSL-NOT: Traceback
// XDSL: {{^}}error: 'tir.conv2d' op in @main: convert-tir-to-npu: its weights are not encoded
// XDSL-NOT: Traceback
// CHECK: convert-tir-to-npu-invalid.mlir:[[# @LINE + 7]]:3: error: 'tir.conv2d' op in @main: convert-tir-to-npu: its weights are not encoded (run tir-encode-weights first: the NPU reads encoded weight streams)
tir.pool @flash read_only alignment 16
tir.pool @sram alignment 16
tir.constant @w = dense<"0x01010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101"> : tensor<16x1x1x16xi8> at <@flash, 0>
tir.func @main(%input0 : !tir.buffer<1x4x4x16xi8>, %output0 : !tir.buffer<1x4x4x16xi8>)
    attributes {param_placement = {input0 = #tir.place<@sram, 0>, output0 = #tir.place<@sram, 256>}} {
  %w = tir.allocate_const @w : !tir.buffer<16x1x1x16xi8>
  tir.conv2d ins(%input0, %w : !tir.buffer<1x4x4x16xi8>, !tir.buffer<16x1x1x16xi8>)
      outs(%output0 : !tir.buffer<1x4x4x16xi8>)
      {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
       input_zp = 0, output_zp = 0,
       multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824>,
       shift = array<i32: -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4>,
       act_min = -128, act_max = 127}
}
