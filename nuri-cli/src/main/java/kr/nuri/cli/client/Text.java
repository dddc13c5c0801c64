package kr.nuri.cli.client;

import kr.nuri.core.util.Printable;

/**
 * What the CLI prints of what a server or a user sent: every character that is not printable (controls such as
 * ESC, which a terminal would obey, invisible formatting, bidirectional overrides) is shown as {@code \\uXXXX}.
 */
public final class Text {
    private Text() {}

    public static String printable(String s) {
        return Printable.escaped(s);
    }
}
