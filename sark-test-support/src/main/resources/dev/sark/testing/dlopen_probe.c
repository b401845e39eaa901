/*
 * dlopen_probe: loads a shared library with the dynamic loader this program was linked for
 * (musl's, when built with musl-gcc) and looks up symbols in it. Used by dev.sark.testing.MuslProbe.
 *
 * Usage: dlopen_probe LIBRARY [SYMBOL...]
 * Prints one line per fact, then exits 0 when the library loaded and every symbol was found:
 *   interpreter <PT_INTERP of /proc/self/exe>   the dynamic loader the kernel started for this program
 *   loaded <path> | error <dlerror text>        exit 2 on error
 *   found <symbol> | missing <symbol>           exit 1 if any is missing
 *   mapped <path>                               every file mapped into the process after loading
 *                                               (shows which C library is really in use)
 */
#include <dlfcn.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_interpreter(void) {
    FILE *f = fopen("/proc/self/exe", "rb");
    Elf64_Ehdr eh;
    if (f == NULL || fread(&eh, sizeof eh, 1, f) != 1 || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0
            || eh.e_ident[EI_CLASS] != ELFCLASS64) {
        printf("interpreter ?\n");
        if (f != NULL) {
            fclose(f);
        }
        return;
    }
    for (int i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        if (fseek(f, (long) (eh.e_phoff + (Elf64_Off) i * eh.e_phentsize), SEEK_SET) != 0
                || fread(&ph, sizeof ph, 1, f) != 1) {
            break;
        }
        if (ph.p_type == PT_INTERP && ph.p_filesz > 0 && ph.p_filesz < 4096) {
            char buf[4096];
            if (fseek(f, (long) ph.p_offset, SEEK_SET) == 0 && fread(buf, 1, ph.p_filesz, f) == ph.p_filesz) {
                buf[ph.p_filesz - 1] = '\0';
                printf("interpreter %s\n", buf);
                fclose(f);
                return;
            }
        }
    }
    printf("interpreter none\n");
    fclose(f);
}

static void print_mapped_files(void) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[8192];
    char last[8192] = "";
    if (f == NULL) {
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *path = strchr(line, '/');
        if (path == NULL) {
            continue;
        }
        path[strcspn(path, "\n")] = '\0';
        if (strcmp(path, last) != 0) { /* consecutive mappings of one file: print it once */
            printf("mapped %s\n", path);
            strncpy(last, path, sizeof last - 1);
        }
    }
    fclose(f);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s LIBRARY [SYMBOL...]\n", argv[0]);
        return 64;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    print_interpreter();
    /* RTLD_NOW: every undefined symbol of the library must resolve now, not at its first call. */
    void *handle = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *err = dlerror();
        printf("error %s\n", err != NULL ? err : "dlopen failed");
        print_mapped_files();
        return 2;
    }
    printf("loaded %s\n", argv[1]);
    int missing = 0;
    for (int i = 2; i < argc; i++) {
        dlerror();
        void *sym = dlsym(handle, argv[i]);
        if (sym != NULL && dlerror() == NULL) {
            printf("found %s\n", argv[i]);
        } else {
            printf("missing %s\n", argv[i]);
            missing++;
        }
    }
    print_mapped_files();
    return missing == 0 ? 0 : 1;
}
