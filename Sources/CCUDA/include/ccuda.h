// The dozen CUDA driver API functions the GPU backend calls, reached at run time through
// dlopen("libcuda.so.1") and dlsym: no CUDA toolkit header or library is needed to build.
//
// The types below are declared here from the driver API's documented ABI (64-bit device
// pointers, the `_v2` entry points); only what the JIT uses is declared.
#ifndef CCUDA_H
#define CCUDA_H

#include <stddef.h>

typedef int CUresult;                       // 0 is CUDA_SUCCESS
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;     // 64-bit device address (CUdeviceptr_v2)
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;

// CUjit_option values passed to cuModuleLoadDataEx.
enum {
    CCUDA_JIT_INFO_LOG_BUFFER = 3,
    CCUDA_JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4,
    CCUDA_JIT_ERROR_LOG_BUFFER = 5,
    CCUDA_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6,
};

// CUdevice_attribute values passed to cuDeviceGetAttribute.
enum {
    CCUDA_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 1,
    CCUDA_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16,
    CCUDA_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75,
    CCUDA_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76,
};

// The driver's entry points, each null until ccuda_load fills it in.
typedef struct CCUDAFunctions {
    CUresult (*cuInit)(unsigned int flags);
    CUresult (*cuDriverGetVersion)(int *version);
    CUresult (*cuDeviceGetCount)(int *count);
    CUresult (*cuDeviceGet)(CUdevice *device, int ordinal);
    CUresult (*cuDeviceGetName)(char *name, int length, CUdevice device);
    CUresult (*cuDeviceGetAttribute)(int *value, int attribute, CUdevice device);
    CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *context, CUdevice device);
    CUresult (*cuDevicePrimaryCtxRelease)(CUdevice device);          // cuDevicePrimaryCtxRelease_v2
    CUresult (*cuCtxSetCurrent)(CUcontext context);
    CUresult (*cuCtxSynchronize)(void);
    CUresult (*cuModuleLoadDataEx)(CUmodule *module, const void *image, unsigned int optionCount,
                                   int *options, void **optionValues);
    CUresult (*cuModuleGetFunction)(CUfunction *function, CUmodule module, const char *name);
    CUresult (*cuModuleUnload)(CUmodule module);
    CUresult (*cuMemAlloc)(CUdeviceptr *pointer, size_t bytes);       // cuMemAlloc_v2
    CUresult (*cuMemFree)(CUdeviceptr pointer);                       // cuMemFree_v2
    CUresult (*cuMemcpyHtoD)(CUdeviceptr destination, const void *source, size_t bytes);  // _v2
    CUresult (*cuMemcpyDtoH)(void *destination, CUdeviceptr source, size_t bytes);        // _v2
    CUresult (*cuLaunchKernel)(CUfunction function, unsigned int gridX, unsigned int gridY, unsigned int gridZ,
                               unsigned int blockX, unsigned int blockY, unsigned int blockZ,
                               unsigned int sharedBytes, CUstream stream, void **parameters, void **extra);
    CUresult (*cuGetErrorName)(CUresult error, const char **name);
    CUresult (*cuGetErrorString)(CUresult error, const char **text);
} CCUDAFunctions;

// Opens `library` (e.g. "libcuda.so.1") and resolves every entry point into `functions`.
// Returns 0 on success; otherwise 1, with a message (dlerror's, or the missing symbol) in
// `message` (at most `capacity` bytes, NUL-terminated), and `functions` zeroed. On success the
// library stays loaded for the life of the process (it is never dlclose'd).
int ccuda_load(const char *library, CCUDAFunctions *functions, char *message, size_t capacity);

#endif
