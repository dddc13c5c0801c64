package kr.nuri.server.api;

/**
 * Names and identifiers a client sends (a job's name, a project, a user, an award, a token's user, an idempotency
 * key): hostile until checked. Each must be non-blank, at most {@link #MAX_LENGTH} characters, and printable: no
 * control characters (an ESC sequence would reach an operator's terminal, a NUL could not be asked for again),
 * no invisible formatting or bidirectional overrides, no line or paragraph separators.
 */
final class Identifiers {
    static final int MAX_LENGTH = 128;

    private Identifiers() {}

    /** {@code value} if acceptable (null passes: the field was not given); else a 400 naming the field. */
    static String check(String field, String value) {
        if (value == null) return null;
        if (value.isBlank()) throw Problem.badRequest(field, value, field + " is empty. Maybe leave it out?");
        if (value.length() > MAX_LENGTH) {
            throw Problem.badRequest(field, value.substring(0, 32) + "…", field + " has " + value.length() + " characters; at most "
                    + MAX_LENGTH + " are allowed");
        }
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (!printable(cp)) {
                throw Problem.badRequest(field, escaped(value), field + " holds " + String.format("U+%04X", cp) + " at position " + i
                        + ", which is not printable. Maybe letters, digits and punctuation only?");
            }
            i += Character.charCount(cp);
        }
        return value;
    }

    static boolean printable(int cp) {
        return kr.nuri.core.util.Printable.isPrintable(cp);
    }

    /** The value with every character that is not printable written as {@code \\uXXXX}, safe to show anywhere. */
    static String escaped(String value) {
        return kr.nuri.core.util.Printable.escaped(value);
    }
}
