package dev.edgebox.engine.lora;

import dev.edgebox.engine.EngineException;
import java.util.regex.Pattern;

/**
 * An adapter named on a command line or in a config: {@code [name=]PATH_OR_NAME[:scale]}. The
 * scale suffix is taken only when it is a number, so Windows drive letters and odd file names
 * survive.
 *
 * @param name   the explicit name before '=', or null
 * @param target a path (PEFT directory or .gguf file) or the name of an adapter in the store
 * @param scale  the user scale (default 1)
 */
public record AdapterSpec(String name, String target, float scale) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public static AdapterSpec parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) throw new EngineException("empty adapter; expected PATH[:scale] or NAME[:scale]");
        String name = null;
        int eq = s.indexOf('=');
        if (eq > 0 && validName(s.substring(0, eq))) {
            name = s.substring(0, eq);
            s = s.substring(eq + 1);
        }
        float scale = 1f;
        int colon = s.lastIndexOf(':');
        if (colon >= 0) {
            String tail = s.substring(colon + 1);
            if (tail.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                scale = Float.parseFloat(tail);
                s = s.substring(0, colon);
            }
        }
        if (s.isEmpty()) throw new EngineException("adapter " + EngineException.quote(text) + " names no path or adapter");
        if (!Float.isFinite(scale)) throw new EngineException("adapter scale in " + EngineException.quote(text) + " is not a finite number");
        return new AdapterSpec(name, s, scale);
    }

    /** Whether s may name an adapter: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64. */
    public static boolean validName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    public static String requireValidName(String s) {
        if (!validName(s)) {
            throw new EngineException("adapter name " + EngineException.quote(s)
                    + " is not valid; use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)");
        }
        return s;
    }
}
