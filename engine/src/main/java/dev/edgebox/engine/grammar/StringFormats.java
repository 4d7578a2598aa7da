package dev.edgebox.engine.grammar;

import static dev.edgebox.engine.grammar.Expr.alt;
import static dev.edgebox.engine.grammar.Expr.chars;
import static dev.edgebox.engine.grammar.Expr.lit;
import static dev.edgebox.engine.grammar.Expr.optional;
import static dev.edgebox.engine.grammar.Expr.repeat;
import static dev.edgebox.engine.grammar.Expr.seq;
import static dev.edgebox.engine.grammar.Expr.star;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The string formats constrained decoding supports, each as a grammar and as a check, and the two
 * agree: the grammar produces only strings the check accepts. "date" is an RFC 3339 full-date
 * with real calendar days (February 29 only in leap years); "time" an RFC 3339 full-time (seconds
 * 00-59, offset required and within the real range -14:00..+14:00); "date-time" both joined by
 * 'T'; "uuid" 8-4-4-4-12 hex digits; "ipv4" dotted decimal without leading zeros; "email" a plain
 * subset of addresses (dot-separated atoms of letters, digits and {@code _%+-}, then a domain of
 * one or more labels and a common top-level domain from {@link #EMAIL_TLDS}).
 */
final class StringFormats {
    static final List<String> SUPPORTED = List.of("date", "time", "date-time", "uuid", "email", "ipv4");

    /** Top-level domains an email address may end in: validators commonly check the TLD against IANA's list. */
    static final List<String> EMAIL_TLDS = List.of("com", "org", "net", "edu", "gov", "io", "ai", "dev", "app", "info", "biz", "co",
            "us", "uk", "de", "fr", "jp", "cn", "ru", "br", "in", "it", "es", "nl", "au", "ca", "ch", "se", "kr", "tw", "hk", "sg");

    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])");
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9_%+-]{1,64}(\\.[A-Za-z0-9_%+-]{1,64})*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+(" + String.join("|", EMAIL_TLDS) + ")");

    private StringFormats() {}

    /** The format's characters (string content without quotes); none of them needs escaping in JSON. */
    static Expr grammar(String format) {
        return switch (format) {
            case "date" -> date();
            case "time" -> time();
            case "date-time" -> seq(date(), lit("T"), time());
            case "uuid" -> seq(hex(8), lit("-"), hex(4), lit("-"), hex(4), lit("-"), hex(4), lit("-"), hex(12));
            case "ipv4" -> seq(octet(), lit("."), octet(), lit("."), octet(), lit("."), octet());
            case "email" -> email();
            default -> throw new IllegalArgumentException(format);
        };
    }

    static boolean valid(String format, String s) {
        return switch (format) {
            case "date" -> validDate(s);
            case "time" -> TIME.matcher(s).matches();
            case "date-time" -> {
                int t = s.indexOf('T');
                yield t == 10 && validDate(s.substring(0, t)) && TIME.matcher(s.substring(t + 1)).matches();
            }
            case "uuid" -> UUID.matcher(s).matches();
            case "ipv4" -> IPV4.matcher(s).matches();
            case "email" -> EMAIL.matcher(s).matches();
            default -> throw new IllegalArgumentException(format);
        };
    }

    /** Shortest and longest string of the format (longest -1: unbounded). */
    static long[] lengths(String format) {
        return switch (format) {
            case "date" -> new long[] {10, 10};
            case "uuid" -> new long[] {36, 36};
            case "ipv4" -> new long[] {7, 15};
            default -> RegexParser.lengths(grammar(format));
        };
    }

    private static boolean validDate(String s) {
        if (s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') return false;
        for (int i : new int[] {0, 1, 2, 3, 5, 6, 8, 9}) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        try {
            LocalDate.of(Integer.parseInt(s, 0, 4, 10), Integer.parseInt(s, 5, 7, 10), Integer.parseInt(s, 8, 10, 10));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static Expr digit() {
        return chars('0', '9');
    }

    private static Expr date() {
        Expr year = repeat(digit(), 4, 4);
        // Leap years: divisible by 4, and centuries only when divisible by 400.
        Expr byFour = alt(seq(lit("0"), chars('4', '4', '8', '8')), seq(chars('2', '2', '4', '4', '6', '6', '8', '8'), chars('0', '0', '4', '4', '8', '8')),
                seq(chars('1', '1', '3', '3', '5', '5', '7', '7', '9', '9'), chars('2', '2', '6', '6')));
        Expr centuriesByFour = alt(seq(lit("0"), chars('0', '0', '4', '4', '8', '8')), seq(chars('2', '2', '4', '4', '6', '6', '8', '8'), chars('0', '0', '4', '4', '8', '8')),
                seq(chars('1', '1', '3', '3', '5', '5', '7', '7', '9', '9'), chars('2', '2', '6', '6')));
        Expr leapYear = alt(seq(digit(), digit(), byFour), seq(centuriesByFour, lit("00")));
        Expr day28 = alt(seq(lit("0"), chars('1', '9')), seq(lit("1"), digit()), seq(lit("2"), chars('0', '8')));
        Expr day30 = alt(seq(lit("0"), chars('1', '9')), seq(chars('1', '2'), digit()), lit("30"));
        Expr day31 = alt(seq(lit("0"), chars('1', '9')), seq(chars('1', '2'), digit()), seq(lit("3"), chars('0', '1')));
        Expr month31 = alt(seq(lit("0"), chars('1', '1', '3', '3', '5', '5', '7', '8')), seq(lit("1"), chars('0', '0', '2', '2')));
        Expr month30 = alt(seq(lit("0"), chars('4', '4', '6', '6', '9', '9')), lit("11"));
        return alt(seq(year, lit("-"), alt(seq(month31, lit("-"), day31), seq(month30, lit("-"), day30), seq(lit("02-"), day28))),
                seq(leapYear, lit("-02-29")));
    }

    private static Expr time() {
        Expr hour = alt(seq(chars('0', '1'), digit()), seq(lit("2"), chars('0', '3')));
        Expr sixty = seq(chars('0', '5'), digit());
        return seq(hour, lit(":"), sixty, lit(":"), sixty, optional(seq(lit("."), repeat(digit(), 1, 9))),
                alt(lit("Z"), seq(chars('+', '+', '-', '-'), alt(seq(alt(seq(lit("0"), digit()), seq(lit("1"), chars('0', '3'))), lit(":"), sixty),
                        lit("14:00")))));
    }

    private static Expr hex(int n) {
        return repeat(chars('0', '9', 'a', 'f', 'A', 'F'), n, n);
    }

    private static Expr octet() {
        return alt(seq(lit("25"), chars('0', '5')), seq(lit("2"), chars('0', '4'), digit()), seq(lit("1"), digit(), digit()),
                seq(chars('1', '9'), digit()), digit());
    }

    private static Expr email() {
        Expr atomChar = chars('A', 'Z', 'a', 'z', '0', '9', '_', '_', '%', '%', '+', '+', '-', '-');
        Expr atom = repeat(atomChar, 1, 64);
        Expr alnum = chars('A', 'Z', 'a', 'z', '0', '9');
        Expr label = seq(alnum, optional(seq(repeat(chars('A', 'Z', 'a', 'z', '0', '9', '-', '-'), 0, 61), alnum)));
        return seq(atom, star(seq(lit("."), atom)), lit("@"), Expr.plus(seq(label, lit("."))), Expr.alt(EMAIL_TLDS.stream().map(Expr::lit).toList()));
    }
}
