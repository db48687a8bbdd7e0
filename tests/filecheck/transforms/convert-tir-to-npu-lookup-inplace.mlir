// convert-tir-to-npu: a table lookup fuses into the op before it also when
// the plan put that op in place on a dead input (its output is a view of the
// input's workspace, `tir-plan-memory{in-place}`), as long as no op after it
// reads that workspace: then the add writes the lookup's output through the
// table. When a later op reads the workspace (here a pool of %b, which holds
// the add's result), the add must still write it: the lookup is its own
// identity pool. Equivalent.
//
// RUN: tirconst-opt %s -p convert-tir-to-npu -o %t
// RUN: filecheck %s < %t
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// SAME: equivalent: @main

// CHECK:      npu.command_stream @main_npu0 "ethos-u55-128" {
// CHECK:        npu.dma
// CHECK-NEXT:   npu.elementwise {op_type = "add", {{.*}}ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 64, {{.*}}activation = #npu.activation<table>}
// CHECK-NEXT:   npu.pooling {pool_type = "max",
// CHECK-NEXT:   npu.elementwise {op_type = "add", {{.*}}ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 256, {{[^}]*}}>, block_config = array<i64: {{[0-9, ]+}}>}{{$}}
// CHECK-NEXT:   npu.pooling {pool_type = "average", ifm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 256>, ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 128>, {{.*}}activation = #npu.activation<table>}
// CHECK-NEXT:   npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 256>, ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 320>
// CHECK-NEXT: }

tir.pool @flash read_only alignment 16
tir.pool @sram alignment 16
tir.constant @tanh = dense<"0x8080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808081818181818181818282828282838384848585868788888A8B8C8E8F919396989B9FA2A6AAAFB4B9BFC5CBD2D9E1E8F0F8000810181F272E353B41474C51565A5E6165686A6D6F71727475767878797A7B7B7C7C7D7D7E7E7E7E7E7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F"> : tensor<256xi8> at <@flash, 0>
tir.func @main(%x : !tir.buffer<1x2x2x16xi8>, %z : !tir.buffer<1x2x2x16xi8>, %z2 : !tir.buffer<1x2x2x16xi8>, %z3 : !tir.buffer<1x2x2x16xi8>)
    attributes {param_placement = {x = #tir.place<@sram, 0>, z = #tir.place<@sram, 64>,
                 z2 = #tir.place<@sram, 128>, z3 = #tir.place<@sram, 320>}} {
  %t = tir.allocate_const @tanh : !tir.buffer<256xi8>
  %a = tir.allocate at <@sram, 192> : !tir.buffer<1x2x2x16xi8>
  tir.max_pool2d ins(%x : !tir.buffer<1x2x2x16xi8>) outs(%a : !tir.buffer<1x2x2x16xi8>) {window = array<i64: 1, 1>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127}
  %s = tir.decl_buffer %a[0] : !tir.buffer<1x2x2x16xi8> -> !tir.buffer<1x2x2x16xi8>
  tir.add ins(%a, %x : !tir.buffer<1x2x2x16xi8>, !tir.buffer<1x2x2x16xi8>) outs(%s : !tir.buffer<1x2x2x16xi8>) {lhs_zp = 1 : i64, rhs_zp = 1 : i64, output_zp = -6 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1191877786 : i64, rhs_shift = -2 : i64, output_multiplier = 2076794193 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64, lhs_scale = 0.00862479117 : f32, rhs_scale = 0.00239342847 : f32, output_scale = 8.918360e-03 : f32}
  tir.lookup ins(%s, %t : !tir.buffer<1x2x2x16xi8>, !tir.buffer<256xi8>) outs(%z : !tir.buffer<1x2x2x16xi8>)
  %b = tir.allocate at <@sram, 256> : !tir.buffer<1x2x2x16xi8>
  tir.max_pool2d ins(%x : !tir.buffer<1x2x2x16xi8>) outs(%b : !tir.buffer<1x2x2x16xi8>) {window = array<i64: 1, 1>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127}
  %s2 = tir.decl_buffer %b[0] : !tir.buffer<1x2x2x16xi8> -> !tir.buffer<1x2x2x16xi8>
  tir.add ins(%b, %x : !tir.buffer<1x2x2x16xi8>, !tir.buffer<1x2x2x16xi8>) outs(%s2 : !tir.buffer<1x2x2x16xi8>) {lhs_zp = 1 : i64, rhs_zp = 1 : i64, output_zp = -6 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1191877786 : i64, rhs_shift = -2 : i64, output_multiplier = 2076794193 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64, lhs_scale = 0.00862479117 : f32, rhs_scale = 0.00239342847 : f32, output_scale = 8.918360e-03 : f32}
  tir.lookup ins(%s2, %t : !tir.buffer<1x2x2x16xi8>, !tir.buffer<256xi8>) outs(%z2 : !tir.buffer<1x2x2x16xi8>)
  tir.max_pool2d ins(%b : !tir.buffer<1x2x2x16xi8>) outs(%z3 : !tir.buffer<1x2x2x16xi8>) {window = array<i64: 1, 1>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127}
}
