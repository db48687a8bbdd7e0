// RUN: not tirconst-opt %s -p 'tir-tile{budget=100 cascade=true}' 2>&1 | filecheck %s --check-prefix=BUDGET
// RUN: not tirconst-opt %s -p 'tir-tile{depth=24}' 2>&1 | filecheck %s --check-prefix=DEPTH
// RUN: not tirconst-opt %s -p 'tir-tile{budget=100 rows=2}' 2>&1 | filecheck %s --check-prefix=BOTH
// RUN: not tirconst-opt %s -p 'tir-tile{budget=100 weights=sram}' 2>&1 | filecheck %s --check-prefix=WEIGHTS
// A budget that is a target (soft=true, as tirconst-compile takes the arena
// cache size) keeps the least the search reaches, with a remark: the same
// program as smallest=true, equivalent.
// RUN: tirconst-opt %s -p 'tir-tile{budget=100 cascade=true soft=true}' -o %t 2>&1 | filecheck %s --check-prefix=SOFT
// RUN: tirconst-opt %s -p 'tir-tile{smallest=true cascade=true}' | diff - %t
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// However the conv -> pool cascade is striped, %a (64 bytes) is live until
// the last conv stripe and %u (32) from the first pool stripe; with a
// one-row pool stripe's 2 conv rows (32) and the staged weights (8), 136
// bytes of workspace are live at once, with the parameters %x (64) and %y
// (32), placed in SRAM for the whole call: 232 is the least SRAM the search
// reaches, and the error names it.

// BUDGET: error: tir-tile: budget=100 bytes does not fit: the least SRAM the tiling search reaches is 232 bytes (132 over, peak at 'tir.max_pool2d' in @main)
// BUDGET-NOT: Traceback
// DEPTH: error: tir-tile: depth=24 is not a multiple of 16 (the Ethos-U OFM depth granule)
// BOTH: error: tir-tile: give budget, smallest or rows/depth, not several
// WEIGHTS: error: tir-tile: weights must be conv, all or flash, got 'sram'
// SOFT: tir-tile: remark: budget=100 bytes does not fit: kept the least SRAM the tiling search reaches, 232 bytes (peak at 'tir.max_pool2d' in @main)
// SAME: equivalent: @main

builtin.module {
  tir.func @main(%x : !tir.buffer<1x8x4x2xi8>, %y : !tir.buffer<1x4x2x4xi8>) {
    %a = tir.allocate : !tir.buffer<1x8x4x2xi8>
    %t = tir.allocate : !tir.buffer<1x8x4x4xi8>
    %u = tir.allocate : !tir.buffer<1x4x2x4xi8>
    %w = tir.allocate_const dense<[1, 2, 3, 4, 5, 6, 7, 8]> : !tir.buffer<4x1x1x2xi8>
    tir.copy ins(%x : !tir.buffer<1x8x4x2xi8>) outs(%a : !tir.buffer<1x8x4x2xi8>)
    tir.conv2d ins(%a, %w : !tir.buffer<1x8x4x2xi8>, !tir.buffer<4x1x1x2xi8>) outs(%t : !tir.buffer<1x8x4x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: -2, -2, -2, -2>, act_min = -128 : i64, act_max = 127 : i64}
    tir.max_pool2d ins(%t : !tir.buffer<1x8x4x4xi8>) outs(%u : !tir.buffer<1x4x2x4xi8>) {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
    tir.copy ins(%u : !tir.buffer<1x4x2x4xi8>) outs(%y : !tir.buffer<1x4x2x4xi8>)
  }
}
