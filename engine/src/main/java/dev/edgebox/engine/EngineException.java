package dev.edgebox.engine;

/**
 * A problem the user can fix: a bad model file, an unsupported architecture, a prompt that does not
 * fit. The message is one line that names what was wrong and what was expected; front ends print it
 * as is and show the stack trace only when asked to.
 */
public class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A value from a file or request, quoted so that it is safe inside a one-line message:
     * control characters escaped, long values cut.
     */
    public static String quote(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\uFFFD') b.append(String.format("\\x%02x", (int) c & 0xff));
            else b.append(c);
        }
        return b.append(s.length() > 80 ? "...'" : "'").toString();
    }
}
