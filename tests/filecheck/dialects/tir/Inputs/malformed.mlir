tir.func @main(%x : !tir.buffer<4xi8>) {
  %c0 = arith.constant 0 : index
  %v = tir.buffer_load %x[%c0 : !tir.buffer<4xi8>
}
