// convert-tir-to-npu records provenance, the backend does not reconstruct it:
// each npu op keeps the `tflite.index` of the operator op it was lowered
// from, and each npu.invoke lists in `tflite.operators` every model operator
// its stream replaces: its ops', what was fused into them (`tflite.fused`, a
// folded PAD) and the views (a RESHAPE) met while its run was open. A model
// operator that stays on the CPU (a DEQUANTIZE) is in no invoke's list.
// Each npu op also has the `tflite.part` of its operator op: which of the
// ops computing that model operator it is (two tiles of operator 7 below:
// parts 0 and 1); an op computing no model operator (a copy staging the
// first tile's input) lowers to npu ops with the provenance of the op that
// reads what it writes. The per-layer CSV groups the estimate by these.
//
// RUN: tirconst-opt %s -p 'convert-tir-to-npu{remarks=false}' -o %t
// RUN: filecheck %s < %t
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// SAME: equivalent: @main, @parts

// CHECK:      tir.func @main
// CHECK:        npu.invoke @main_npu0 {{.*}} {tflite.operators = array<i64: 0, 1, 2, 3>}
// CHECK:        tir.dequantize {{.*}}tflite.index = 4
// CHECK:        npu.invoke @main_npu1 {{.*}} {tflite.operators = array<i64: 5>}
// CHECK:      npu.command_stream @main_npu0
// CHECK:        npu.pooling {tflite.index = 0 : i64, tflite.part = 0 : i64, pool_type = "max"
// CHECK:        npu.pooling {tflite.index = 2 : i64, tflite.part = 0 : i64, pool_type = "average"
// CHECK:      npu.command_stream @main_npu1
// CHECK:        npu.pooling {tflite.index = 5 : i64, tflite.part = 0 : i64, pool_type = "max"
// CHECK:      npu.command_stream @parts_npu2
// CHECK:        npu.dma {tflite.index = 7 : i64, tflite.part = 0 : i64
// CHECK-NEXT:   npu.pooling {tflite.index = 7 : i64, tflite.part = 0 : i64, pool_type = "max"
// CHECK-NEXT:   npu.pooling {tflite.index = 7 : i64, tflite.part = 1 : i64, pool_type = "max"

tir.pool @sram size 1024 alignment 16
tir.func @main(%input0 : !tir.buffer<1x4x4x16xi8>, %output0 : !tir.buffer<1x2x2x16xi8>,
               %output1 : !tir.buffer<1x2x2x16xf32>, %output2 : !tir.buffer<1x1x1x16xi8>)
    attributes {param_placement = {input0 = #tir.place<@sram, 0>,
                 output0 = #tir.place<@sram, 512>, output1 = #tir.place<@sram, 768>,
                 output2 = #tir.place<@sram, 576>}} {
  %p = tir.allocate at <@sram, 256> : !tir.buffer<1x2x2x16xi8>
  tir.max_pool2d ins(%input0 : !tir.buffer<1x4x4x16xi8>) outs(%p : !tir.buffer<1x2x2x16xi8>)
      {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127, tflite.index = 0 : i64}
  %v = tir.reshape %p {tflite.index = 1 : i64} : !tir.buffer<1x2x2x16xi8> -> !tir.buffer<1x2x2x16xi8>
  tir.requantize ins(%v : !tir.buffer<1x2x2x16xi8>) outs(%output0 : !tir.buffer<1x2x2x16xi8>)
      {scale = 0.25 : f32, zero_point = -1, input_zp = 3,
       multiplier = 1073741824, shift = 2, input_scale = 0.5 : f32,
       tflite.index = 2 : i64, tflite.fused = array<i64: 3>}
  tir.dequantize ins(%output0 : !tir.buffer<1x2x2x16xi8>) outs(%output1 : !tir.buffer<1x2x2x16xf32>)
      {scale = 0.25 : f32, zero_point = -1, tflite.index = 4 : i64}
  tir.max_pool2d ins(%output0 : !tir.buffer<1x2x2x16xi8>) outs(%output2 : !tir.buffer<1x1x1x16xi8>)
      {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127, tflite.index = 5 : i64}
}

tir.func @parts(%x : !tir.buffer<1x4x4x16xi8>, %y : !tir.buffer<1x2x2x16xi8>)
    attributes {param_placement = {x = #tir.place<@sram, 0>, y = #tir.place<@sram, 576>}} {
  %a = tir.allocate at <@sram, 256> : !tir.buffer<1x4x4x16xi8>
  tir.copy ins(%x : !tir.buffer<1x4x4x16xi8>) outs(%a : !tir.buffer<1x4x4x16xi8>)
  %t = tir.allocate at <@sram, 512> : !tir.buffer<1x2x2x16xi8>
  tir.max_pool2d ins(%a : !tir.buffer<1x4x4x16xi8>) outs(%t : !tir.buffer<1x2x2x16xi8>)
      {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127, tflite.index = 7 : i64}
  tir.max_pool2d ins(%t : !tir.buffer<1x2x2x16xi8>) outs(%y : !tir.buffer<1x2x2x16xi8>)
      {window = array<i64: 1, 1>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127, tflite.index = 7 : i64}
}
