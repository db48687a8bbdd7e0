// RUN: tirconst-opt %s -p 'tir-encode-weights,tir-stage-weights{by-cost=ethos-u55-128}' | filecheck %s --check-prefix=COST
// RUN: tirconst-opt %s -p 'tir-encode-weights,tir-stage-weights{by-cost=ethos-u55-128}' -o %t3
// RUN: tirconst-run --check-equivalent %s %t3
// RUN: not tirconst-opt %s -p 'tir-stage-weights{by-cost=ethos-u99}' 2>&1 | filecheck %s --check-prefix=BADACC
// RUN: tirconst-opt %s -p tir-stage-weights | filecheck %s
// RUN: tirconst-opt %s -p tir-stage-weights -o %t
// RUN: tirconst-run --check-equivalent %s %t
// RUN: tirconst-opt %s -p 'tir-stage-weights{fc=stage}' | filecheck %s --check-prefix=FC
// RUN: tirconst-opt %s -p 'tir-stage-weights{fc=stage}' -o %t2
// RUN: tirconst-run --check-equivalent %s %t2
// RUN: tirconst-opt %s -p 'tir-stage-weights{enable=false}' | filecheck %s --check-prefix=OFF
// RUN: not tirconst-opt %s -p 'tir-stage-weights{fc=sram}' 2>&1 | filecheck %s --check-prefix=BAD
// RUN: tirconst-opt %s -p 'tir-stage-weights{fc=stage distance=2}' | filecheck %s --check-prefix=FAR
// RUN: tirconst-opt %s -p 'tir-stage-weights{fc=stage distance=2}' -o %t4
// RUN: tirconst-run --check-equivalent %s %t4
// RUN: not tirconst-opt %s -p 'tir-stage-weights{distance=0}' 2>&1 | filecheck %s --check-prefix=BADDIST

// Each conv's weights and bias are copied into their own SRAM workspace one
// op ahead (the second conv's copy runs before the first conv computes); the
// first op's copy has no op to hide behind and comes right before it. FC
// weights stay in flash unless fc=stage.

// CHECK-LABEL: tir.func @main
// CHECK:         %[[W0:.*]] = tir.allocate : !tir.buffer<4x1x1x2xi8>
// CHECK-NEXT:    tir.copy ins(%w0 : !tir.buffer<4x1x1x2xi8>) outs(%[[W0]] : !tir.buffer<4x1x1x2xi8>)
// CHECK-NEXT:    %[[B0:.*]] = tir.allocate : !tir.buffer<4xi32>
// CHECK-NEXT:    tir.copy ins(%b0 : {{.*}}) outs(%[[B0]] : {{.*}})
// CHECK:         %[[W1:.*]] = tir.allocate : !tir.buffer<4x1x1x4xi8>
// CHECK-NEXT:    tir.copy ins(%w1 : {{.*}}) outs(%[[W1]] : {{.*}})
// CHECK:         tir.conv2d ins(%x, %[[W0]], %[[B0]] :
// CHECK-NEXT:    tir.conv2d ins(%t, %[[W1]] :
// CHECK-NEXT:    tir.reshape
// CHECK-NEXT:    tir.fully_connected ins(%r, %fw :

// FC:            %[[FW:.*]] = tir.allocate : !tir.buffer<3x16xi8>
// FC-NEXT:       tir.copy ins(%fw : {{.*}}) outs(%[[FW]] : {{.*}})
// FC-NEXT:       tir.conv2d ins(%t,
// FC-NEXT:       tir.reshape
// FC-NEXT:       tir.fully_connected ins(%r, %[[FW]] :

// OFF-NOT:       tir.copy

// By cost (encoded weights): each conv reads its weights once (one OFM
// block), so a copy gains only what it hides: the first conv has no op to
// hide its copy behind, and the second conv's 160-cycle copy (96 bytes and
// flash's latency) would run under a first conv of a few cycles (its
// `duration_floor`). Both read flash; so does the FC (fc=flash).
// COST-LABEL: tir.func @main
// COST-NOT:     tir.copy
// COST:         tir.conv2d ins(%x, %w0_enc :
// COST:         tir.conv2d ins(%t, %w1_enc :
// COST-NOT:     tir.copy

// BADACC: tir-stage-weights: unknown accelerator 'ethos-u99' for by-cost

// BAD: tir-stage-weights: fc must be flash or stage, got 'sram'

// distance=2: the FC's copy goes two computing ops ahead, before the first
// conv (after the second conv's copy, which is there already: copies keep
// the order of the ops that read them), so it runs under both convs.
// FAR-LABEL: tir.func @main
// FAR:         tir.copy ins(%w0
// FAR:         tir.copy ins(%b0
// FAR:         tir.copy ins(%w1
// FAR-NEXT:    %[[FW:.*]] = tir.allocate : !tir.buffer<3x16xi8>
// FAR-NEXT:    tir.copy ins(%fw : {{.*}}) outs(%[[FW]] : {{.*}})
// FAR-NEXT:    tir.conv2d ins(%x,
// FAR-NEXT:    tir.conv2d ins(%t,
// FAR-NEXT:    tir.reshape
// FAR-NEXT:    tir.fully_connected ins(%r, %[[FW]] :

// BADDIST: tir-stage-weights: distance must be at least 1, got 0

builtin.module {
  tir.func @main(%x : !tir.buffer<1x2x2x2xi8>, %y : !tir.buffer<1x3xi8>) {
    %w0 = tir.allocate_const dense<[1, -2, 3, -4, 5, -6, 7, -8]> : !tir.buffer<4x1x1x2xi8>
    %b0 = tir.allocate_const dense<[10, 20, 30, 40]> : !tir.buffer<4xi32>
    %t = tir.allocate : !tir.buffer<1x2x2x4xi8>
    %w1 = tir.allocate_const dense<[1, 2, 3, 4, -1, -2, -3, -4, 5, 6, 7, 8, 0, 1, 0, -1]> : !tir.buffer<4x1x1x4xi8>
    %u = tir.allocate : !tir.buffer<1x2x2x4xi8>
    %fw = tir.allocate_const dense<[[1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8], [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], [-1, -1, -1, -1, -1, -1, -1, -1, 2, 2, 2, 2, 2, 2, 2, 2]]> : !tir.buffer<3x16xi8>
    tir.conv2d ins(%x, %w0, %b0 : !tir.buffer<1x2x2x2xi8>, !tir.buffer<4x1x1x2xi8>, !tir.buffer<4xi32>) outs(%t : !tir.buffer<1x2x2x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: -2, -2, -2, -2>, act_min = -128 : i64, act_max = 127 : i64}
    tir.conv2d ins(%t, %w1 : !tir.buffer<1x2x2x4xi8>, !tir.buffer<4x1x1x4xi8>) outs(%u : !tir.buffer<1x2x2x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 1 : i64, output_zp = -1 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: -3, -3, -3, -3>, act_min = -128 : i64, act_max = 127 : i64}
    %r = tir.reshape %u : !tir.buffer<1x2x2x4xi8> -> !tir.buffer<1x16xi8>
    tir.fully_connected ins(%r, %fw : !tir.buffer<1x16xi8>, !tir.buffer<3x16xi8>) outs(%y : !tir.buffer<1x3xi8>) {input_zp = -1 : i64, filter_zp = 0 : i64, output_zp = 2 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: -6>, act_min = -128 : i64, act_max = 127 : i64}
  }
}
