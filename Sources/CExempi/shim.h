// Why this file exists: a module map needs a header, and exempi's header
// lives in a versioned folder (exempi-2.0/) that pkg-config adds to the
// include path. Exempi's C API imports into Swift as it is; nothing else
// lives here. Only KeepersXMP imports this module.
#ifndef KEEPERS_CEXEMPI_SHIM_H
#define KEEPERS_CEXEMPI_SHIM_H
#include <exempi/xmp.h>
#endif
