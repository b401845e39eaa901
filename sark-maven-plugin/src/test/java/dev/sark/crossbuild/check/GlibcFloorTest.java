package dev.sark.crossbuild.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlibcFloorTest {
    @Test
    void parsesOnceAndPrintsAsCargoZigbuildsSuffix() {
        GlibcFloor floor = GlibcFloor.parse(" 2.17 ");
        assertEquals(new GlibcFloor(2, 17), floor);
        assertEquals("2.17", floor.toString());
    }

    @Test
    void admitsLibrariesNeedingNoNewerGlibcComparedAsNumbersNotText() {
        GlibcFloor floor = GlibcFloor.parse("2.17");
        assertTrue(floor.admits("2.2.5"));
        assertTrue(floor.admits("2.17"));
        assertFalse(floor.admits("2.18"));
        assertFalse(floor.admits("2.34"), "2.34 > 2.17 although \"2.34\" < \"2.17\" is false as text too");
        assertTrue(GlibcFloor.parse("2.28").admits("2.9"), "2.9 < 2.28 numerically");
    }

    @Test
    void anythingButAGlibcVersionIsRefused() {
        for (String bad : new String[] {"", "2", "2.x", "GLIBC_2.17", "3.1", "2.17.1", "latest"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GlibcFloor.parse(bad), bad);
            assertTrue(e.getMessage().contains("is not a glibc version such as 2.17"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> GlibcFloor.parse(null));
    }
}
