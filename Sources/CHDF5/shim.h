// Why this file exists: HDF5's H5T_*, H5P_* class and H5F_ACC_* names are macros
// that call H5open() inside comma expressions, and H5S_ALL, H5E_DEFAULT and
// H5T_VARIABLE are casts; Swift imports none of them. Each kh5_ accessor below
// returns its macro's value. Reading the underlying *_g globals from Swift
// directly is a Swift 6 concurrency error, so they stay behind functions.
// Only KeepersHDF5 imports this module.
#ifndef KEEPERS_CHDF5_SHIM_H
#define KEEPERS_CHDF5_SHIM_H
#include <hdf5.h>

// Property-list defaults and classes.
static inline hid_t kh5_p_default(void) { return H5P_DEFAULT; }
static inline hid_t kh5_p_file_create(void) { return H5P_FILE_CREATE; }
static inline hid_t kh5_p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t kh5_p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t kh5_p_dataset_access(void) { return H5P_DATASET_ACCESS; }
static inline hid_t kh5_p_group_create(void) { return H5P_GROUP_CREATE; }

// File access flags.
static inline unsigned kh5_f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned kh5_f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline unsigned kh5_f_acc_trunc(void) { return H5F_ACC_TRUNC; }

// Selections and error stacks.
static inline hid_t kh5_s_all(void) { return H5S_ALL; }
static inline hid_t kh5_e_default(void) { return H5E_DEFAULT; }

// Memory (native) types, used for every read and write.
static inline hid_t kh5_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t kh5_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t kh5_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t kh5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t kh5_native_double(void) { return H5T_NATIVE_DOUBLE; }

// File types: fixed little-endian, so files are the same bytes on every host.
static inline hid_t kh5_std_u8le(void) { return H5T_STD_U8LE; }
static inline hid_t kh5_std_i32le(void) { return H5T_STD_I32LE; }
static inline hid_t kh5_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t kh5_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t kh5_ieee_f64le(void) { return H5T_IEEE_F64LE; }

// Strings.
static inline hid_t kh5_c_s1(void) { return H5T_C_S1; }
static inline size_t kh5_variable(void) { return H5T_VARIABLE; }

#endif
