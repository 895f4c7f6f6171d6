// Why this file exists: a module map needs a header. LibRaw's C API imports
// into Swift as it is; nothing else lives here. libraw_r is the thread-safe
// build (ingest decodes several RAW files at once, one libraw_data_t each);
// it is linked by name because its pkg-config file adds -fopenmp, which the
// Swift driver does not accept. Only KeepersImaging imports this module.
#ifndef KEEPERS_CRAW_SHIM_H
#define KEEPERS_CRAW_SHIM_H
#include <libraw/libraw.h>
#endif
