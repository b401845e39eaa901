/*
 * A stand-in for Windows' bcryptprimitives.dll, exporting only ProcessPrng, for Wine releases older than
 * 8.13 (Debian bookworm ships 8.0) that do not have that DLL. Rust's standard library imports
 * bcryptprimitives.dll!ProcessPrng on Windows since Rust 1.78 (Windows 10 and later always have it), so
 * without this a Rust DLL does not load in such a Wine at all. dev.sark.testing.WineProbe builds it and
 * puts it next to the probe executable, where the Windows loader looks first, only when the Wine in use
 * lacks the DLL; the probe's result says so.
 *
 * ProcessPrng fills a buffer with random bytes and always returns TRUE; here RtlGenRandom
 * (advapi32!SystemFunction036, present in every Wine) produces them.
 */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG) length;
        if (!RtlGenRandom(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
