// Declared pools: buffers go to the first of `pools` where they fit (here
// @sram holds one 16-aligned buffer, the rest falls back to @fast); the
// constant goes to the read-only @rom, the first read-only pool.
// RUN: tirconst-opt %s -p 'tir-plan-memory{pools=sram,fast}' | filecheck %s
// RUN: tirconst-opt %s -p 'tir-plan-memory{pools=sram,fast}' -o %t.mlir
// RUN: tirconst-run --check-equivalent %s %t.mlir
// RUN: tirconst-opt %s -p 'tir-plan-memory{pools=fast}' | filecheck %s --check-prefix=FAST

// CHECK:      tir.constant @k = dense<{{.*}}> : tensor<8xi8> at <@rom, 0>
// CHECK-NEXT: tir.func @main(%a: !tir.buffer<8xi8>, %out: !tir.buffer<8xi8>) attributes {param_placement = {a = #tir.place<@{{sram|fast}}, {{[0-9]+}}>, out = #tir.place<@{{sram|fast}}, {{[0-9]+}}>}, pool_sizes = {sram = 8 : i64, fast = 24 : i64, rom = 8 : i64}}
// FAST:       pool_sizes = {fast = 40 : i64, rom = 8 : i64}
// FAST-NOT:   @sram,

tir.pool @sram size 16 alignment 16
tir.pool @fast alignment 16
tir.pool @rom read_only
tir.constant @k = dense<[1, 1, 1, 1, 2, 2, 2, 2]> : tensor<8xi8>
tir.func @main(%a : !tir.buffer<8xi8>, %out : !tir.buffer<8xi8>) {
  %k = tir.allocate_const @k : !tir.buffer<8xi8>
  %t1 = tir.allocate : !tir.buffer<8xi8>
  tir.copy ins(%a : !tir.buffer<8xi8>) outs(%t1 : !tir.buffer<8xi8>)
  tir.copy ins(%t1 : !tir.buffer<8xi8>) outs(%out : !tir.buffer<8xi8>)
}
