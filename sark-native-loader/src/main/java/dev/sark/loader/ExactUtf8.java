package dev.sark.loader;

import java.nio.charset.StandardCharsets;

/**
 * Exact UTF-8 for text that crosses into SARK's native libraries. {@code String.getBytes(UTF_8)} silently
 * turns an unpaired surrogate into {@code '?'}, and JNI's {@code GetStringUTFChars} produces modified UTF-8
 * (NUL as two bytes, supplementary characters as two 3-byte halves), so the native modules make the bytes
 * here and their native sides only ever see byte arrays.
 */
public final class ExactUtf8 {
    private ExactUtf8() {
    }

    /**
     * The UTF-8 bytes of {@code text}.
     *
     * @param what names the argument in the exception messages ("key", "input JSON")
     * @throws IllegalArgumentException when {@code text} is null ({@link NativeHandle#requireArgument}) or holds an
     *                                  unpaired surrogate, which has no UTF-8 form
     */
    public static byte[] encode(String text, String what) {
        NativeHandle.requireArgument(text, what);
        int unpaired = unpairedSurrogate(text);
        if (unpaired >= 0) {
            throw new IllegalArgumentException(what + " contains an unpaired surrogate (U+"
                    + Integer.toHexString(text.charAt(unpaired)).toUpperCase(java.util.Locale.ROOT) + ") at index "
                    + unpaired + " and cannot be encoded as UTF-8 exactly");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The index of the first surrogate that is not half of a pair, or -1. */
    static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a valid pair
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
