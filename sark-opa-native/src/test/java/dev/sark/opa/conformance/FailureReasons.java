package dev.sark.opa.conformance;

import java.util.Locale;

/** Short, stable failure categories from engine messages, for the baseline and the report. */
final class FailureReasons {
    private static final String NO_FUNCTION = "could not find function ";

    private FailureReasons() {}

    /** "missing builtin NAME" when the message says a function is unknown, else null. */
    static String missingBuiltin(String message) {
        int at = message.indexOf(NO_FUNCTION);
        if (at < 0) {
            return null;
        }
        int start = at + NO_FUNCTION.length();
        int end = start;
        while (end < message.length() && !Character.isWhitespace(message.charAt(end))) {
            end++;
        }
        return "missing builtin " + message.substring(start, end);
    }

    /** The category of an error where the case expected a result. */
    static String unexpectedError(String message, boolean atLoad) {
        String missing = missingBuiltin(message);
        if (missing != null) {
            return missing;
        }
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("is unsafe")) {
            return "unsafe variable";
        }
        if (lower.contains("while parsing") || lower.contains("expecting ") || lower.contains("unexpected keyword")
                || lower.contains("unexpected token") || lower.contains("invalid character")) {
            return "parse error";
        }
        if (lower.contains("exceeds maximum") || lower.contains("nested deeper than")
                || lower.contains("operators or reference links") || lower.contains("more than the limit")) {
            return "size limit";
        }
        if (lower.contains("recursion detected")) {
            return "recursion rejected";
        }
        return atLoad ? "policy rejected" : "unexpected error";
    }

    /**
     * regorus' multi-line diagnostics ({@code --> file:line:col}, the source line, a caret line, then
     * {@code error: text}) as one line: {@code error: text @ file:line:col}.
     */
    static String shortMessage(String message) {
        String location = null;
        String last = "";
        for (String line : message.split("\n")) {
            String t = line.trim();
            if (t.startsWith("--> ") && location == null) {
                location = t.substring(4);
            }
            if (!t.isEmpty()) {
                last = t;
            }
        }
        String text = location == null ? message : last + " @ " + location;
        return ResultSetMatcher.abbreviate(text);
    }
}
