// Why this file exists: HDF5's H5T_NATIVE_*, H5P_* and H5F_ACC_* are macros that
// call H5open() inside comma expressions, so Swift cannot import them.
// Each accessor returns the macro's value. Only KeepersHDF5 imports this module.
#ifndef KEEPERS_CHDF5_SHIM_H
#define KEEPERS_CHDF5_SHIM_H
#include <hdf5.h>
#endif
