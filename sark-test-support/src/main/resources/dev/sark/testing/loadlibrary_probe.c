/*
 * loadlibrary_probe: loads a Windows DLL with LoadLibraryA and looks up symbols with GetProcAddress.
 * Built with x86_64-w64-mingw32-gcc and run under wine by dev.sark.testing.WineProbe.
 *
 * Usage: loadlibrary_probe.exe DLL [SYMBOL...]   (without arguments: prints the wine line, exits 64)
 * Prints one line per fact, then exits 0 when the DLL loaded and every symbol was found:
 *   wine <version>                              wine_get_version() from ntdll (absent on real Windows)
 *   loaded <path> | error <code> <message>      exit 2 on error
 *   module <path>                               GetModuleFileNameA of the loaded DLL
 *   found <symbol> | missing <symbol>           exit 1 if any is missing
 *   mapped <path>                               every module in the process after loading (shows which
 *                                               DLLs satisfied the library's imports)
 */
#include <windows.h>
#include <psapi.h>
#include <stdio.h>
#include <string.h>

static void print_modules(void) {
    HMODULE modules[1024];
    DWORD needed = 0;
    if (!EnumProcessModules(GetCurrentProcess(), modules, sizeof modules, &needed)) {
        return;
    }
    for (DWORD i = 0; i < needed / sizeof modules[0] && i < sizeof modules / sizeof modules[0]; i++) {
        char name[MAX_PATH] = "";
        if (GetModuleFileNameA(modules[i], name, sizeof name) > 0) {
            printf("mapped %s\n", name);
        }
    }
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    const char *(*wine_get_version)(void) =
            ntdll == NULL ? NULL : (const char *(*)(void)) (void (*)(void)) GetProcAddress(ntdll, "wine_get_version");
    printf("wine %s\n", wine_get_version != NULL ? wine_get_version() : "none");
    if (argc < 2) {
        fprintf(stderr, "usage: %s DLL [SYMBOL...]\n", argv[0]);
        return 64;
    }

    /* No error dialog boxes: a failed load must come back as an error code. */
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX);
    HMODULE lib = LoadLibraryA(argv[1]);
    if (lib == NULL) {
        DWORD code = GetLastError();
        char msg[1024] = "";
        FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, msg, sizeof msg, NULL);
        msg[strcspn(msg, "\r\n")] = '\0';
        printf("error %lu %s\n", (unsigned long) code, msg);
        return 2;
    }
    printf("loaded %s\n", argv[1]);
    char module[MAX_PATH] = "";
    if (GetModuleFileNameA(lib, module, sizeof module) > 0) {
        printf("module %s\n", module);
    }
    int missing = 0;
    for (int i = 2; i < argc; i++) {
        if (GetProcAddress(lib, argv[i]) != NULL) {
            printf("found %s\n", argv[i]);
        } else {
            printf("missing %s\n", argv[i]);
            missing++;
        }
    }
    print_modules();
    return missing == 0 ? 0 : 1;
}
