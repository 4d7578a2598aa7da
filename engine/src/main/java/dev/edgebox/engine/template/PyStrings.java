package dev.edgebox.engine.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Python's str methods ({@code startswith}, {@code split}, {@code strip}, ...) over Java strings. Python
 * indexes by code point while Java strings are UTF-16, so every index here counts code points: an emoji
 * is one character, as in the templates' Python.
 */
final class PyStrings {
    private PyStrings() {}

    /** Every attribute a Python str has; the ones not implemented below fail clearly when called. */
    private static final Set<String> STR_ATTRIBUTES = Set.of("capitalize", "casefold", "center", "count", "encode",
            "endswith", "expandtabs", "find", "format", "format_map", "index", "isalnum", "isalpha", "isascii",
            "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric", "isprintable", "isspace", "istitle",
            "isupper", "join", "ljust", "lower", "lstrip", "maketrans", "partition", "removeprefix", "removesuffix",
            "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split", "splitlines",
            "startswith", "strip", "swapcase", "title", "translate", "upper", "zfill");

    static boolean hasAttribute(String name) {
        return STR_ATTRIBUTES.contains(name);
    }

    // ---- code points -------------------------------------------------------------------------------

    static int[] codePoints(String s) {
        return s.codePoints().toArray();
    }

    static String fromCodePoints(int[] cps, int from, int to) {
        return new String(cps, from, Math.max(0, to - from));
    }

    static List<Object> characters(String s) {
        List<Object> out = new ArrayList<>(s.length());
        s.codePoints().forEach(cp -> out.add(Character.toString(cp)));
        return out;
    }

    /** Whitespace as Python's str.isspace and the regex \s see it (wider than Java's isWhitespace). */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20) || cp == 0x85 || cp == 0xa0
                || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029
                || cp == 0x202f || cp == 0x205f || cp == 0x3000;
    }

    static boolean isLineBreak(int cp) {
        return cp == '\n' || cp == '\r' || cp == 0x0b || cp == 0x0c || (cp >= 0x1c && cp <= 0x1e) || cp == 0x85
                || cp == 0x2028 || cp == 0x2029;
    }

    // ---- strip / split -----------------------------------------------------------------------------

    static String strip(String s, String chars, boolean left, boolean right) {
        int[] cps = codePoints(s);
        int from = 0;
        int to = cps.length;
        while (left && from < to && stripped(cps[from], chars)) {
            from++;
        }
        while (right && to > from && stripped(cps[to - 1], chars)) {
            to--;
        }
        return fromCodePoints(cps, from, to);
    }

    private static boolean stripped(int cp, String chars) {
        return chars == null ? isSpace(cp) : chars.indexOf(Character.toString(cp)) >= 0;
    }

    static List<Object> split(String s, String sep, long maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int[] cps = codePoints(s);
            int i = 0;
            while (true) {
                while (i < cps.length && isSpace(cps[i])) {
                    i++;
                }
                if (i == cps.length) {
                    break;
                }
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(fromCodePoints(cps, i, cps.length));
                    break;
                }
                int start = i;
                while (i < cps.length && !isSpace(cps[i])) {
                    i++;
                }
                out.add(fromCodePoints(cps, start, i));
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw JinjaError.value("empty separator");
        }
        int start = 0;
        while (maxsplit < 0 || out.size() < maxsplit) {
            int at = s.indexOf(sep, start);
            if (at < 0) {
                break;
            }
            out.add(s.substring(start, at));
            start = at + sep.length();
        }
        out.add(s.substring(start));
        return out;
    }

    static List<Object> rsplit(String s, String sep, long maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int[] cps = codePoints(s);
            int i = cps.length;
            while (true) {
                while (i > 0 && isSpace(cps[i - 1])) {
                    i--;
                }
                if (i == 0) {
                    break;
                }
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(fromCodePoints(cps, 0, i));
                    break;
                }
                int end = i;
                while (i > 0 && !isSpace(cps[i - 1])) {
                    i--;
                }
                out.add(fromCodePoints(cps, i, end));
            }
            return out.reversed();
        }
        if (sep.isEmpty()) {
            throw JinjaError.value("empty separator");
        }
        int end = s.length();
        while (maxsplit < 0 || out.size() < maxsplit) {
            int at = s.lastIndexOf(sep, end - sep.length());
            if (at < 0) {
                break;
            }
            out.add(s.substring(at + sep.length(), end));
            end = at;
        }
        out.add(s.substring(0, end));
        return out.reversed();
    }

    static List<Object> splitlines(String s, boolean keepends) {
        List<Object> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (isLineBreak(cp)) {
                if (cp == '\r' && next < s.length() && s.charAt(next) == '\n') {
                    next++;
                }
                out.add(s.substring(start, keepends ? next : i));
                start = next;
            }
            i = next;
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }

    // ---- case --------------------------------------------------------------------------------------

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        return Character.toString(Character.toTitleCase(first)) + lower(s.substring(Character.charCount(first)));
    }

    private static boolean isCased(int cp) {
        return Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
    }

    /** str.title: a cased character after an uncased one starts a word. */
    static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int cp : codePoints(s)) {
            String c = Character.toString(cp);
            out.append(previousCased ? lower(c) : Character.toString(Character.toTitleCase(cp)));
            previousCased = isCased(cp);
        }
        return out.toString();
    }

    static String swapcase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int cp : codePoints(s)) {
            String c = Character.toString(cp);
            out.append(Character.isUpperCase(cp) ? lower(c) : Character.isLowerCase(cp) ? upper(c) : c);
        }
        return out.toString();
    }

    // ---- searching ---------------------------------------------------------------------------------

    /** Code point range [start, end) of s selected by optional Python slice bounds. */
    private static int[] window(int length, Object start, Object end) {
        int from = start == Args.ABSENT || start == null ? 0 : clampIndex(Args.intArg("slice", start), length);
        int to = end == Args.ABSENT || end == null ? length : clampIndex(Args.intArg("slice", end), length);
        return new int[] {from, to};
    }

    private static int clampIndex(long index, int length) {
        if (index < 0) {
            index += length;
        }
        return (int) Math.max(0, Math.min(length, index));
    }

    /** str.find / rfind over code points; -1 when absent. */
    static long find(String s, String sub, Object start, Object end, boolean fromRight) {
        int[] cps = codePoints(s);
        int[] w = window(cps.length, start, end);
        if (w[1] - w[0] < sub.codePointCount(0, sub.length())) {
            return -1;
        }
        String hay = fromCodePoints(cps, w[0], w[1]);
        int at = fromRight ? hay.lastIndexOf(sub) : hay.indexOf(sub);
        return at < 0 ? -1 : w[0] + hay.codePointCount(0, at);
    }

    static long count(String s, String sub, Object start, Object end) {
        int[] cps = codePoints(s);
        int[] w = window(cps.length, start, end);
        if (w[1] < w[0]) {
            return 0;
        }
        String hay = fromCodePoints(cps, w[0], w[1]);
        if (sub.isEmpty()) {
            return hay.codePointCount(0, hay.length()) + 1;
        }
        long n = 0;
        for (int at = hay.indexOf(sub); at >= 0; at = hay.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    static boolean affix(String s, Object affix, Object start, Object end, boolean prefix, String method) {
        int[] cps = codePoints(s);
        int[] w = window(cps.length, start, end);
        String part = w[1] < w[0] ? null : fromCodePoints(cps, w[0], w[1]);
        List<Object> candidates;
        if (affix instanceof PyTuple t) {
            candidates = t;
        } else if (Py.isString(affix)) {
            candidates = List.of(affix);
        } else {
            throw JinjaError.type(method + " first arg must be str or a tuple of str, not " + Py.typeName(affix));
        }
        for (Object c : candidates) {
            if (!Py.isString(c)) {
                throw JinjaError.type("tuple for " + method + " must only contain str, not " + Py.typeName(c));
            }
            if (part != null && (prefix ? part.startsWith(Py.asString(c)) : part.endsWith(Py.asString(c)))) {
                return true;
            }
        }
        return false;
    }

    static String replace(String s, String old, String replacement, long count) {
        if (count < 0) {
            count = Long.MAX_VALUE;
        }
        if (old.isEmpty()) {
            StringBuilder out = new StringBuilder();
            int[] cps = codePoints(s);
            long done = 0;
            for (int i = 0; i <= cps.length; i++) {
                if (done < count) {
                    out.append(replacement);
                    done++;
                }
                if (i < cps.length) {
                    out.appendCodePoint(cps[i]);
                }
            }
            return out.toString();
        }
        StringBuilder out = new StringBuilder();
        int start = 0;
        long done = 0;
        for (int at = s.indexOf(old); at >= 0 && done < count; at = s.indexOf(old, start)) {
            out.append(s, start, at).append(replacement);
            start = at + old.length();
            done++;
        }
        return out.append(s.substring(start)).toString();
    }

    static String pad(String s, long width, String fill, char align) {
        if (fill.codePointCount(0, fill.length()) != 1) {
            throw JinjaError.type("The fill character must be exactly one character long");
        }
        long missing = width - s.codePointCount(0, s.length());
        if (missing <= 0) {
            return s;
        }
        long left = switch (align) {
            case '<' -> 0;
            case '>' -> missing;
            // CPython's center puts the odd extra space on the left when the width is odd
            default -> missing / 2 + (missing & width & 1);
        };
        return fill.repeat((int) left) + s + fill.repeat((int) (missing - left));
    }

    static String zfill(String s, long width) {
        long missing = width - s.codePointCount(0, s.length());
        if (missing <= 0) {
            return s;
        }
        boolean signed = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-');
        return signed ? s.charAt(0) + "0".repeat((int) missing) + s.substring(1) : "0".repeat((int) missing) + s;
    }

    private static boolean all(String s, java.util.function.IntPredicate p) {
        return !s.isEmpty() && s.codePoints().allMatch(p);
    }

    private static boolean casedCheck(String s, boolean wantLower) {
        boolean sawCased = false;
        for (int cp : codePoints(s)) {
            if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
                if (wantLower) {
                    return false;
                }
                sawCased = true;
            } else if (Character.isLowerCase(cp)) {
                if (!wantLower) {
                    return false;
                }
                sawCased = true;
            }
        }
        return sawCased;
    }

    static boolean isLower(String s) {
        return casedCheck(s, true);
    }

    static boolean isUpper(String s) {
        return casedCheck(s, false);
    }

    // ---- method dispatch ---------------------------------------------------------------------------

    /** Calls str.name(args) on s. */
    static Object call(String s, String name, List<Object> args, Map<String, Object> kwargs) {
        String fn = "str." + name;
        switch (name) {
            case "strip", "lstrip", "rstrip" -> {
                Object chars = Args.or(Args.bind(fn, args, kwargs, "chars?")[0], null);
                String set = chars == null ? null : Args.strArg(fn, chars);
                return strip(s, set, !name.equals("rstrip"), !name.equals("lstrip"));
            }
            case "split", "rsplit" -> {
                Object[] a = Args.bind(fn, args, kwargs, "sep?", "maxsplit?");
                Object sep = Args.or(a[0], null);
                long max = Args.intArg(fn, Args.or(a[1], -1L));
                String sepText = sep == null ? null : Args.strArg(fn, sep);
                return name.equals("split") ? split(s, sepText, max) : rsplit(s, sepText, max);
            }
            case "splitlines" -> {
                return splitlines(s, Py.truthy(Args.or(Args.bind(fn, args, kwargs, "keepends?")[0], false)));
            }
            case "startswith", "endswith" -> {
                Object[] a = Args.bind(fn, args, kwargs, "affix", "start?", "end?");
                return affix(s, a[0], a[1], a[2], name.equals("startswith"), name);
            }
            case "find", "rfind", "index", "rindex" -> {
                Object[] a = Args.bind(fn, args, kwargs, "sub", "start?", "end?");
                long at = find(s, Args.strArg(fn, a[0]), a[1], a[2], name.startsWith("r"));
                if (at < 0 && name.endsWith("index")) {
                    throw JinjaError.value("substring not found");
                }
                return at;
            }
            case "count" -> {
                Object[] a = Args.bind(fn, args, kwargs, "sub", "start?", "end?");
                return count(s, Args.strArg(fn, a[0]), a[1], a[2]);
            }
            case "replace" -> {
                Object[] a = Args.bind(fn, args, kwargs, "old", "new", "count?");
                return replace(s, Args.strArg(fn, a[0]), Args.strArg(fn, a[1]), Args.intArg(fn, Args.or(a[2], -1L)));
            }
            case "upper" -> {
                Args.bind(fn, args, kwargs);
                return upper(s);
            }
            case "lower", "casefold" -> {
                Args.bind(fn, args, kwargs);
                return lower(s);
            }
            case "title" -> {
                Args.bind(fn, args, kwargs);
                return title(s);
            }
            case "capitalize" -> {
                Args.bind(fn, args, kwargs);
                return capitalize(s);
            }
            case "swapcase" -> {
                Args.bind(fn, args, kwargs);
                return swapcase(s);
            }
            case "join" -> {
                Object[] a = Args.bind(fn, args, kwargs, "iterable");
                StringBuilder out = new StringBuilder();
                List<Object> items = Py.iterate(a[0]);
                for (int i = 0; i < items.size(); i++) {
                    if (!Py.isString(items.get(i))) {
                        throw JinjaError.type("sequence item " + i + ": expected str instance, "
                                + Py.typeName(items.get(i)) + " found");
                    }
                    if (i > 0) {
                        out.append(s);
                    }
                    out.append(Py.asString(items.get(i)));
                }
                return out.toString();
            }
            case "center", "ljust", "rjust" -> {
                Object[] a = Args.bind(fn, args, kwargs, "width", "fillchar?");
                char align = name.equals("center") ? '^' : name.equals("ljust") ? '<' : '>';
                return pad(s, Args.intArg(fn, a[0]), Args.strArg(fn, Args.or(a[1], " ")), align);
            }
            case "zfill" -> {
                return zfill(s, Args.intArg(fn, Args.bind(fn, args, kwargs, "width")[0]));
            }
            case "partition", "rpartition" -> {
                String sep = Args.strArg(fn, Args.bind(fn, args, kwargs, "sep")[0]);
                if (sep.isEmpty()) {
                    throw JinjaError.value("empty separator");
                }
                int at = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
                if (at < 0) {
                    return name.equals("partition") ? new PyTuple(s, "", "") : new PyTuple("", "", s);
                }
                return new PyTuple(s.substring(0, at), sep, s.substring(at + sep.length()));
            }
            case "removeprefix" -> {
                String p = Args.strArg(fn, Args.bind(fn, args, kwargs, "prefix")[0]);
                return s.startsWith(p) ? s.substring(p.length()) : s;
            }
            case "removesuffix" -> {
                String p = Args.strArg(fn, Args.bind(fn, args, kwargs, "suffix")[0]);
                return !p.isEmpty() && s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
            }
            case "isdigit", "isdecimal", "isnumeric" -> {
                Args.bind(fn, args, kwargs);
                return all(s, Character::isDigit);
            }
            case "isalpha" -> {
                Args.bind(fn, args, kwargs);
                return all(s, Character::isLetter);
            }
            case "isalnum" -> {
                Args.bind(fn, args, kwargs);
                return all(s, Character::isLetterOrDigit);
            }
            case "isspace" -> {
                Args.bind(fn, args, kwargs);
                return all(s, PyStrings::isSpace);
            }
            case "isascii" -> {
                Args.bind(fn, args, kwargs);
                return s.codePoints().allMatch(cp -> cp < 0x80);
            }
            case "islower" -> {
                Args.bind(fn, args, kwargs);
                return isLower(s);
            }
            case "isupper" -> {
                Args.bind(fn, args, kwargs);
                return isUpper(s);
            }
            case "format" -> {
                return PyFormat.format(s, args, kwargs);
            }
            default -> throw JinjaError.unsupported("the str method '" + name + "'");
        }
    }
}
