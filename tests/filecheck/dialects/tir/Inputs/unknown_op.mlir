tir.func @main(%x : !tir.buffer<4xi8>) {
  tir.zero_fill %x : !tir.buffer<4xi8>
}
