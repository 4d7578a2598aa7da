package dev.edgebox.engine.template;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja2's built-in filters with Hugging Face's {@code tojson}. Each follows Jinja2 3.1's code path,
 * including its quirks: {@code select} and friends return one-shot iterators, {@code unique} and
 * {@code sort} ignore case unless asked, {@code round} rounds half to even and returns a float.
 */
final class Filters {
    private Filters() {}

    @FunctionalInterface
    private interface Filter {
        Object apply(Object value, List<Object> args, Map<String, Object> kwargs);
    }

    /** Jinja2's filters that templates for a chat box have no use for; naming one fails only when run. */
    private static final Set<String> UNSUPPORTED = Set.of("filesizeformat", "groupby", "pprint", "random",
            "striptags", "urlencode", "urlize", "wordwrap", "xmlattr");

    private static final Map<String, Filter> FILTERS = new HashMap<>();
    private static final Pattern WORD = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WORD_BEGINNING = Pattern.compile("([-\\s({\\[<]+)", Pattern.UNICODE_CHARACTER_CLASS);


    static {
        FILTERS.put("abs", (v, a, k) -> {
            Args.bind("abs", a, k);
            if (v instanceof Double d) {
                return Math.abs(d);
            }
            if (Py.isInt(v)) {
                return Math.abs(Py.toLong(v));
            }
            throw JinjaError.type("bad operand type for abs(): '" + Py.typeName(v) + "'");
        });
        FILTERS.put("attr", (v, a, k) -> {
            String name = Py.str(Args.bind("attr", a, k, "name")[0]);
            if (v instanceof Undefined u) {
                throw u.error();
            }
            Object attribute = PyOps.pythonAttribute(v, name);
            return attribute != Args.ABSENT ? attribute : Undefined.member(v, name);
        });
        FILTERS.put("batch", SequenceFilters::batch);
        FILTERS.put("capitalize", (v, a, k) -> PyStrings.capitalize(text(v, a, k, "capitalize")));
        FILTERS.put("center", (v, a, k) -> {
            Object width = Args.or(Args.bind("center", a, k, "width?")[0], 80L);
            return PyStrings.pad(Py.str(v), Args.intArg("center", width), " ", '^');
        });
        Filter length = (v, a, k) -> {
            Args.bind("length", a, k);
            return Py.len(v);
        };
        FILTERS.put("length", length);
        FILTERS.put("count", length);
        Filter defaultFilter = (v, a, k) -> {
            Object[] p = Args.bind("default", a, k, "default_value?", "boolean?");
            boolean onFalse = Py.truthy(Args.or(p[1], false));
            return v instanceof Undefined || (onFalse && !Py.truthy(v)) ? Args.or(p[0], "") : v;
        };
        FILTERS.put("default", defaultFilter);
        FILTERS.put("d", defaultFilter);
        FILTERS.put("dictsort", SequenceFilters::dictsort);
        Filter escape = (v, a, k) -> {
            Args.bind("escape", a, k);
            return Markup.of(v);
        };
        FILTERS.put("escape", escape);
        FILTERS.put("e", escape);
        FILTERS.put("forceescape", (v, a, k) -> new Markup(Markup.escape(Py.str(v))));
        FILTERS.put("first", (v, a, k) -> {
            Args.bind("first", a, k);
            if (v instanceof PyIterator it) {
                return it.hasNext() ? it.next() : Undefined.hint("No first item, sequence was empty.");
            }
            List<Object> items = Py.iterate(v);
            return items.isEmpty() ? Undefined.hint("No first item, sequence was empty.") : items.getFirst();
        });
        FILTERS.put("last", (v, a, k) -> {
            Args.bind("last", a, k);
            if (!isReversible(v)) {
                throw JinjaError.type("'" + Py.typeName(v) + "' object is not reversible");
            }
            List<Object> items = Py.iterate(v);
            return items.isEmpty() ? Undefined.hint("No last item, sequence was empty.") : items.getLast();
        });
        FILTERS.put("float", (v, a, k) -> {
            Object fallback = Args.or(Args.bind("float", a, k, "default?")[0], 0.0);
            Double d = toFloat(v);
            return d != null ? d : fallback;
        });
        FILTERS.put("int", (v, a, k) -> {
            Object[] p = Args.bind("int", a, k, "default?", "base?");
            return toInt(v, Args.or(p[0], 0L), Args.intArg("int", Args.or(p[1], 10L)));
        });
        FILTERS.put("format", (v, a, k) -> {
            if (!a.isEmpty() && !k.isEmpty()) {
                throw new JinjaError("FilterArgumentError", "can't handle positional and keyword arguments at the same time");
            }
            return PyFormat.percent(Py.str(v), k.isEmpty() ? PyTuple.copyOf(a) : new java.util.LinkedHashMap<>(k));
        });
        FILTERS.put("indent", Filters::indent);
        FILTERS.put("items", (v, a, k) -> {
            Args.bind("items", a, k);
            if (v instanceof Undefined) {
                return PyIterator.generator(new ArrayList<>());
            }
            if (!(v instanceof Map<?, ?> m)) {
                throw JinjaError.type("Can only get item pairs from a mapping.");
            }
            List<Object> pairs = new ArrayList<>();
            m.forEach((key, val) -> pairs.add(new PyTuple(key, val)));
            return PyIterator.generator(pairs);
        });
        FILTERS.put("join", (v, a, k) -> {
            Object[] p = Args.bind("join", a, k, "d?", "attribute?");
            List<Object> items = Py.iterate(v);
            if (p[1] != Args.ABSENT && p[1] != null) {
                items = items.stream().map(SequenceFilters.attributeGetter(p[1], null, false)::apply).toList();
            }
            StringBuilder out = new StringBuilder();
            String separator = Py.str(Args.or(p[0], ""));
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    out.append(separator);
                }
                out.append(Py.str(items.get(i)));
            }
            return out.toString();
        });
        FILTERS.put("list", (v, a, k) -> {
            Args.bind("list", a, k);
            return new ArrayList<>(Py.iterate(v));
        });
        FILTERS.put("lower", (v, a, k) -> PyStrings.lower(text(v, a, k, "lower")));
        FILTERS.put("upper", (v, a, k) -> PyStrings.upper(text(v, a, k, "upper")));
        FILTERS.put("title", (v, a, k) -> jinjaTitle(text(v, a, k, "title")));
        FILTERS.put("map", SequenceFilters::map);
        FILTERS.put("min", (v, a, k) -> SequenceFilters.minOrMax(v, a, k, true));
        FILTERS.put("max", (v, a, k) -> SequenceFilters.minOrMax(v, a, k, false));
        FILTERS.put("select", (v, a, k) -> SequenceFilters.selectOrReject(v, a, k, false, true));
        FILTERS.put("reject", (v, a, k) -> SequenceFilters.selectOrReject(v, a, k, false, false));
        FILTERS.put("selectattr", (v, a, k) -> SequenceFilters.selectOrReject(v, a, k, true, true));
        FILTERS.put("rejectattr", (v, a, k) -> SequenceFilters.selectOrReject(v, a, k, true, false));
        FILTERS.put("replace", (v, a, k) -> {
            Object[] p = Args.bind("replace", a, k, "old", "new", "count?");
            Object count = Args.or(p[2], null);
            return PyStrings.replace(Py.str(v), Py.str(p[0]), Py.str(p[1]), count == null ? -1 : Args.intArg("replace", count));
        });
        FILTERS.put("reverse", (v, a, k) -> {
            Args.bind("reverse", a, k);
            if (Py.isString(v)) {
                return new StringBuilder(Py.asString(v)).reverse().toString();
            }
            if (!Py.isIterable(v)) {
                throw new JinjaError("FilterArgumentError", "argument must be iterable");
            }
            List<Object> items = new ArrayList<>(Py.iterate(v));
            java.util.Collections.reverse(items);
            if (!isReversible(v)) {
                return items;
            }
            return new PyIterator(items, Py.isList(v) ? "list_reverseiterator" : "reversed");
        });
        FILTERS.put("round", Filters::round);
        FILTERS.put("safe", (v, a, k) -> {
            Args.bind("safe", a, k);
            return v instanceof Markup ? v : new Markup(Py.str(v));
        });
        FILTERS.put("slice", SequenceFilters::slices);
        FILTERS.put("sort", SequenceFilters::sort);
        FILTERS.put("string", (v, a, k) -> {
            Args.bind("string", a, k);
            return v instanceof Markup ? v : Py.str(v);
        });
        FILTERS.put("sum", SequenceFilters::sum);
        FILTERS.put("trim", (v, a, k) -> {
            Object chars = Args.or(Args.bind("trim", a, k, "chars?")[0], null);
            return PyStrings.strip(Py.str(v), chars == null ? null : Py.str(chars), true, true);
        });
        FILTERS.put("truncate", Filters::truncate);
        FILTERS.put("unique", SequenceFilters::unique);
        FILTERS.put("wordcount", (v, a, k) -> {
            Matcher m = WORD.matcher(text(v, a, k, "wordcount"));
            long n = 0;
            while (m.find()) {
                n++;
            }
            return n;
        });
        FILTERS.put("tojson", Filters::tojson);
    }

    static boolean exists(String name) {
        return FILTERS.containsKey(name) || UNSUPPORTED.contains(name);
    }

    static Object apply(String name, Object value, List<Object> args, Map<String, Object> kwargs) {
        Filter f = FILTERS.get(name);
        if (f == null) {
            if (UNSUPPORTED.contains(name)) {
                throw JinjaError.unsupported("the '" + name + "' filter");
            }
            throw new JinjaError("TemplateRuntimeError", "No filter named '" + name + "' found.");
        }
        return f.apply(value, args, kwargs);
    }

    /** Whether Python's reversed() accepts v: sequences, dicts and their views, not iterators. */
    private static boolean isReversible(Object v) {
        return Py.isString(v) || v instanceof List || v instanceof Map || v instanceof DictView || v instanceof Undefined;
    }

    /** soft_str(value) for the string filters, which take no arguments. */
    private static String text(Object v, List<Object> a, Map<String, Object> k, String name) {
        Args.bind(name, a, k);
        return Py.str(v);
    }

    /** Jinja's title filter: upper-case the first character of each piece between -, whitespace and brackets. */
    private static String jinjaTitle(String s) {
        StringBuilder out = new StringBuilder();
        Matcher m = WORD_BEGINNING.matcher(s);
        int last = 0;
        while (m.find()) {
            titlePiece(s.substring(last, m.start()), out);
            out.append(m.group());
            last = m.end();
        }
        titlePiece(s.substring(last), out);
        return out.toString();
    }

    private static void titlePiece(String piece, StringBuilder out) {
        if (!piece.isEmpty()) {
            int first = piece.codePointAt(0);
            out.append(PyStrings.upper(Character.toString(first)))
                    .append(PyStrings.lower(piece.substring(Character.charCount(first))));
        }
    }

    private static Object indent(Object v, List<Object> a, Map<String, Object> k) {
        Object[] p = Args.bind("indent", a, k, "width?", "first?", "blank?");
        Object width = Args.or(p[0], 4L);
        String indention = Py.isString(width) ? Py.asString(width) : " ".repeat((int) Math.max(0, Args.intArg("indent", width)));
        if (v instanceof Undefined u) {
            throw u.error();
        }
        if (v instanceof PyTuple) {
            throw JinjaError.type("can only concatenate tuple (not \"str\") to tuple");
        }
        if (v instanceof List) {
            throw new JinjaError("AttributeError", "'list' object has no attribute 'splitlines'");
        }
        if (!Py.isString(v)) {
            throw JinjaError.type("unsupported operand type(s) for +=: '" + Py.typeName(v) + "' and 'str'");
        }
        String s = Py.asString(v) + "\n";
        List<Object> lines = PyStrings.splitlines(s, false);
        StringBuilder out = new StringBuilder();
        if (Py.truthy(Args.or(p[2], false))) {
            for (int i = 0; i < lines.size(); i++) {
                out.append(i > 0 ? "\n" + indention : "").append(lines.get(i));
            }
        } else {
            out.append(lines.isEmpty() ? "" : lines.getFirst());
            for (int i = 1; i < lines.size(); i++) {
                String line = (String) lines.get(i);
                out.append('\n').append(line.isEmpty() ? "" : indention + line);
            }
        }
        return Py.truthy(Args.or(p[1], false)) ? indention + out : out.toString();
    }

    private static Object round(Object v, List<Object> a, Map<String, Object> k) {
        Object[] p = Args.bind("round", a, k, "precision?", "method?");
        long precision = Args.intArg("round", Args.or(p[0], 0L));
        String method = Py.str(Args.or(p[1], "common"));
        if (!Py.isNumber(v)) {
            throw JinjaError.type("type " + Py.typeName(v) + " doesn't define __round__ method");
        }
        switch (method) {
            case "common" -> {
                if (Py.isInt(v)) {
                    if (precision >= 0) {
                        return Py.toLong(v);
                    }
                    return new BigDecimal(Py.toLong(v)).setScale((int) precision, RoundingMode.HALF_EVEN).longValueExact();
                }
                double d = (Double) v;
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    return d;
                }
                double r = new BigDecimal(d).setScale((int) precision, RoundingMode.HALF_EVEN).doubleValue();
                return r == 0 ? Math.copySign(0.0, d) : r;
            }
            case "ceil", "floor" -> {
                double scale = Math.pow(10, precision);
                double x = Py.toDouble(v) * scale;
                return (method.equals("ceil") ? Math.ceil(x) : Math.floor(x)) / scale;
            }
            default -> throw new JinjaError("FilterArgumentError", "method must be common, ceil or floor");
        }
    }

    private static Object truncate(Object v, List<Object> a, Map<String, Object> k) {
        Object[] p = Args.bind("truncate", a, k, "length?", "killwords?", "end?", "leeway?");
        long length = Args.intArg("truncate", Args.or(p[0], 255L));
        String end = Py.str(Args.or(p[2], "..."));
        Object leewayArg = Args.or(p[3], null);
        long leeway = leewayArg == null ? 5 : Args.intArg("truncate", leewayArg);
        if (Py.len(v) <= length + leeway) {
            return v;
        }
        if (!Py.isString(v)) {
            throw new JinjaError("AttributeError", "'" + Py.typeName(v) + "' object has no attribute 'rsplit'");
        }
        String s = Py.asString(v);
        int[] cps = PyStrings.codePoints(s);
        int keep = (int) Math.max(0, length - end.codePointCount(0, end.length()));
        String head = PyStrings.fromCodePoints(cps, 0, keep);
        if (Py.truthy(Args.or(p[1], false))) {
            return head + end;
        }
        int space = head.lastIndexOf(' ');
        return (space >= 0 ? head.substring(0, space) : head) + end;
    }

    private static Object tojson(Object v, List<Object> a, Map<String, Object> k) {
        Object[] p = Args.bind("tojson", a, k, "ensure_ascii?", "indent?", "separators?", "sort_keys?");
        Object indent = Args.or(p[1], null);
        String indentText = switch (indent) {
            case null -> null;
            case String s -> s;
            default -> " ".repeat((int) Math.max(0, Args.intArg("tojson", indent)));
        };
        Object separators = Args.or(p[2], null);
        List<String> separatorTexts = null;
        if (separators != null) {
            List<Object> parts = Py.iterate(separators);
            if (parts.size() != 2 || !Py.isString(parts.get(0)) || !Py.isString(parts.get(1))) {
                throw JinjaError.value("separators must be a pair of strings");
            }
            separatorTexts = List.of(Py.asString(parts.get(0)), Py.asString(parts.get(1)));
        }
        return Json.dumps(v, Py.truthy(Args.or(p[0], false)), indentText, separatorTexts,
                Py.truthy(Args.or(p[3], false)));
    }

    // ---- number conversion -------------------------------------------------------------------------

    private static Double toFloat(Object v) {
        if (v instanceof Undefined u) {
            throw u.error();
        }
        if (Py.isNumber(v)) {
            return Py.toDouble(v);
        }
        if (Py.isString(v)) {
            String s = PyStrings.strip(Py.asString(v), null, true, true).replace("_", "");
            String lower = s.toLowerCase(java.util.Locale.ROOT);
            String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
            if (unsigned.equals("inf") || unsigned.equals("infinity") || unsigned.equals("nan")) {
                double special = unsigned.equals("nan") ? Double.NaN : Double.POSITIVE_INFINITY;
                return lower.startsWith("-") ? -special : special;
            }
            if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                return null;
            }
            return Double.parseDouble(s);
        }
        return null;
    }

    private static Object toInt(Object v, Object fallback, long base) {
        if (v instanceof Undefined u) {
            throw u.error();
        }
        if (Py.isInt(v)) {
            return Py.toLong(v);
        }
        if (v instanceof Double d) {
            return Double.isNaN(d) || Double.isInfinite(d) ? fallback : (long) (double) d;
        }
        if (Py.isString(v)) {
            Long parsed = parseInt(PyStrings.strip(Py.asString(v), null, true, true), (int) base);
            if (parsed != null) {
                return parsed;
            }
            Double d = toFloat(v);
            return d == null || Double.isNaN(d) || Double.isInfinite(d) ? fallback : (Object) (long) (double) d;
        }
        return fallback;
    }

    /** Python's int(text, base): optional sign, optional 0x/0o/0b prefix, single underscores between digits. */
    private static Long parseInt(String s, int base) {
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if ((base == 16 && lower.startsWith("0x")) || (base == 8 && lower.startsWith("0o"))
                || (base == 2 && lower.startsWith("0b"))) {
            s = s.substring(2);
            if (s.startsWith("_")) {
                s = s.substring(1);
            }
        }
        if (s.isEmpty() || s.startsWith("_") || s.endsWith("_") || s.contains("__")) {
            return null;
        }
        try {
            long value = Long.parseLong(s.replace("_", ""), base);
            return negative ? -value : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
