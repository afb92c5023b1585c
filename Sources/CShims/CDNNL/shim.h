// Thin shim over Debian's libdnnl-dev (oneDNN 2.6, C API). Debian ships no dnnl.pc, hence `link "dnnl"`.
#include <oneapi/dnnl/dnnl.h>
