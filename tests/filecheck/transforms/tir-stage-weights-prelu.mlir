// RUN: tirconst-opt %s -p 'tir-legalize-npu,tir-stage-weights{by-cost=ethos-u55-128}' | filecheck %s
// RUN: tirconst-opt %s -p 'tir-legalize-npu,tir-stage-weights{by-cost=ethos-u55-128}' -o %t
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// A PRELU's MUL re-reads its alpha (16 bytes, one per channel) for every
// output element: from flash, a burst per element; the cycle model says
// the op is faster with the alpha copied into SRAM first, even with the
// copy unhidden (the first op), so tir-stage-weights{by-cost} stages it
// (block_choice._operand_staging_cycles: the RereadsOperand trait).
// SAME: equivalent: @main
// CHECK-LABEL: tir.func @main
// CHECK:         %a_staged = tir.allocate : !tir.buffer<16xi8>
// CHECK-NEXT:    tir.copy ins(%a : !tir.buffer<16xi8>) outs(%a_staged : !tir.buffer<16xi8>)
// CHECK-NEXT:    tir.prelu ins(%x, %a_staged,

builtin.module {
  tir.func @main(%x : !tir.buffer<1x16x16x16xi8>, %y : !tir.buffer<1x16x16x16xi8>) {
    %a = tir.allocate_const dense<[-40, 12, 90, 3, -7, 25, 60, -100, 8, 14, -3, 77, 5, -60, 33, 1]> : !tir.buffer<16xi8>
    tir.prelu ins(%x, %a : !tir.buffer<1x16x16x16xi8>, !tir.buffer<16xi8>) outs(%y : !tir.buffer<1x16x16x16xi8>)
        {input_zp = 3, alpha_zp = -5, output_zp = -2,
         identity_multiplier = 1200000000, identity_shift = 1,
         alpha_multiplier = 1500000000, alpha_shift = -6}
  }
}
