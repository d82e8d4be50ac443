// Loads the CUDA driver at run time; see include/ccuda.h.
#include "ccuda.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

// One entry of the symbol table: the exported name and where its address goes.
typedef struct {
    const char *symbol;
    void **slot;
} Entry;

int ccuda_load(const char *library, CCUDAFunctions *functions, char *message, size_t capacity) {
    memset(functions, 0, sizeof *functions);
    void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *reason = dlerror();
        snprintf(message, capacity, "%s", reason ? reason : "dlopen failed");
        return 1;
    }
    // NOTE: the `_v2` names are the 64-bit entry points the toolkit headers map the plain
    // names to; the plain `cuMemAlloc` etc. are the legacy 32-bit ABI and must not be used.
    Entry entries[] = {
        {"cuInit", (void **)&functions->cuInit},
        {"cuDriverGetVersion", (void **)&functions->cuDriverGetVersion},
        {"cuDeviceGetCount", (void **)&functions->cuDeviceGetCount},
        {"cuDeviceGet", (void **)&functions->cuDeviceGet},
        {"cuDeviceGetName", (void **)&functions->cuDeviceGetName},
        {"cuDeviceGetAttribute", (void **)&functions->cuDeviceGetAttribute},
        {"cuDevicePrimaryCtxRetain", (void **)&functions->cuDevicePrimaryCtxRetain},
        {"cuDevicePrimaryCtxRelease_v2", (void **)&functions->cuDevicePrimaryCtxRelease},
        {"cuCtxSetCurrent", (void **)&functions->cuCtxSetCurrent},
        {"cuCtxSynchronize", (void **)&functions->cuCtxSynchronize},
        {"cuModuleLoadDataEx", (void **)&functions->cuModuleLoadDataEx},
        {"cuModuleGetFunction", (void **)&functions->cuModuleGetFunction},
        {"cuModuleUnload", (void **)&functions->cuModuleUnload},
        {"cuMemAlloc_v2", (void **)&functions->cuMemAlloc},
        {"cuMemFree_v2", (void **)&functions->cuMemFree},
        {"cuMemcpyHtoD_v2", (void **)&functions->cuMemcpyHtoD},
        {"cuMemcpyDtoH_v2", (void **)&functions->cuMemcpyDtoH},
        {"cuLaunchKernel", (void **)&functions->cuLaunchKernel},
        {"cuGetErrorName", (void **)&functions->cuGetErrorName},
        {"cuGetErrorString", (void **)&functions->cuGetErrorString},
    };
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
        void *address = dlsym(handle, entries[i].symbol);
        if (address == NULL) {
            snprintf(message, capacity, "%s has no symbol %s", library, entries[i].symbol);
            memset(functions, 0, sizeof *functions);
            dlclose(handle);
            return 1;
        }
        *entries[i].slot = address;
    }
    return 0;
}
