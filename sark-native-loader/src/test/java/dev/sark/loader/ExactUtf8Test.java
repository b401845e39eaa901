package dev.sark.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExactUtf8Test {
    @Test
    void nulAndSupplementaryCharactersAreStandardUtf8() {
        assertArrayEquals(new byte[] {'a', 0, (byte) 0xF0, (byte) 0x9F, (byte) 0x9A, (byte) 0x80},
                ExactUtf8.encode("a\u0000\uD83D\uDE80", "text"));
        assertArrayEquals(new byte[0], ExactUtf8.encode("", "text"));
    }

    @Test
    void everyKindOfUnpairedSurrogateIsRefusedWithItsPlace() {
        for (String bad : new String[] {"\uD800", "x\uDC00", "\uD83Dx", "ok\uD83D", "\uDE80\uD83D", "\uD83D\uD83D\uDE80x\uDFFF"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ExactUtf8.encode(bad, "input JSON"), bad);
            assertTrue(e.getMessage().startsWith("input JSON contains an unpaired surrogate (U+D"), e.getMessage());
            assertTrue(e.getMessage().contains("at index " + ExactUtf8.unpairedSurrogate(bad)), e.getMessage());
        }
    }

    @Test
    void nullIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExactUtf8.encode(null, "key"));
        assertTrue(e.getMessage().contains("key"), e.getMessage());
    }
}
