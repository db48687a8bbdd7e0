// Over capacity and pools that do not exist: one line each, naming the pool.
// RUN: tirconst-opt %s --verify-diagnostics -p tir-plan-memory | filecheck %s --check-prefix=OVER
// RUN: tirconst-opt %s --verify-diagnostics -p 'tir-plan-memory{flash-pool=rom}' | filecheck %s --check-prefix=ROM
// RUN: tirconst-opt %s --verify-diagnostics -p 'tir-plan-memory{pools=fast}' | filecheck %s --check-prefix=FAST
// RUN: tirconst-opt %s --verify-diagnostics -p 'tir-plan-memory{pools=flash}' | filecheck %s --check-prefix=RO
// RUN: tirconst-opt %s --verify-diagnostics -p 'tir-plan-memory{algorithm=magic}' | filecheck %s --check-prefix=ALG
// RUN: tirconst-opt %s --verify-diagnostics -p 'tir-plan-memory{sram-size=4096}' | filecheck %s --check-prefix=SIZE
// RUN: tirconst-opt %s --verify-diagnostics -p 'tir-plan-memory{cache-size=4096}' | filecheck %s --check-prefix=CACHE

// OVER: error: tir-plan-memory: @main: pool 'sram' needs 56 bytes (lower bound 48) but holds 48; largest live at t={{[0-9]+}}: t1 16, t2 16, x 8, ...
// ROM: error: tir-plan-memory: no tir.pool '@rom' in the module (it declares @sram, @flash)
// FAST: error: tir-plan-memory: no tir.pool '@fast' in the module (it declares @sram, @flash)
// RO: error: tir-plan-memory: pool '@flash' is read-only; buffers need a read-write pool
// ALG: error: tir-plan-memory: unknown algorithm 'magic' (one of best_fit, exact, first_fit, greedy_by_conflicts, greedy_by_size)
// SIZE: error: tir-plan-memory: sram-size applies only to the pool the pass creates; the module declares its pools (give them a size)
// CACHE: error: tir-plan-memory: cache-size applies only to the pool the pass creates; the module declares its pools (give them a size)

tir.pool @sram size 48 alignment 16
tir.pool @flash read_only
tir.func @main(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xi8>) {
  %t1 = tir.allocate : !tir.buffer<16xi8>
  %t2 = tir.allocate : !tir.buffer<16xi8>
  %v = tir.decl_buffer %t1[0] : !tir.buffer<16xi8> -> !tir.buffer<8xi8>
  tir.copy ins(%x : !tir.buffer<8xi8>) outs(%v : !tir.buffer<8xi8>)
  tir.copy ins(%t1 : !tir.buffer<16xi8>) outs(%t2 : !tir.buffer<16xi8>)
  %w = tir.decl_buffer %t2[8] : !tir.buffer<16xi8> -> !tir.buffer<8xi8>
  tir.copy ins(%w : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xi8>)
}
