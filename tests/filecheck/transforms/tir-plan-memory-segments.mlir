// RUN: tirconst-opt %s -p 'tir-plan-memory{cache-size=1024}' | filecheck %s
// RUN: tirconst-opt %s -p 'tir-plan-memory{cache-size=1024}' -o %t.mlir
// RUN: tirconst-run --check-equivalent %s %t.mlir | filecheck %s --check-prefix=SAME

// With a cache (`cache-size`), what the model's runtime hands over goes to
// the arena: the parameters, what an op that stays on the CPU reads or
// writes, and what one NPU segment leaves for a later one across a CPU op
// (each segment is its own call of the runtime's NPU operator; the cache
// does not outlive it). Everything else goes to the cache.

// %a is written before the pad (a CPU op that does not read it) and read
// after it: handed over from segment 0 to segment 1, in the arena. %b and
// %p are the pad's, in the arena; %c lives within segment 1, in the cache.
// CHECK-LABEL: tir.func @main
// CHECK:         %a = tir.allocate at <@arena,
// CHECK:         %b = tir.allocate at <@arena,
// CHECK:         %p = tir.allocate at <@arena,
// CHECK:         %c = tir.allocate at <@sram,

// The same without the pad: one segment, everything between the
// parameters in the cache.
// CHECK-LABEL: tir.func @npu_only
// CHECK:         %a = tir.allocate at <@sram,
// CHECK:         %b = tir.allocate at <@sram,
// CHECK:         %c = tir.allocate at <@sram,

// SAME: equivalent: @main, @npu_only (3 trials, 12 buffers compared bit for bit)

builtin.module {
  tir.func @main(%x : !tir.buffer<1x8x8x4xi8>, %y : !tir.buffer<1x8x8x4xi8>) {
    %a = tir.allocate : !tir.buffer<1x8x8x4xi8>
    tir.max_pool2d ins(%x : !tir.buffer<1x8x8x4xi8>) outs(%a : !tir.buffer<1x8x8x4xi8>) {window = array<i64: 3, 3>, stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, act_min = -128 : i64, act_max = 127 : i64}
    %b = tir.allocate : !tir.buffer<1x8x8x4xi8>
    tir.avg_pool2d ins(%a : !tir.buffer<1x8x8x4xi8>) outs(%b : !tir.buffer<1x8x8x4xi8>) {window = array<i64: 3, 3>, stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, act_min = -128 : i64, act_max = 127 : i64}
    %p = tir.allocate : !tir.buffer<1x10x10x4xi8>
    tir.pad ins(%b : !tir.buffer<1x8x8x4xi8>) outs(%p : !tir.buffer<1x10x10x4xi8>) {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, pad_value = -128 : i64}
    %c = tir.allocate : !tir.buffer<1x8x8x4xi8>
    tir.max_pool2d ins(%p : !tir.buffer<1x10x10x4xi8>) outs(%c : !tir.buffer<1x8x8x4xi8>) {window = array<i64: 3, 3>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
    tir.add ins(%a, %c : !tir.buffer<1x8x8x4xi8>, !tir.buffer<1x8x8x4xi8>) outs(%y : !tir.buffer<1x8x8x4xi8>) {lhs_zp = 1 : i64, rhs_zp = -2 : i64, output_zp = 3 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1073741824 : i64, rhs_shift = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -20 : i64, act_min = -128 : i64, act_max = 127 : i64, lhs_scale = 1.0 : f32, rhs_scale = 1.0 : f32, output_scale = 4.0 : f32}
  }
  tir.func @npu_only(%x : !tir.buffer<1x8x8x4xi8>, %y : !tir.buffer<1x8x8x4xi8>) {
    %a = tir.allocate : !tir.buffer<1x8x8x4xi8>
    tir.max_pool2d ins(%x : !tir.buffer<1x8x8x4xi8>) outs(%a : !tir.buffer<1x8x8x4xi8>) {window = array<i64: 3, 3>, stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, act_min = -128 : i64, act_max = 127 : i64}
    %b = tir.allocate : !tir.buffer<1x8x8x4xi8>
    tir.avg_pool2d ins(%a : !tir.buffer<1x8x8x4xi8>) outs(%b : !tir.buffer<1x8x8x4xi8>) {window = array<i64: 3, 3>, stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, act_min = -128 : i64, act_max = 127 : i64}
    %c = tir.allocate : !tir.buffer<1x8x8x4xi8>
    tir.max_pool2d ins(%b : !tir.buffer<1x8x8x4xi8>) outs(%c : !tir.buffer<1x8x8x4xi8>) {window = array<i64: 3, 3>, stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, act_min = -128 : i64, act_max = 127 : i64}
    tir.add ins(%a, %c : !tir.buffer<1x8x8x4xi8>, !tir.buffer<1x8x8x4xi8>) outs(%y : !tir.buffer<1x8x8x4xi8>) {lhs_zp = 1 : i64, rhs_zp = -2 : i64, output_zp = 3 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1073741824 : i64, rhs_shift = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -20 : i64, act_min = -128 : i64, act_max = 127 : i64, lhs_scale = 1.0 : f32, rhs_scale = 1.0 : f32, output_scale = 4.0 : f32}
  }
}
