package kr.nuri.cli.client;

/**
 * What the CLI prints of what a server or a user sent: every character that is not printable (controls such as
 * ESC, which a terminal would obey, invisible formatting, bidirectional overrides) is shown as {@code \\uXXXX}.
 */
public final class Text {
    private Text() {}

    public static String printable(String s) {
        if (s == null) return null;
        StringBuilder out = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            boolean ok = !Character.isISOControl(cp) && switch (Character.getType(cp)) {
                case Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE,
                     Character.UNASSIGNED, Character.PRIVATE_USE -> false;
                default -> true;
            };
            if (!ok && out == null) out = new StringBuilder(s.substring(0, i));
            if (out != null) {
                if (ok) out.appendCodePoint(cp);
                else out.append(String.format("\\u%04X", cp));
            }
            i += Character.charCount(cp);
        }
        return out == null ? s : out.toString();
    }
}
