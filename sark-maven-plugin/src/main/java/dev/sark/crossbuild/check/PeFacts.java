package dev.sark.crossbuild.check;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The facts of a PE/COFF image (Windows DLL) that decide whether it fits a target: machine, whether it is a
 * DLL, the Windows version its optional header asks for, the names it exports and the DLLs it imports.
 *
 * <p>Layout (Microsoft "PE Format" specification): an MS-DOS header whose {@code e_lfanew} (offset 0x3c)
 * points at the {@code PE\0\0} signature, the 20-byte COFF file header, the optional header (PE32 or PE32+)
 * ending in data directories, then the section table. Data directories hold RVAs (addresses relative to the
 * image base once loaded); they are turned into file offsets through the section table.
 *
 * @param machine          COFF Machine, e.g. {@link #IMAGE_FILE_MACHINE_AMD64}
 * @param characteristics  COFF Characteristics
 * @param pe32Plus         whether the optional header is PE32+ (64-bit images) rather than PE32
 * @param hasExportTable   whether the image has an export directory at all
 * @param exportedDllName  the DLL name recorded in the export directory ({@code sark_opa.dll}), or null without
 *                         exports
 * @param exportedNames    the exported names (exports by ordinal only have none), in table order
 * @param importedDlls     the DLLs named by the import directory, in order ({@code KERNEL32.dll}, ...)
 * @param subsystemVersion MajorSubsystemVersion.MinorSubsystemVersion: the oldest Windows whose loader accepts
 *                         the image (it refuses a DLL that asks for a newer subsystem than its own); null when
 *                         the optional header is too short
 * @param osVersion        MajorOperatingSystemVersion.MinorOperatingSystemVersion (informational for the
 *                         loader), or null
 */
public record PeFacts(int machine, int characteristics, boolean pe32Plus, boolean hasExportTable,
                      String exportedDllName, Set<String> exportedNames, List<String> importedDlls,
                      WindowsVersion subsystemVersion, WindowsVersion osVersion) implements BinaryFacts {

    static final byte[] MZ = {'M', 'Z'};

    public static final int IMAGE_FILE_MACHINE_I386 = 0x14c;
    public static final int IMAGE_FILE_MACHINE_ARMNT = 0x1c4;
    public static final int IMAGE_FILE_MACHINE_AMD64 = 0x8664;
    public static final int IMAGE_FILE_MACHINE_ARM64 = 0xaa64;

    /** COFF characteristics bit: the image is a dynamic-link library. */
    public static final int IMAGE_FILE_DLL = 0x2000;

    private static final int PE32_MAGIC = 0x10b;
    private static final int PE32_PLUS_MAGIC = 0x20b;
    private static final int SECTION_HEADER_SIZE = 40;
    private static final int EXPORT_DIRECTORY_SIZE = 40;
    private static final int IMPORT_DESCRIPTOR_SIZE = 20;

    public PeFacts {
        exportedNames = Collections.unmodifiableSet(new LinkedHashSet<>(exportedNames));
        importedDlls = List.copyOf(importedDlls);
    }

    public boolean isDll() {
        return (characteristics & IMAGE_FILE_DLL) != 0;
    }

    @Override
    public String formatName() {
        return "PE/COFF";
    }

    /** {@code Windows 10} for subsystem 10.0, else {@code Windows subsystem 6.0}; {@code Windows} without one. */
    @Override
    public String platformRequirement() {
        if (subsystemVersion == null) {
            return "Windows";
        }
        return subsystemVersion.major() == 10 && subsystemVersion.minor() == 0 ? "Windows 10"
                : "Windows subsystem " + subsystemVersion;
    }

    @Override
    public String summary() {
        return "PE/COFF " + (pe32Plus ? "PE32+" : "PE32") + " " + machineName(machine) + " ("
                + BoundedReader.hex(machine) + ")" + (isDll() ? " DLL" : " executable")
                + (hasExportTable ? ", " + exportedNames.size() + " exports" : ", no export table")
                + (subsystemVersion != null ? ", subsystem " + subsystemVersion : "");
    }

    @Override
    public String toString() {
        return summary();
    }

    /** {@code IMAGE_FILE_MACHINE_AMD64} for 0x8664, and so on. */
    public static String machineName(int machine) {
        switch (machine) {
            case IMAGE_FILE_MACHINE_I386:
                return "IMAGE_FILE_MACHINE_I386";
            case IMAGE_FILE_MACHINE_ARMNT:
                return "IMAGE_FILE_MACHINE_ARMNT";
            case IMAGE_FILE_MACHINE_AMD64:
                return "IMAGE_FILE_MACHINE_AMD64";
            case IMAGE_FILE_MACHINE_ARM64:
                return "IMAGE_FILE_MACHINE_ARM64";
            case 0xa641:
                return "IMAGE_FILE_MACHINE_ARM64EC";
            case 0x200:
                return "IMAGE_FILE_MACHINE_IA64";
            default:
                return "IMAGE_FILE_MACHINE_" + BoundedReader.hex(machine);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Reading

    /** A section header, reduced to the address mapping. */
    private static final class Section {
        String name;
        long virtualSize;
        long virtualAddress;
        long rawSize;
        long rawPointer;
    }

    static PeFacts parse(BoundedReader in) throws IOException {
        in.require(0, 64, "MS-DOS header");
        long peOffset = in.u32(0x3c, "e_lfanew");
        in.require(peOffset, 24, "PE signature and COFF file header (at e_lfanew)");
        if (!in.startsWith(peOffset, new byte[] {'P', 'E', 0, 0})) {
            throw in.malformed("no PE\\0\\0 signature at e_lfanew " + BoundedReader.hex(peOffset)
                    + ": an MS-DOS program, not a Windows DLL");
        }
        long coff = peOffset + 4;
        int machine = in.u16(coff, "Machine");
        int sectionCount = in.u16(coff + 2, "NumberOfSections");
        int optionalSize = in.u16(coff + 16, "SizeOfOptionalHeader");
        int characteristics = in.u16(coff + 18, "Characteristics");

        long optional = coff + 20;
        if (optionalSize < 2) {
            throw in.malformed("no optional header (SizeOfOptionalHeader " + optionalSize + "): not an image");
        }
        in.require(optional, optionalSize, "optional header");
        int magic = in.u16(optional, "optional header Magic");
        if (magic != PE32_MAGIC && magic != PE32_PLUS_MAGIC) {
            throw in.malformed("optional header magic " + BoundedReader.hex(magic) + " is neither PE32 (0x10b) nor"
                    + " PE32+ (0x20b)");
        }
        boolean plus = magic == PE32_PLUS_MAGIC;
        int countField = plus ? 108 : 92;
        int directoriesField = plus ? 112 : 96;
        long sizeOfHeaders = optionalSize >= 64 ? in.u32(optional + 60, "SizeOfHeaders") : 0;
        // The version fields sit at the same offsets in PE32 and PE32+ (the 64-bit ImageBase ends before them).
        WindowsVersion osVersion = null;
        WindowsVersion subsystemVersion = null;
        if (optionalSize >= 52) {
            osVersion = new WindowsVersion(in.u16(optional + 40, "MajorOperatingSystemVersion"),
                    in.u16(optional + 42, "MinorOperatingSystemVersion"));
            subsystemVersion = new WindowsVersion(in.u16(optional + 48, "MajorSubsystemVersion"),
                    in.u16(optional + 50, "MinorSubsystemVersion"));
        }
        long directoryCount = 0;
        if (optionalSize >= directoriesField) {
            // Only the directories that fit in SizeOfOptionalHeader exist, whatever NumberOfRvaAndSizes says.
            directoryCount = Math.min(in.u32(optional + countField, "NumberOfRvaAndSizes"),
                    (optionalSize - directoriesField) / 8);
        }

        long sectionTable = optional + optionalSize;
        int n = in.requireTable(sectionTable, sectionCount, SECTION_HEADER_SIZE, "section table");
        List<Section> sections = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long at = sectionTable + (long) i * SECTION_HEADER_SIZE;
            Section s = new Section();
            byte[] rawName = in.bytes(at, 8, "section name");
            int len = 0;
            while (len < 8 && rawName[len] != 0) {
                len++;
            }
            s.name = new String(rawName, 0, len, java.nio.charset.StandardCharsets.UTF_8);
            s.virtualSize = in.u32(at + 8, "VirtualSize");
            s.virtualAddress = in.u32(at + 12, "VirtualAddress");
            s.rawSize = in.u32(at + 16, "SizeOfRawData");
            s.rawPointer = in.u32(at + 20, "PointerToRawData");
            sections.add(s);
        }

        boolean hasExports = false;
        String dllName = null;
        Set<String> exports = new LinkedHashSet<>();
        if (directoryCount > 0) {
            long exportRva = in.u32(optional + directoriesField, "export directory RVA");
            if (exportRva != 0) {
                hasExports = true;
                long dir = toOffset(in, sections, sizeOfHeaders, exportRva, "export directory");
                in.require(dir, EXPORT_DIRECTORY_SIZE, "export directory");
                long nameRva = in.u32(dir + 12, "export Name RVA");
                if (nameRva != 0) {
                    dllName = in.cstring(toOffset(in, sections, sizeOfHeaders, nameRva, "export Name"), in.size(),
                            "export directory Name");
                }
                long nameCount = in.u32(dir + 24, "NumberOfNames");
                if (nameCount > 0) {
                    long names = toOffset(in, sections, sizeOfHeaders, in.u32(dir + 32, "AddressOfNames"),
                            "export name pointer table");
                    int count = in.requireTable(names, nameCount, 4, "export name pointer table");
                    for (int i = 0; i < count; i++) {
                        long rva = in.u32(names + 4L * i, "export name RVA");
                        exports.add(in.cstring(toOffset(in, sections, sizeOfHeaders, rva, "export name"),
                                in.size(), "export name"));
                    }
                }
            }
        }

        List<String> imports = new ArrayList<>();
        if (directoryCount > 1) {
            long importRva = in.u32(optional + directoriesField + 8, "import directory RVA");
            if (importRva != 0) {
                long at = toOffset(in, sections, sizeOfHeaders, importRva, "import directory");
                // A table of IMAGE_IMPORT_DESCRIPTORs ended by an all-zero entry; bounded by the file length.
                long max = in.size() / IMPORT_DESCRIPTOR_SIZE;
                for (long i = 0; ; i++) {
                    if (i > max) {
                        throw in.malformed("the import directory has no terminating empty entry");
                    }
                    long entry = at + i * IMPORT_DESCRIPTOR_SIZE;
                    in.require(entry, IMPORT_DESCRIPTOR_SIZE, "import descriptor " + i);
                    long nameRva = in.u32(entry + 12, "import Name RVA");
                    if (nameRva == 0) {
                        break;
                    }
                    imports.add(in.cstring(toOffset(in, sections, sizeOfHeaders, nameRva, "imported DLL name"),
                            in.size(), "imported DLL name"));
                }
            }
        }
        return new PeFacts(machine, characteristics, plus, hasExports, dllName, exports, imports, subsystemVersion,
                osVersion);
    }

    /**
     * Maps an RVA to a file offset through the section that contains it, or identically when it points into
     * the headers (which are mapped at the image base). An RVA in a section's zero-filled tail (past
     * SizeOfRawData) has no bytes in the file and is reported as malformed.
     */
    private static long toOffset(BoundedReader in, List<Section> sections, long sizeOfHeaders, long rva, String what)
            throws IOException {
        for (Section s : sections) {
            long extent = Math.max(s.virtualSize, s.rawSize);
            if (rva >= s.virtualAddress && rva - s.virtualAddress < extent) {
                long delta = rva - s.virtualAddress;
                if (delta >= s.rawSize) {
                    throw in.malformed(what + " RVA " + BoundedReader.hex(rva) + " lies in the uninitialised part of"
                            + " section " + s.name + ", which has no bytes in the file");
                }
                return s.rawPointer + delta;
            }
        }
        if (rva < sizeOfHeaders) {
            return rva;
        }
        throw in.malformed(what + " RVA " + BoundedReader.hex(rva) + " is not inside any section");
    }
}
