// Thin shim over zlib (zlib1g-dev): CRC-32 for data hashes and gzip reading.
#include <zlib.h>
