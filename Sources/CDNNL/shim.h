// Why this file exists: oneDNN 2.6 ships no pkg-config file, and its C API has
// no thread-count setter (Debian builds it with OpenMP), so omp_set_num_threads
// is declared here. Only KeepersNetwork imports this module.
#ifndef KEEPERS_CDNNL_SHIM_H
#define KEEPERS_CDNNL_SHIM_H
#include <dnnl.h>
void omp_set_num_threads(int);
int omp_get_max_threads(void);
static inline void *kp_dnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }
#endif
