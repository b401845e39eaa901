package dev.sark.crossbuild.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the FreeBSD ABI tag from an ELF file's notes: a note named {@code FreeBSD} of type
 * {@code NT_FREEBSD_ABI_TAG} (1) whose 4-byte descriptor is the {@code __FreeBSD_version} the object was built
 * against (1203000 for 12.3). FreeBSD's crt files put it in {@code .note.tag}, in a {@code PT_NOTE} segment;
 * libraries linked without them (zig, lld with other crt files) often have none.
 *
 * <p>A note is namesz, descsz and type (4 bytes each), then the name and the descriptor. The descriptor starts
 * at the header plus name rounded up to the area's alignment, and the next note at the descriptor's end rounded
 * up the same way (4, or 8 in segments aligned to 8 such as GNU property notes), as glibc's loader reads them.
 */
final class ElfNotes {
    static final long NT_FREEBSD_ABI_TAG = 1;
    private static final byte[] FREEBSD = "FreeBSD\0".getBytes(StandardCharsets.US_ASCII);

    private ElfNotes() {
    }

    /** A note area of the file: a PT_NOTE segment or, without program headers, an SHT_NOTE section. */
    record Area(long offset, long size, long align) {
    }

    /** The {@code __FreeBSD_version} of the first FreeBSD ABI tag in the areas, or -1 when there is none. */
    static long freebsdAbiTag(BoundedReader in, List<Area> areas) throws IOException {
        for (Area area : areas) {
            in.require(area.offset(), area.size(), "note segment (PT_NOTE)");
            long pad = area.align() == 8 ? 8 : 4;
            long end = area.offset() + area.size();
            long at = area.offset();
            // Each note takes at least its 12-byte header, so the walk ends within the area.
            while (end - at >= 12) {
                long nameSize = in.u32(at, "note n_namesz");
                long descSize = in.u32(at + 4, "note n_descsz");
                long type = in.u32(at + 8, "note n_type");
                long name = at + 12;
                long desc = at + roundUp(12 + nameSize, pad);
                long next = at + roundUp(desc - at + descSize, pad);
                // The last note's padding may lie past the area; its descriptor may not.
                if (desc > end || descSize > end - desc) {
                    throw in.malformed("a note at offset " + BoundedReader.hex(at) + " (n_namesz " + nameSize
                            + ", n_descsz " + descSize + ") runs past the end of its note segment");
                }
                if (type == NT_FREEBSD_ABI_TAG && descSize == 4 && nameSize == FREEBSD.length
                        && Arrays.equals(in.bytes(name, FREEBSD.length, "note name"), FREEBSD)) {
                    return in.u32(desc, "FreeBSD ABI tag (__FreeBSD_version)");
                }
                at = Math.min(next, end);
            }
        }
        return -1;
    }

    private static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }
}
