"""The one `.tflite` reader: the frontend imports models with it, the backend
packages and verifies compiled ones with it, and the disassembler reads the
`ethos-u` operators of written files with it."""

from tirconst.formats.tflite.reader import (
    TFLiteImportError,
    TFLiteModel,
    TFLiteOperator,
    TFLiteQuantization,
    TFLiteTensor,
    read_tflite,
    read_tflite_bytes,
)

__all__ = [
    "TFLiteImportError",
    "TFLiteModel",
    "TFLiteOperator",
    "TFLiteQuantization",
    "TFLiteTensor",
    "read_tflite",
    "read_tflite_bytes",
]
