// RUN: tirconst-opt %s -p 'tir-sink-ops{reuse-io=true}' -o %t.mlir
// RUN: filecheck %s --input-file=%t.mlir
// RUN: tirconst-run --check-equivalent %s %t.mlir
// RUN: tirconst-opt %s -p tir-sink-ops | filecheck %s --check-prefix=CALL

// @main: %c1 and %c2 are read only by the last two adds. Sinking %c2's fully
// connected op to just before the add that reads it takes 16 bytes off the
// peak (%a, %c1, %c2 and %d/%e in place were live together: 64 -> 48), so it
// moves; %c1's would leave the peak at 48 (%f, %c1 and %g at the end), so it
// stays. Allocations stay where they are (the planner sinks them).

// CHECK:      tir.func @main
// CHECK:      tir.fully_connected ins(%x, %w
// CHECK-NEXT: %c1 = tir.allocate
// CHECK-NEXT: tir.fully_connected ins(%a, %w {{.*}} outs(%c1
// CHECK-NEXT: %c2 = tir.allocate
// CHECK-NEXT: %d = tir.allocate
// CHECK-NEXT: tir.add ins(%a, %a
// CHECK:      tir.add ins(%f, %c1 {{.*}} outs(%g
// CHECK-NEXT: tir.fully_connected ins(%a, %w {{.*}} outs(%c2
// CHECK-NEXT: tir.add ins(%g, %c2 {{.*}} outs(%y

// @blocked: the same, but an op overwrites %a before the end: %c2's fully
// connected op reads %a, so it cannot pass that op and stays where it was
// (just before it, which saves nothing).

// CHECK:      tir.func @blocked
// CHECK:      outs(%c1
// CHECK-NEXT: %c2 = tir.allocate
// CHECK-NEXT: tir.fully_connected ins(%a, %w {{.*}} outs(%c2
// CHECK-NEXT: %d = tir.allocate

// With inputs and outputs live for the whole call the move pays the same.
// CALL:      tir.add ins(%f, %c1 {{.*}} outs(%g
// CALL-NEXT: tir.fully_connected ins(%a, %w {{.*}} outs(%c2

builtin.module {
  tir.constant @w = dense<"0xFE000A12EDF10C11F5F80EFCF60DF6FC0501EFED0E0A0D010CF9FE0BF0F8F0FE13F1FBFC10F400F6EC0AEEF7FFFFF0130912EF08F70110F709F2F812FC00F7F0FC04FE0BFA040A10FDED08010EFEFAEEFE050A0EF4030CF6F90D03000600130AEEF1010CEE070A0B0EF3020CFAF3FFEFF40E060E0D0FF8FE04F610EC0D05F608FC0D13F7FEF407050D0C13120FF2EDFFF90F0BFC03030FECFF06FE10120DFE0FEE06F6F5070A0FF40E0DF8EE0A0DFEF2F1FB0AF8ED0709F302FB00EC05F602FC04F0FA050AFBEC090006F2FD0F0EF805EF0CF6F912010EF30A13EFF5F1F6F8EE0FF6100AF2070AF1F1FBEEFCFF0602FEF403FE0D070902FAF7FD02FAF1F0EDF4"> : tensor<16x16xi8>
  tir.func @main(%x : !tir.buffer<1x16xi8>, %y : !tir.buffer<1x16xi8>) {
    %w = tir.allocate_const @w : !tir.buffer<16x16xi8>
    %a = tir.allocate : !tir.buffer<1x16xi8>
    tir.fully_connected ins(%x, %w : !tir.buffer<1x16xi8>, !tir.buffer<16x16xi8>) outs(%a : !tir.buffer<1x16xi8>) {input_zp = 0 : i64, filter_zp = 0 : i64, output_zp = 2 : i64, multiplier = array<i32: 1500000000>, shift = array<i32: -9>, act_min = -128 : i64, act_max = 127 : i64}
    %c1 = tir.allocate : !tir.buffer<1x16xi8>
    tir.fully_connected ins(%a, %w : !tir.buffer<1x16xi8>, !tir.buffer<16x16xi8>) outs(%c1 : !tir.buffer<1x16xi8>) {input_zp = 2 : i64, filter_zp = 0 : i64, output_zp = -1 : i64, multiplier = array<i32: 1500000000>, shift = array<i32: -9>, act_min = -128 : i64, act_max = 127 : i64}
    %c2 = tir.allocate : !tir.buffer<1x16xi8>
    tir.fully_connected ins(%a, %w : !tir.buffer<1x16xi8>, !tir.buffer<16x16xi8>) outs(%c2 : !tir.buffer<1x16xi8>) {input_zp = 2 : i64, filter_zp = 0 : i64, output_zp = 5 : i64, multiplier = array<i32: 1500000000>, shift = array<i32: -9>, act_min = -128 : i64, act_max = 127 : i64}
    %d = tir.allocate : !tir.buffer<1x16xi8>
    tir.add ins(%a, %a : !tir.buffer<1x16xi8>, !tir.buffer<1x16xi8>) outs(%d : !tir.buffer<1x16xi8>) {lhs_zp = 1 : i64, rhs_zp = -2 : i64, output_zp = 3 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1191877786 : i64, rhs_shift = -1 : i64, output_multiplier = 1876794193 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
    %e = tir.allocate : !tir.buffer<1x16xi8>
    tir.add ins(%d, %d : !tir.buffer<1x16xi8>, !tir.buffer<1x16xi8>) outs(%e : !tir.buffer<1x16xi8>) {lhs_zp = 1 : i64, rhs_zp = -2 : i64, output_zp = 3 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1191877786 : i64, rhs_shift = -1 : i64, output_multiplier = 1876794193 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
    %f = tir.allocate : !tir.buffer<1x16xi8>
    tir.add ins(%e, %a : !tir.buffer<1x16xi8>, !tir.buffer<1x16xi8>) outs(%f : !tir.buffer<1x16xi8>) {lhs_zp = 1 : i64, rhs_zp = -2 : i64, output_zp = 3 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1191877786 : i64, rhs_shift = -1 : i64, output_multiplier = 1876794193 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
    %g = tir.allocate : !tir.buffer<1x16xi8>
    tir.add ins(%f, %c1 : !tir.buffer<1x16xi8>, !tir.buffer<1x16xi8>) outs(%g : !tir.buffer<1x16xi8>) {lhs_zp = 1 : i64, rhs_zp = -2 : i64, output_zp = 3 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1191877786 : i64, rhs_shift = -1 : i64, output_multiplier = 1876794193 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
    tir.add ins(%g, %c2 : !tir.buffer<1x16xi8>, !tir.buffer<1x16xi8>) outs(%y : !tir.buffer<1x16xi8>) {lhs_zp = 1 : i64, rhs_zp = -2 : i64, output_zp = 3 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1191877786 : i64, rhs_shift = -1 : i64, output_multiplier = 1876794193 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
  }
  tir.func @blocked(%x : !tir.buffer<1x16xi8>, %y : !tir.buffer<1x16xi8>) {
    %w = tir.allocate_const @w : !tir.buffer<16x16xi8>
    %a = tir.allocate : !tir.buffer<1x16xi8>
    tir.fully_connected ins(%x, %w : !tir.buffer<1x16xi8>, !tir.buffer<16x16xi8>) outs(%a : !tir.buffer<1x16xi8>) {input_zp = 0 : i64, filter_zp = 0 : i64, output_zp = 2 : i64, multiplier = array<i32: 1500000000>, shift = array<i32: -9>, act_min = -128 : i64, act_max = 127 : i64}
    %c1 = tir.allocate : !tir.buffer<1x16xi8>
    tir.fully_connected ins(%a, %w : !tir.buffer<1x16xi8>, !tir.buffer<16x16xi8>) outs(%c1 : !tir.buffer<1x16xi8>) {input_zp = 2 : i64, filter_zp = 0 : i64, output_zp = -1 : i64, multiplier = array<i32: 1500000000>, shift = array<i32: -9>, act_min = -128 : i64, act_max = 127 : i64}
    %c2 = tir.allocate : !tir.buffer<1x16xi8>
    tir.fully_connected ins(%a, %w : !tir.buffer<1x16xi8>, !tir.buffer<16x16xi8>) outs(%c2 : !tir.buffer<1x16xi8>) {input_zp = 2 : i64, filter_zp = 0 : i64, output_zp = 5 : i64, multiplier = array<i32: 1500000000>, shift = array<i32: -9>, act_min = -128 : i64, act_max = 127 : i64}
    %d = tir.allocate : !tir.buffer<1x16xi8>
    tir.add ins(%a, %a : !tir.buffer<1x16xi8>, !tir.buffer<1x16xi8>) outs(%d : !tir.buffer<1x16xi8>) {lhs_zp = 1 : i64, rhs_zp = -2 : i64, output_zp = 3 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1191877786 : i64, rhs_shift = -1 : i64, output_multiplier = 1876794193 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
    %e = tir.allocate : !tir.buffer<1x16xi8>
    tir.add ins(%d, %d : !tir.buffer<1x16xi8>, !tir.buffer<1x16xi8>) outs(%e : !tir.buffer<1x16xi8>) {lhs_zp = 1 : i64, rhs_zp = -2 : i64, output_zp = 3 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1191877786 : i64, rhs_shift = -1 : i64, output_multiplier = 1876794193 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
    tir.add ins(%d, %d : !tir.buffer<1x16xi8>, !tir.buffer<1x16xi8>) outs(%a : !tir.buffer<1x16xi8>) {lhs_zp = 1 : i64, rhs_zp = -2 : i64, output_zp = 3 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1191877786 : i64, rhs_shift = -1 : i64, output_multiplier = 1876794193 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
    %f = tir.allocate : !tir.buffer<1x16xi8>
    tir.add ins(%e, %a : !tir.buffer<1x16xi8>, !tir.buffer<1x16xi8>) outs(%f : !tir.buffer<1x16xi8>) {lhs_zp = 1 : i64, rhs_zp = -2 : i64, output_zp = 3 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1191877786 : i64, rhs_shift = -1 : i64, output_multiplier = 1876794193 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
    %g = tir.allocate : !tir.buffer<1x16xi8>
    tir.add ins(%f, %c1 : !tir.buffer<1x16xi8>, !tir.buffer<1x16xi8>) outs(%g : !tir.buffer<1x16xi8>) {lhs_zp = 1 : i64, rhs_zp = -2 : i64, output_zp = 3 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1191877786 : i64, rhs_shift = -1 : i64, output_multiplier = 1876794193 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
    tir.add ins(%g, %c2 : !tir.buffer<1x16xi8>, !tir.buffer<1x16xi8>) outs(%y : !tir.buffer<1x16xi8>) {lhs_zp = 1 : i64, rhs_zp = -2 : i64, output_zp = 3 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1191877786 : i64, rhs_shift = -1 : i64, output_multiplier = 1876794193 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
  }
}
