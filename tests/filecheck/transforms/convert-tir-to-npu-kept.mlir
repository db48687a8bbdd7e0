// A TFLite operator tir does not model (`tir.tflite_operator`, what the
// importer makes of DEPTH_TO_SPACE) stays on the CPU: the memory plan hands
// the buffers it reads and writes over in the arena (a dedicated-SRAM
// system: %b and %c in @arena, %a, which only the NPU touches, in the
// @sram cache), convert-tir-to-npu ends the NPU segment before it and
// starts another after it, marks it `npu_cpu` with the reason naming the
// operator, and says so in a remark. Its invokes list the model operators
// around it, never it (the written model keeps it). The tir interpreter
// cannot run it: a one-line error naming it, from either program (so no
// equivalence check here; tests/test_kept_operators.py checks each NPU
// segment of such a model against LiteRT).
//
// RUN: tirconst-opt %s -p 'tir-plan-memory{cache-size=1024}' -o %t.plan.mlir
// RUN: filecheck %s --check-prefix=PLAN --input-file %t.plan.mlir
// RUN: tirconst-opt %t.plan.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s --input-file %t
// RUN: filecheck %s --check-prefix=REMARK --input-file %t.err
// RUN: not tirconst-run %s --random-inputs 0 2>&1 | filecheck %s --check-prefix=INTERP
// RUN: not tirconst-run --check-equivalent %t.plan.mlir %t 2>&1 | filecheck %s --check-prefix=INTERP

// PLAN:      %a = tir.allocate at <@sram,
// PLAN:      %b = tir.allocate at <@arena,
// PLAN:      %c = tir.allocate at <@arena,

// CHECK:      npu.invoke @main_npu0 {{.*}} {tflite.operators = array<i64: 0, 1>}
// CHECK-NEXT: %c = tir.allocate
// CHECK-NEXT: tir.tflite_operator ins(%b : !tir.buffer<1x2x2x16xi8>) outs(%c : !tir.buffer<1x4x4x4xi8>) {opcode = "DEPTH_TO_SPACE", version = 2 : i64, tflite.index = 2 : i64, npu_cpu = "DEPTH_TO_SPACE: a TFLite operator tirconst does not import (kept as it is)"}
// CHECK-NEXT: npu.invoke @main_npu1 ins(%c : {{.*}}) outs(%output0 : {{.*}}) {tflite.operators = array<i64: 3>}

// REMARK: convert-tir-to-npu: remark: 'tir.tflite_operator' op in @main stays on the CPU: DEPTH_TO_SPACE: a TFLite operator tirconst does not import (kept as it is)

// INTERP-NOT: Traceback
// INTERP: {{.*}}.mlir:{{[0-9]+}}:{{[0-9]+}}: error: 'tir.tflite_operator' op in @main: DEPTH_TO_SPACE is a TFLite operator tir does not model: the tir interpreter cannot run it (LiteRT does)
// INTERP-NOT: Traceback

tir.func @main(%input0 : !tir.buffer<1x4x4x16xi8>, %output0 : !tir.buffer<1x4x4x4xi8>) {
  %a = tir.allocate : !tir.buffer<1x4x4x16xi8>
  tir.max_pool2d ins(%input0 : !tir.buffer<1x4x4x16xi8>) outs(%a : !tir.buffer<1x4x4x16xi8>)
      {window = array<i64: 1, 1>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127, tflite.index = 0 : i64}
  %b = tir.allocate : !tir.buffer<1x2x2x16xi8>
  tir.max_pool2d ins(%a : !tir.buffer<1x4x4x16xi8>) outs(%b : !tir.buffer<1x2x2x16xi8>)
      {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127, tflite.index = 1 : i64}
  %c = tir.allocate : !tir.buffer<1x4x4x4xi8>
  tir.tflite_operator ins(%b : !tir.buffer<1x2x2x16xi8>) outs(%c : !tir.buffer<1x4x4x4xi8>)
      {opcode = "DEPTH_TO_SPACE", version = 2, tflite.index = 2 : i64}
  tir.max_pool2d ins(%c : !tir.buffer<1x4x4x4xi8>) outs(%output0 : !tir.buffer<1x4x4x4xi8>)
      {window = array<i64: 1, 1>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127, tflite.index = 3 : i64}
}
