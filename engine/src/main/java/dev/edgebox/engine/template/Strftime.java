package dev.edgebox.engine.template;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * C strftime in the C locale, for the {@code strftime_now(format)} global that templates such as
 * Llama 3.2's use to print today's date. Supports glibc's '-' flag (no padding), as in "%-d".
 */
final class Strftime {
    private Strftime() {}

    static String format(LocalDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            boolean pad = true;
            if (d == '-' && i + 1 < format.length()) {
                pad = false;
                d = format.charAt(++i);
            }
            String field = field(t, d, pad);
            out.append(field != null ? field : "%" + (pad ? "" : "-") + d);
        }
        return out.toString();
    }

    private static String field(LocalDateTime t, char d, boolean pad) {
        return switch (d) {
            case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US);
            case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.US);
            case 'd' -> number(t.getDayOfMonth(), 2, pad, '0');
            case 'e' -> number(t.getDayOfMonth(), 2, pad, ' ');
            case 'm' -> number(t.getMonthValue(), 2, pad, '0');
            case 'y' -> number(t.getYear() % 100, 2, pad, '0');
            case 'Y' -> Integer.toString(t.getYear());
            case 'H' -> number(t.getHour(), 2, pad, '0');
            case 'I' -> number((t.getHour() + 11) % 12 + 1, 2, pad, '0');
            case 'M' -> number(t.getMinute(), 2, pad, '0');
            case 'S' -> number(t.getSecond(), 2, pad, '0');
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'j' -> number(t.getDayOfYear(), 3, pad, '0');
            case 'f' -> number(t.getNano() / 1000, 6, true, '0');
            case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
            case 'u' -> Integer.toString(t.getDayOfWeek().getValue());
            case 'F' -> format(t, "%Y-%m-%d");
            case 'T' -> format(t, "%H:%M:%S");
            case 'D', 'x' -> format(t, "%m/%d/%y");
            case 'X' -> format(t, "%H:%M:%S");
            case 'c' -> format(t, "%a %b %e %H:%M:%S %Y");
            case 'z', 'Z' -> "";
            case '%' -> "%";
            default -> null;
        };
    }

    private static String number(int value, int width, boolean pad, char fill) {
        String s = Integer.toString(value);
        return pad && s.length() < width ? String.valueOf(fill).repeat(width - s.length()) + s : s;
    }
}
