package dev.sark.crossbuild.check;

import dev.sark.loader.Platform;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a produced library fits the target it is about to be packaged for (design section 4: "a
 * library that does not match its classifier fails the build").
 *
 * <p>Each problem is one sentence that names both sides, what the library is and what the target needs, so
 * that the build failure explains itself: "library is ELF machine EM_X86_64 (62) but
 * aarch64-unknown-linux-gnu needs EM_AARCH64 (183)". An empty list means the library passed.
 *
 * <p>Checks, by target OS:
 * <ul>
 *   <li>all: the object format (ELF for Linux and FreeBSD, PE/COFF for Windows, Mach-O for macOS);</li>
 *   <li>ELF: class (32/64-bit), byte order, e_machine, that it is a shared object (ET_DYN), the OS ABI,
 *       for 32-bit ARM the hard-float flag, for glibc the highest GLIBC_x.y version against the floor,
 *       for musl the absence of glibc, for FreeBSD the ABI tag and FBSD_1.n versions against FreeBSD 12;</li>
 *   <li>PE: machine, that it is a DLL, JNI exports, subsystem version and imports against Windows 10;</li>
 *   <li>Mach-O: the CPU type of a thin file, or both x86_64 and arm64 slices of a universal one, that
 *       each image is a dynamic library, and each image's minimum macOS against its architecture's.</li>
 * </ul>
 */
public final class LibraryVerifier {

    private LibraryVerifier() {
    }

    /**
     * The problems of a library for a target; empty when it fits.
     *
     * @param expected          the target the library is packaged for
     * @param facts             what the library says about itself
     * @param floors            the oldest glibc a glibc target's library must load on (null for no limit), and
     *                          the macOS minimum of each architecture (a universal library's slices each against
     *                          their own)
     * @param libName           the Rust library name ({@code sark_opa}), or null when the library is not known to
     *                          be a JNI library
     * @param requireJniExports whether, with {@code libName} given, a {@code Java_*} export is required in any
     *                          format (test fixtures and non-JNI libraries pass false; a DLL with an export table
     *                          is checked for them whenever {@code libName} is given)
     */
    public static List<String> problems(Platform expected, BinaryFacts facts, PlatformFloors floors, String libName,
                                        boolean requireJniExports) {
        GlibcFloor floor = floors.glibc();
        List<String> problems = new ArrayList<>();
        String triple = expected.triple();
        switch (expected.os()) {
            case LINUX:
            case FREEBSD:
                if (!(facts instanceof ElfFacts)) {
                    problems.add("library is " + formatPhrase(facts) + " but " + triple
                            + " needs an ELF shared library");
                    return problems;
                }
                checkElf(expected, (ElfFacts) facts, floor, libName, requireJniExports, problems);
                break;
            case WINDOWS:
                if (!(facts instanceof PeFacts)) {
                    problems.add("library is " + formatPhrase(facts) + " but " + triple + " needs a PE/COFF DLL");
                    return problems;
                }
                checkPe(expected, (PeFacts) facts, libName, requireJniExports, problems);
                break;
            case OSX:
                if (!(facts instanceof MachOFacts)) {
                    problems.add("library is " + formatPhrase(facts) + " but " + triple + " needs a Mach-O dylib");
                    return problems;
                }
                checkMachO(expected, (MachOFacts) facts, floors, libName, requireJniExports, problems);
                break;
            default:
                problems.add("no check is known for the OS of " + triple);
        }
        return problems;
    }

    private static String formatPhrase(BinaryFacts facts) {
        if (facts instanceof ElfFacts) {
            return "an ELF file (Linux/BSD)";
        }
        if (facts instanceof PeFacts) {
            return "a PE/COFF file (Windows)";
        }
        if (facts instanceof MachOFacts.Fat) {
            return "a universal Mach-O file (macOS)";
        }
        return "a Mach-O file (macOS)";
    }


    // ------------------------------------------------------------------------------------------------
    // ELF

    /** What an ELF file for an architecture must say in its header. */
    private static final class ElfTarget {
        final int machine;
        final int bits;
        final boolean littleEndian;

        ElfTarget(int machine, int bits, boolean littleEndian) {
            this.machine = machine;
            this.bits = bits;
            this.littleEndian = littleEndian;
        }
    }

    private static ElfTarget elfTarget(Platform.Arch arch) {
        switch (arch) {
            case X86_64:
                return new ElfTarget(ElfFacts.EM_X86_64, 64, true);
            case X86_32:
                return new ElfTarget(ElfFacts.EM_386, 32, true);
            case AARCH_64:
                return new ElfTarget(ElfFacts.EM_AARCH64, 64, true);
            case ARM_32:
                return new ElfTarget(ElfFacts.EM_ARM, 32, true);
            case RISCV_64:
                return new ElfTarget(ElfFacts.EM_RISCV, 64, true);
            case PPCLE_64:
                // EM_PPC64 covers both byte orders; powerpc64le is the little-endian one.
                return new ElfTarget(ElfFacts.EM_PPC64, 64, true);
            case S390_64:
                return new ElfTarget(ElfFacts.EM_S390, 64, false);
            default:
                return null;
        }
    }

    private static void checkElf(Platform expected, ElfFacts elf, GlibcFloor floor, String libName,
                                 boolean requireJniExports, List<String> problems) {
        String triple = expected.triple();
        ElfTarget want = elfTarget(expected.arch());
        if (want == null) {
            problems.add("no ELF machine is known for the architecture of " + triple);
            return;
        }
        if (elf.bits() != want.bits) {
            problems.add("library is a " + elf.bits() + "-bit ELF (ELFCLASS" + elf.bits() + ") but " + triple
                    + " needs a " + want.bits + "-bit ELF (ELFCLASS" + want.bits + ")");
        }
        if (elf.littleEndian() != want.littleEndian) {
            problems.add("library is " + (elf.littleEndian() ? "little" : "big") + "-endian but " + triple
                    + " needs " + (want.littleEndian ? "little" : "big") + "-endian");
        }
        if (elf.machine() != want.machine) {
            problems.add("library is ELF machine " + ElfFacts.machineName(elf.machine()) + " (" + elf.machine()
                    + ") but " + triple + " needs " + ElfFacts.machineName(want.machine) + " (" + want.machine + ")");
        }
        if (elf.type() != ElfFacts.ET_DYN) {
            problems.add("library is an ELF " + typePhrase(elf.type()) + " but " + triple
                    + " needs a shared library (ET_DYN, e_type 3); is the crate-type \"cdylib\"?");
        }
        if (elf.machine() == ElfFacts.EM_ARM && want.machine == ElfFacts.EM_ARM) {
            checkArmFloat(expected, elf, problems);
        }

        boolean needsGlibc = elf.needsGlibc();
        boolean needsMusl = elf.needsMusl();
        boolean needsFreeBsdLibc = elf.needsFreeBsdLibc();

        if (expected.os() == Platform.Os.LINUX) {
            if (elf.osAbi() != ElfFacts.ELFOSABI_SYSV && elf.osAbi() != ElfFacts.ELFOSABI_GNU) {
                problems.add("library has " + ElfFacts.osAbiName(elf.osAbi()) + " but " + triple
                        + " needs a Linux object (EI_OSABI ELFOSABI_SYSV (0) or ELFOSABI_GNU (3))");
            } else if (needsFreeBsdLibc) {
                problems.add("library needs FreeBSD's libc.so.7 but " + triple + " needs a Linux library");
            }
            if (expected.libc() == Platform.Libc.MUSL) {
                checkMusl(triple, elf, needsGlibc, problems);
            } else {
                if (needsMusl && !needsGlibc) {
                    problems.add("library is linked against musl (" + muslEvidence(elf) + ") but " + triple
                            + " needs glibc (libc.so.6)");
                } else if (floor != null) {
                    elf.highestGlibcVersion().ifPresent(highest -> {
                        if (!floor.admits(highest.substring("GLIBC_".length()))) {
                            problems.add("library needs " + highest + " but the floor is " + floor + "; build with"
                                    + " cargo-zigbuild and the ." + floor + " suffix, or raise <glibcFloor>");
                        }
                    });
                }
            }
        } else {
            checkFreeBsd(triple, elf, needsFreeBsdLibc, needsGlibc, needsMusl, problems);
        }

        if (requireJniExports && libName != null
                && elf.exportedSymbols().stream().noneMatch(s -> s.startsWith("Java_"))) {
            problems.add(noJniExports(expected, libName, "its dynamic symbol table"));
        }
    }

    private static String typePhrase(int type) {
        switch (type) {
            case ElfFacts.ET_REL:
                return "relocatable object (ET_REL, e_type 1)";
            case ElfFacts.ET_EXEC:
                return "fixed-address executable (ET_EXEC, e_type 2)";
            default:
                return "file of " + ElfFacts.typeName(type);
        }
    }

    /**
     * 32-bit ARM: EF_ARM_ABI_FLOAT_HARD (0x400) in e_flags marks the hard-float calling convention (arguments
     * in VFP registers), which gnueabihf/musleabihf targets use; gnueabi/musleabi use the soft-float one and
     * leave it clear (setting EF_ARM_ABI_FLOAT_SOFT, 0x200, or nothing). The two cannot call each other.
     */
    private static void checkArmFloat(Platform expected, ElfFacts elf, List<String> problems) {
        boolean hard = (elf.flags() & ElfFacts.EF_ARM_ABI_FLOAT_HARD) != 0;
        String flags = BoundedReader.hex(elf.flags());
        if (expected.hardFloat() && !hard) {
            problems.add("library uses the soft-float ABI (EF_ARM_ABI_FLOAT_HARD 0x400 not set in e_flags " + flags
                    + ") but " + expected.triple() + " needs the hard-float ABI (EF_ARM_ABI_FLOAT_HARD set)");
        } else if (!expected.hardFloat() && hard) {
            problems.add("library uses the hard-float ABI (EF_ARM_ABI_FLOAT_HARD 0x400 set in e_flags " + flags
                    + ") but " + expected.triple() + " needs the soft-float ABI (EF_ARM_ABI_FLOAT_HARD not set)");
        }
    }

    private static String muslEvidence(ElfFacts elf) {
        List<String> evidence = new ArrayList<>();
        if (elf.interpreter() != null && elf.interpreter().contains("ld-musl")) {
            evidence.add("interpreter " + elf.interpreter());
        }
        elf.needed().stream().filter(n -> n.equals("libc.so") || n.startsWith("libc.musl-"))
                .forEach(n -> evidence.add("needs " + n));
        return String.join(", ", evidence);
    }

    private static void checkMusl(String triple, ElfFacts elf, boolean needsGlibc, List<String> problems) {
        if (elf.interpreter() != null && !elf.interpreter().contains("ld-musl")) {
            problems.add("library's program interpreter is " + elf.interpreter() + " but " + triple
                    + " needs musl's (/lib/ld-musl-<arch>.so.1)");
        }
        if (needsGlibc) {
            List<String> evidence = new ArrayList<>();
            if (elf.needed().contains("libc.so.6")) {
                evidence.add("needs libc.so.6");
            }
            elf.highestGlibcVersion().ifPresent(v -> evidence.add("needs " + v));
            problems.add("library is linked against glibc (" + String.join(", ", evidence) + ") but " + triple
                    + " needs musl (libc.so, no GLIBC_ symbol versions)");
        }
    }

    /**
     * FreeBSD objects are branded EI_OSABI 9 (ELFOSABI_FREEBSD). Shared libraries linked by LLVM's lld (the
     * default FreeBSD linker, also used by cross toolchains) often keep EI_OSABI 0 (System V) while still being
     * FreeBSD objects: FreeBSD's run-time linker does not check the brand of shared libraries. Those are
     * recognised by what they link against: FreeBSD's C library soname libc.so.7 (or its FBSD_1.x symbol
     * versions). A System V object with neither could be anything, most likely a Linux library.
     */
    private static void checkFreeBsd(String triple, ElfFacts elf, boolean needsFreeBsdLibc, boolean needsGlibc,
                                     boolean needsMusl, List<String> problems) {
        boolean branded = elf.osAbi() == ElfFacts.ELFOSABI_FREEBSD;
        boolean unbrandedButFreeBsd = elf.osAbi() == ElfFacts.ELFOSABI_SYSV && needsFreeBsdLibc;
        if (!branded && !unbrandedButFreeBsd) {
            String linuxHint = needsGlibc ? "; it needs glibc, so it is a Linux library"
                    : needsMusl ? "; it needs musl, so it is a Linux library" : "";
            problems.add("library has " + ElfFacts.osAbiName(elf.osAbi()) + " and does not need libc.so.7, but "
                    + triple + " needs a FreeBSD object (EI_OSABI ELFOSABI_FREEBSD (9), or a DT_NEEDED of FreeBSD's"
                    + " libc.so.7)" + linuxHint);
        } else if (needsGlibc || needsMusl) {
            problems.add("library needs a Linux C library (" + (needsGlibc ? "glibc" : "musl") + ") but " + triple
                    + " has FreeBSD's libc.so.7");
        }
        FreeBsdRelease.check(triple, elf, problems);
    }

    private static String noJniExports(Platform expected, String libName, String where) {
        String file;
        try {
            file = expected.libraryFileName(libName);
        } catch (IllegalArgumentException e) {
            file = libName;
        }
        return "library exports no Java_* symbol in " + where + " but " + file + " for " + expected.triple()
                + " must export its JNI native methods (Java_<class>_<method>); are they #[no_mangle] pub extern"
                + " \"system\" fn?";
    }

    // ------------------------------------------------------------------------------------------------
    // PE

    private static int peMachine(Platform.Arch arch) {
        switch (arch) {
            case X86_64:
                return PeFacts.IMAGE_FILE_MACHINE_AMD64;
            case X86_32:
                return PeFacts.IMAGE_FILE_MACHINE_I386;
            case AARCH_64:
                return PeFacts.IMAGE_FILE_MACHINE_ARM64;
            case ARM_32:
                return PeFacts.IMAGE_FILE_MACHINE_ARMNT;
            default:
                return -1;
        }
    }

    private static void checkPe(Platform expected, PeFacts pe, String libName, boolean requireJniExports,
                                List<String> problems) {
        String triple = expected.triple();
        int want = peMachine(expected.arch());
        if (want < 0) {
            problems.add("no PE machine is known for the architecture of " + triple);
        } else if (pe.machine() != want) {
            problems.add("library is PE machine " + PeFacts.machineName(pe.machine()) + " ("
                    + BoundedReader.hex(pe.machine()) + ") but " + triple + " needs " + PeFacts.machineName(want)
                    + " (" + BoundedReader.hex(want) + ")");
        }
        if (!pe.isDll()) {
            problems.add("library is a PE executable (IMAGE_FILE_DLL 0x2000 not set in Characteristics "
                    + BoundedReader.hex(pe.characteristics()) + ") but " + triple + " needs a DLL");
        }
        WindowsTenCheck.check(triple, pe, problems);
        if (libName != null && (pe.hasExportTable() || requireJniExports)) {
            // 32-bit stdcall exports may carry a leading underscore (and an @n suffix) that the JVM also tries.
            if (pe.exportedNames().stream().noneMatch(n -> n.startsWith("Java_") || n.startsWith("_Java_"))) {
                problems.add(noJniExports(expected, libName,
                        pe.hasExportTable() ? "its export table" : "an export table (it has none)"));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Mach-O

    private static int machOCpuType(Platform.Arch arch) {
        switch (arch) {
            case X86_64:
                return MachOFacts.CPU_TYPE_X86_64;
            case AARCH_64:
                return MachOFacts.CPU_TYPE_ARM64;
            case X86_32:
                return MachOFacts.CPU_TYPE_X86;
            default:
                return -1;
        }
    }

    private static String cpuPhrase(int cpuType) {
        return MachOFacts.cpuTypeName(cpuType) + " (" + BoundedReader.hex(cpuType & 0xffffffffL) + ")";
    }

    private static void checkMachO(Platform expected, MachOFacts macho, PlatformFloors floors, String libName,
                                   boolean requireJniExports, List<String> problems) {
        String triple = expected.triple();
        if (expected.arch() == Platform.Arch.UNIVERSAL) {
            if (macho instanceof MachOFacts.Thin) {
                problems.add("library is a thin " + MachOFacts.cpuTypeName(((MachOFacts.Thin) macho).cpuType())
                        + " Mach-O but " + triple + " needs a universal file with x86_64 and arm64 slices");
            } else {
                MachOFacts.Fat fat = (MachOFacts.Fat) macho;
                Set<Integer> seen = new HashSet<>();
                for (MachOFacts.Slice s : fat.slices()) {
                    if (!seen.add(s.cpuType())) {
                        problems.add("library has two " + MachOFacts.cpuTypeName(s.cpuType()) + " slices but "
                                + triple + " needs one slice per CPU type");
                    }
                    if (!s.aligned()) {
                        problems.add("library's " + MachOFacts.cpuTypeName(s.cpuType()) + " slice is at offset "
                                + s.offset() + ", not a multiple of 2^" + s.align() + " as its fat_arch says");
                    }
                }
                List<String> missing = new ArrayList<>();
                for (int cpu : new int[] {MachOFacts.CPU_TYPE_X86_64, MachOFacts.CPU_TYPE_ARM64}) {
                    if (fat.slice(cpu).isEmpty()) {
                        missing.add(MachOFacts.cpuTypeName(cpu));
                    }
                }
                if (!missing.isEmpty()) {
                    problems.add("library is a universal Mach-O with slices " + fat.slices().stream()
                            .map(s -> MachOFacts.cpuTypeName(s.cpuType())).collect(Collectors.joining(", "))
                            + " but " + triple + " needs x86_64 and arm64 slices (missing " + String.join(", ", missing)
                            + ")");
                }
            }
        } else {
            int want = machOCpuType(expected.arch());
            if (want < 0) {
                problems.add("no Mach-O CPU type is known for the architecture of " + triple);
            } else if (macho instanceof MachOFacts.Fat) {
                problems.add("library is a universal Mach-O with slices " + ((MachOFacts.Fat) macho).slices().stream()
                        .map(s -> MachOFacts.cpuTypeName(s.cpuType())).collect(Collectors.joining(", ")) + " but "
                        + triple + " needs a thin " + MachOFacts.cpuTypeName(want) + " Mach-O");
            } else if (((MachOFacts.Thin) macho).cpuType() != want) {
                problems.add("library is Mach-O cputype " + cpuPhrase(((MachOFacts.Thin) macho).cpuType()) + " but "
                        + triple + " needs " + cpuPhrase(want));
            }
        }
        boolean fat = macho instanceof MachOFacts.Fat;
        for (MachOFacts.Thin image : macho.images()) {
            String subject = fat ? "library's " + MachOFacts.cpuTypeName(image.cpuType()) + " slice" : "library";
            if (image.fileType() != MachOFacts.MH_DYLIB && image.fileType() != MachOFacts.MH_BUNDLE) {
                problems.add(subject + " is Mach-O " + MachOFacts.fileTypeName(image.fileType()) + " but " + triple
                        + " needs a dynamic library (" + MachOFacts.fileTypeName(MachOFacts.MH_DYLIB) + ")");
            }
            // Each image is held to its own architecture's minimum (a wrong CPU type is reported above).
            Platform.Arch arch = MacosMinimumCheck.arch(image.cpuType());
            if (arch != null) {
                MacosMinimumCheck.check(triple, image, subject, floors.macosMinimum(arch), problems);
            }
            if (requireJniExports && libName != null && image.hasSymbolTable()
                    && image.exportedSymbols().stream().noneMatch(s -> s.startsWith("Java_"))) {
                String where = (fat ? "the " + MachOFacts.cpuTypeName(image.cpuType()) + " slice's" : "its")
                        + " symbol table";
                problems.add(noJniExports(expected, libName, where));
            }
        }
    }
}
