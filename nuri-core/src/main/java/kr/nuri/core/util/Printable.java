package kr.nuri.core.util;

/**
 * What may be shown of text that came from outside (a client's names, a server's answers) on a terminal or in a log:
 * no control characters (an ESC sequence would steer a terminal, a NUL cut a line), no invisible formatting or
 * bidirectional overrides, no line or paragraph separators. The server refuses such names; what is shown anyway is
 * written as {@code \\uXXXX}.
 */
public final class Printable {
    private Printable() {}

    public static boolean isPrintable(int codePoint) {
        if (Character.isISOControl(codePoint)) return false;
        return switch (Character.getType(codePoint)) {
            case Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE,
                 Character.UNASSIGNED, Character.PRIVATE_USE -> false;
            default -> true;
        };
    }

    /** The text with every character that is not printable written as {@code \\uXXXX}; null stays null. */
    public static String escaped(String text) {
        if (text == null) return null;
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            boolean ok = isPrintable(cp);
            if (!ok && out == null) out = new StringBuilder(text.substring(0, i));
            if (out != null) {
                if (ok) out.appendCodePoint(cp);
                else out.append(String.format("\\u%04X", cp));
            }
            i += Character.charCount(cp);
        }
        return out == null ? text : out.toString();
    }
}
