package dev.edgebox.engine.template;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Python's two string formatting mini-languages: {@code "%s: %d" % (a, b)} and
 * {@code "{}: {:>4}".format(a, b)}. The common conversions are covered (s r d i f e x o c and
 * fill/align/sign/width/precision); exotic ones fail with a clear "not supported" error.
 */
final class PyFormat {
    private PyFormat() {}

    // ---- printf style ------------------------------------------------------------------------------

    static String percent(String format, Object values) {
        List<Object> args = values instanceof PyTuple t ? t : List.of(values == null ? NONE : values);
        Map<?, ?> mapping = values instanceof Map<?, ?> m ? m : null;
        // Python treats any right operand with __getitem__ (but not a tuple or str) as a mapping and
        // then never complains about unused arguments
        boolean mappingLike = mapping != null || values instanceof Undefined
                || (values instanceof List && !(values instanceof PyTuple));
        StringBuilder out = new StringBuilder();
        int next = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i >= format.length()) {
                throw JinjaError.value("incomplete format");
            }
            Object arg = null;
            boolean keyed = false;
            if (format.charAt(i) == '(') {
                int close = format.indexOf(')', i);
                if (values instanceof Undefined u) {
                    throw u.error();
                }
                if (mapping == null || close < 0) {
                    throw JinjaError.type("format requires a mapping");
                }
                Object key = format.substring(i + 1, close);
                arg = Py.mapGet(mapping, key, Args.ABSENT);
                if (arg == Args.ABSENT) {
                    throw new JinjaError("KeyError", Py.repr(key));
                }
                keyed = true;
                i = close + 1;
            }
            String flags = "";
            while (i < format.length() && "#0- +".indexOf(format.charAt(i)) >= 0) {
                flags += format.charAt(i++);
            }
            int width = -1;
            int precision = -1;
            int start = i;
            while (i < format.length() && Character.isDigit(format.charAt(i))) {
                i++;
            }
            if (i > start) {
                width = Integer.parseInt(format.substring(start, i));
            }
            if (i < format.length() && format.charAt(i) == '.') {
                start = ++i;
                while (i < format.length() && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                precision = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
            }
            if (i >= format.length()) {
                throw JinjaError.value("incomplete format");
            }
            char conversion = format.charAt(i++);
            if (conversion == '%') {
                out.append('%');
                continue;
            }
            if (!keyed) {
                if (next >= args.size()) {
                    throw JinjaError.type("not enough arguments for format string");
                }
                arg = args.get(next++);
                arg = arg == NONE ? null : arg;
            }
            String body = switch (conversion) {
                case 's' -> truncate(Py.str(arg), precision);
                case 'r', 'a' -> truncate(Py.repr(arg), precision);
                case 'd', 'i', 'u' -> signed(Long.toString(integerOf(arg, conversion)), flags);
                case 'x', 'X', 'o' -> {
                    long v = integerOf(arg, conversion);
                    String digits = conversion == 'o' ? Long.toOctalString(Math.abs(v)) : Long.toHexString(Math.abs(v));
                    String prefix = flags.contains("#") ? (conversion == 'o' ? "0o" : "0x") : "";
                    String s = signed(v < 0 ? "-" + prefix + digits : prefix + digits, flags);
                    yield conversion == 'X' ? s.toUpperCase(Locale.ROOT) : s;
                }
                case 'f', 'F', 'e', 'E' -> signed(fixedOrExponent(floatOf(arg, conversion), conversion,
                        precision < 0 ? 6 : precision), flags);
                case 'c' -> Py.isString(arg) ? Py.asString(arg) : Character.toString((int) integerOf(arg, 'c'));
                default -> throw JinjaError.unsupported("the %" + conversion + " format conversion");
            };
            out.append(padNumberOrText(body, width, flags, "dixXofFeE".indexOf(conversion) >= 0));
        }
        if (!mappingLike && next < args.size()) {
            throw JinjaError.type("not all arguments converted during string formatting");
        }
        return out.toString();
    }

    /** Stand-in for None inside List.of, which refuses nulls. */
    private static final Object NONE = new Object();

    private static String truncate(String s, int precision) {
        return precision >= 0 && s.codePointCount(0, s.length()) > precision
                ? s.substring(0, s.offsetByCodePoints(0, precision)) : s;
    }

    private static long integerOf(Object arg, char conversion) {
        if (Py.isInt(arg)) {
            return Py.toLong(arg);
        }
        if (arg instanceof Double d) {
            return (long) (double) d;
        }
        throw JinjaError.type("%" + conversion + " format: a real number is required, not " + Py.typeName(arg));
    }

    private static double floatOf(Object arg, char conversion) {
        if (Py.isNumber(arg)) {
            return Py.toDouble(arg);
        }
        throw JinjaError.type("must be real number, not " + Py.typeName(arg));
    }

    private static String signed(String number, String flags) {
        if (!number.startsWith("-")) {
            if (flags.contains("+")) {
                return "+" + number;
            }
            if (flags.contains(" ")) {
                return " " + number;
            }
        }
        return number;
    }

    private static String padNumberOrText(String body, int width, String flags, boolean numeric) {
        int missing = width - body.codePointCount(0, body.length());
        if (missing <= 0) {
            return body;
        }
        if (flags.contains("-")) {
            return body + " ".repeat(missing);
        }
        if (numeric && flags.contains("0")) {
            int signLength = !body.isEmpty() && "+- ".indexOf(body.charAt(0)) >= 0 ? 1 : 0;
            return body.substring(0, signLength) + "0".repeat(missing) + body.substring(signLength);
        }
        return " ".repeat(missing) + body;
    }

    /** C's %f / %e on the exact binary value, rounding half to even as glibc does. */
    static String fixedOrExponent(double v, char conversion, int precision) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            String s = Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
            return Character.isUpperCase(conversion) ? s.toUpperCase(Locale.ROOT) : s;
        }
        String sign = (v < 0 || (v == 0 && 1 / v < 0)) ? "-" : "";
        BigDecimal exact = new BigDecimal(Math.abs(v));
        if (conversion == 'f' || conversion == 'F') {
            return sign + exact.setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        }
        int exponent = exact.signum() == 0 ? 0 : exact.precision() - exact.scale() - 1;
        BigDecimal mantissa = exact.movePointLeft(exponent).setScale(precision, RoundingMode.HALF_EVEN);
        if (mantissa.compareTo(BigDecimal.TEN) >= 0) {
            exponent++;
            mantissa = exact.movePointLeft(exponent).setScale(precision, RoundingMode.HALF_EVEN);
        }
        String e = Integer.toString(Math.abs(exponent));
        return sign + mantissa.toPlainString() + (conversion == 'E' ? "E" : "e") + (exponent < 0 ? "-" : "+")
                + (e.length() < 2 ? "0" + e : e);
    }

    // ---- str.format --------------------------------------------------------------------------------

    static String format(String format, List<Object> args, Map<String, Object> kwargs) {
        StringBuilder out = new StringBuilder();
        int auto = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c == '}') {
                if (i + 1 < format.length() && format.charAt(i + 1) == '}') {
                    out.append('}');
                    i += 2;
                    continue;
                }
                throw JinjaError.value("Single '}' encountered in format string");
            }
            if (c != '{') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 < format.length() && format.charAt(i + 1) == '{') {
                out.append('{');
                i += 2;
                continue;
            }
            int close = format.indexOf('}', i);
            if (close < 0) {
                throw JinjaError.value("expected '}' before end of string");
            }
            String field = format.substring(i + 1, close);
            i = close + 1;
            String spec = "";
            int colon = field.indexOf(':');
            if (colon >= 0) {
                spec = field.substring(colon + 1);
                field = field.substring(0, colon);
            }
            char conversion = 0;
            int bang = field.indexOf('!');
            if (bang >= 0) {
                conversion = field.length() > bang + 1 ? field.charAt(bang + 1) : '?';
                field = field.substring(0, bang);
            }
            int end = 0;
            while (end < field.length() && field.charAt(end) != '.' && field.charAt(end) != '[') {
                end++;
            }
            String head = field.substring(0, end);
            Object value;
            if (head.isEmpty()) {
                value = positional(args, auto++);
            } else if (head.chars().allMatch(Character::isDigit)) {
                value = positional(args, Integer.parseInt(head));
            } else if (kwargs.containsKey(head)) {
                value = kwargs.get(head);
            } else {
                throw new JinjaError("KeyError", Py.repr(head));
            }
            value = lookupChain(value, field.substring(end));
            value = switch (conversion) {
                case 0 -> value;
                case 's' -> Py.str(value);
                case 'r', 'a' -> Py.repr(value);
                default -> throw JinjaError.value("Unknown conversion specifier " + conversion);
            };
            out.append(formatValue(value, spec));
        }
        return out.toString();
    }

    private static Object positional(List<Object> args, int index) {
        if (index >= args.size()) {
            throw new JinjaError("IndexError", "Replacement index " + index + " out of range for positional args tuple");
        }
        return args.get(index);
    }

    private static Object lookupChain(Object value, String chain) {
        int i = 0;
        while (i < chain.length()) {
            if (chain.charAt(i) == '.') {
                int end = i + 1;
                while (end < chain.length() && chain.charAt(end) != '.' && chain.charAt(end) != '[') {
                    end++;
                }
                value = PyOps.getAttr(value, chain.substring(i + 1, end));
                i = end;
            } else {
                int close = chain.indexOf(']', i);
                if (close < 0) {
                    throw JinjaError.value("Missing ']' in format string");
                }
                String key = chain.substring(i + 1, close);
                value = PyOps.getItem(value, key.chars().allMatch(Character::isDigit) && !key.isEmpty()
                        ? (Object) Long.parseLong(key) : key);
                i = close + 1;
            }
        }
        return value;
    }

    /** format(value, spec) for the format-spec mini-language: [[fill]align][sign][0][width][,][.precision][type]. */
    static String formatValue(Object value, String spec) {
        if (spec.isEmpty()) {
            return Py.str(value);
        }
        int i = 0;
        String fill = " ";
        char align = 0;
        if (spec.length() >= 2 && "<>^=".indexOf(spec.charAt(1)) >= 0) {
            fill = spec.substring(0, 1);
            align = spec.charAt(1);
            i = 2;
        } else if ("<>^=".indexOf(spec.charAt(0)) >= 0) {
            align = spec.charAt(0);
            i = 1;
        }
        char sign = '-';
        if (i < spec.length() && "+- ".indexOf(spec.charAt(i)) >= 0) {
            sign = spec.charAt(i++);
        }
        if (i < spec.length() && spec.charAt(i) == '0') {
            if (align == 0) {
                fill = "0";
                align = '=';
            }
            i++;
        }
        int start = i;
        while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
            i++;
        }
        int width = i > start ? Integer.parseInt(spec.substring(start, i)) : 0;
        boolean grouping = i < spec.length() && spec.charAt(i) == ',';
        if (grouping) {
            i++;
        }
        int precision = -1;
        if (i < spec.length() && spec.charAt(i) == '.') {
            start = ++i;
            while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
                i++;
            }
            precision = Integer.parseInt(spec.substring(start, i));
        }
        char type = i < spec.length() ? spec.charAt(i++) : 0;
        if (i != spec.length()) {
            throw JinjaError.value("Invalid format specifier '" + spec + "' for object of type '" + Py.typeName(value) + "'");
        }
        String body;
        boolean numeric = Py.isNumber(value);
        if (Py.isString(value) && (type == 0 || type == 's')) {
            body = truncate(Py.asString(value), precision);
        } else if (Py.isInt(value) && (type == 0 || type == 'd' || type == 'x' || type == 'X' || type == 'o' || type == 'b')) {
            long v = Py.toLong(value);
            body = switch (type) {
                case 'x' -> Long.toHexString(Math.abs(v));
                case 'X' -> Long.toHexString(Math.abs(v)).toUpperCase(Locale.ROOT);
                case 'o' -> Long.toOctalString(Math.abs(v));
                case 'b' -> Long.toBinaryString(Math.abs(v));
                default -> grouping ? String.format(Locale.ROOT, "%,d", Math.abs(v)) : Long.toString(Math.abs(v));
            };
            body = (v < 0 ? "-" : sign == '+' ? "+" : sign == ' ' ? " " : "") + body;
        } else if (numeric && (type == 'f' || type == 'F' || type == 'e' || type == 'E' || type == '%'
                || (type == 0 && precision < 0))) {
            double v = Py.toDouble(value);
            body = switch (type) {
                case 0 -> Py.floatRepr(v);
                case '%' -> fixedOrExponent(v * 100, 'f', precision < 0 ? 6 : precision) + "%";
                default -> fixedOrExponent(v, type, precision < 0 ? 6 : precision);
            };
            if (!body.startsWith("-")) {
                body = (sign == '+' ? "+" : sign == ' ' ? " " : "") + body;
            }
        } else {
            throw JinjaError.unsupported("the format spec '" + spec + "' for " + Py.typeName(value));
        }
        int missing = width - body.codePointCount(0, body.length());
        if (missing <= 0) {
            return body;
        }
        if (align == 0) {
            align = numeric ? '>' : '<';
        }
        return switch (align) {
            case '<' -> body + fill.repeat(missing);
            case '>' -> fill.repeat(missing) + body;
            case '^' -> fill.repeat(missing / 2) + body + fill.repeat(missing - missing / 2);
            default -> {
                int signLength = !body.isEmpty() && "+- ".indexOf(body.charAt(0)) >= 0 ? 1 : 0;
                yield body.substring(0, signLength) + fill.repeat(missing) + body.substring(signLength);
            }
        };
    }
}
