// RUN: tirconst-opt %s -p 'tir-plan-memory{plot="%t.svg"}' | filecheck %s
// RUN: tirconst-opt %s -p tir-plan-memory -o %t.mlir
// RUN: tirconst-run --check-equivalent %s %t.mlir
// RUN: filecheck %s --input-file %t.svg --check-prefix=SVG
// RUN: tirconst-opt %s -p 'tir-plan-memory{algorithm=greedy_by_size}' -o %t.greedy.mlir
// RUN: tirconst-run --check-equivalent %s %t.greedy.mlir
// RUN: tirconst-opt %s -p 'tir-plan-memory{place-io=false}' | filecheck %s --check-prefix=NOIO

// No pools declared: the pass creates @sram (alignment 16) and @flash
// (read-only). %w is packed in flash; %t1 is dead when %t3 is born, so %t3
// reuses its bytes; %t1 is read in a loop, so it lives over the whole loop;
// the parameters live for the whole call. The allocations move down to just
// before their first use.

// CHECK:      tir.pool @sram alignment 16
// CHECK-NEXT: tir.pool @flash read_only alignment 16
// CHECK-NEXT: tir.constant @w = dense<{{.*}}> : tensor<8xi8> at <@flash, 0>
// CHECK-NEXT: tir.func @main(%a: !tir.buffer<8xi8>, %out: !tir.buffer<8xi8>) attributes {param_placement = {a = #tir.place<@sram, [[A:[0-9]+]]>, out = #tir.place<@sram, [[OUT:[0-9]+]]>}, pool_sizes = {sram = 56 : i64, flash = 8 : i64}} {
// CHECK:        %w = tir.allocate_const @w : !tir.buffer<8xi8>
// CHECK-NEXT:   %t1 = tir.allocate at <@sram, [[T1:[0-9]+]]> : !tir.buffer<8xi8>
// CHECK-NEXT:   tir.for
// CHECK:        %t2 = tir.allocate at <@sram, [[T2:[0-9]+]]> : !tir.buffer<8xi8>
// CHECK-NEXT:   tir.for
// CHECK:        %t3 = tir.allocate at <@sram, [[T1]]> : !tir.buffer<8xi8>
// CHECK-NEXT:   tir.for

// SVG: <svg xmlns="http://www.w3.org/2000/svg"
// SVG: pool sram (unbounded): peak 56, lower bound 32, 5 buffers, exact
// SVG-DAG: <title>t1: [{{[0-9]+}}, {{[0-9]+}}) size 8 offset {{[0-9]+}}</title>
// SVG-DAG: <title>t3: [{{[0-9]+}}, {{[0-9]+}}) size 8 offset {{[0-9]+}}</title>

// NOIO:     tir.func @main(%a: !tir.buffer<8xi8>, %out: !tir.buffer<8xi8>) attributes {pool_sizes = {sram = 24 : i64, flash = 8 : i64}} {
// NOIO-NOT: param_placement

tir.constant @w = dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi8>
tir.func @main(%a : !tir.buffer<8xi8>, %out : !tir.buffer<8xi8>) {
  %c0 = arith.constant 0 : index
  %c7 = arith.constant 7 : index
  %c8 = arith.constant 8 : index
  %w = tir.allocate_const @w : !tir.buffer<8xi8>
  %t1 = tir.allocate : !tir.buffer<8xi8>
  %t2 = tir.allocate : !tir.buffer<8xi8>
  %t3 = tir.allocate : !tir.buffer<8xi8>
  tir.for %i = %c0 to %c8 {
    %v = tir.buffer_load %a[%i] : !tir.buffer<8xi8>
    %k = tir.buffer_load %w[%i] : !tir.buffer<8xi8>
    %s = arith.addi %v, %k : i8
    tir.buffer_store %s, %t1[%i] : !tir.buffer<8xi8>
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
