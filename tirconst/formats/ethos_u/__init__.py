"""The Arm Ethos-U weight stream and bias/scale records, through `ethos-u-vela`.

`weights`: encode an OHWI volume with `ethosu.vela.api.npu_encode_weights` and
decode a stream back to OHWI (`ethosu.mlw_codec.decode` plus the inverse brick
order). `bias`: the 10-byte bias/scale/shift records of `npu_encode_bias` and
their decoding. `WeightEncoding` says how a stream was encoded.
"""

from tirconst.formats.ethos_u.bias import BiasRecords, decode_bias, encode_bias
from tirconst.formats.ethos_u.weights import (
    ACCELERATORS,
    TRAVERSALS,
    WeightEncoding,
    WeightFormatError,
    decode_stream_values,
    decode_weights,
    encode_weights,
    stream_index_map,
)

__all__ = [
    "ACCELERATORS",
    "TRAVERSALS",
    "decode_stream_values",
    "BiasRecords",
    "WeightEncoding",
    "WeightFormatError",
    "decode_bias",
    "decode_weights",
    "encode_bias",
    "encode_weights",
    "stream_index_map",
]
