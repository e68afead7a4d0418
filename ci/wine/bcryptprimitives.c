/* A stand-in for Windows' bcryptprimitives.dll, for running the test
 * executables under Wine 8, which lacks it. Rust's standard library takes
 * its random bytes (HashMap keys, ...) from ProcessPrng there; this one
 * takes them from RtlGenRandom (advapi32's SystemFunction036), which Wine
 * has. Like the real function it fills the whole buffer and returns TRUE. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG) length;
        if (!SystemFunction036(data, chunk)) {
            ExitProcess(3);
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
