package dev.edgebox.engine.template;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The filters over sequences: select/reject and their attr forms, map, sort, unique, dictsort,
 * min/max, sum, batch and slice. Like Jinja2's, select, reject, map, unique, batch and slice return
 * one-shot iterators, and sorting and uniqueness ignore case unless told otherwise.
 */
final class SequenceFilters {
    private SequenceFilters() {}

    /** Jinja's make_attrgetter: "a.b.0" looks up a, then b, then item 0, each as {@code x[part]}. */
    static Function<Object, Object> attributeGetter(Object attribute, Object fallback, boolean ignoreCase) {
        List<Object> parts = new ArrayList<>();
        if (attribute instanceof String s) {
            for (String part : s.split("\\.", -1)) {
                parts.add(!part.isEmpty() && part.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(part) : part);
            }
        } else if (attribute != null) {
            parts.add(attribute);
        }
        return item -> {
            for (Object part : parts) {
                item = PyOps.getItem(item, part);
                if (fallback != null && item instanceof Undefined) {
                    item = fallback;
                }
            }
            return ignoreCase ? lowerIfString(item) : item;
        };
    }

    private static Object lowerIfString(Object v) {
        return v instanceof String s ? PyStrings.lower(s) : v;
    }

    static Object map(Object v, List<Object> a, Map<String, Object> k) {
        Function<Object, Object> f;
        if (a.isEmpty() && k.containsKey("attribute")) {
            Map<String, Object> rest = new HashMap<>(k);
            Object attribute = rest.remove("attribute");
            Object fallback = rest.remove("default");
            if (!rest.isEmpty()) {
                throw new JinjaError("FilterArgumentError", "Unexpected keyword argument " + Py.repr(rest.keySet().iterator().next()));
            }
            f = attributeGetter(attribute, fallback, false);
        } else {
            if (a.isEmpty()) {
                throw new JinjaError("FilterArgumentError", "map requires a filter argument");
            }
            String name = Py.str(a.getFirst());
            List<Object> rest = a.subList(1, a.size());
            f = item -> Filters.apply(name, item, rest, k);
        }
        List<Object> out = new ArrayList<>();
        if (Py.truthy(v)) {
            for (Object item : Py.iterate(v)) {
                out.add(f.apply(item));
            }
        }
        return PyIterator.generator(out);
    }

    static Object selectOrReject(Object v, List<Object> a, Map<String, Object> k, boolean byAttribute,
                                         boolean select) {
        List<Object> out = new ArrayList<>();
        if (!Py.truthy(v)) {
            return PyIterator.generator(out);
        }
        Function<Object, Object> get = x -> x;
        int offset = 0;
        if (byAttribute) {
            if (a.isEmpty()) {
                throw new JinjaError("FilterArgumentError", "Missing parameter for attribute name");
            }
            get = attributeGetter(a.getFirst(), null, false);
            offset = 1;
        }
        String test = a.size() > offset ? Py.str(a.get(offset)) : null;
        List<Object> testArgs = a.size() > offset + 1 ? a.subList(offset + 1, a.size()) : List.of();
        for (Object item : Py.iterate(v)) {
            Object subject = get.apply(item);
            boolean passed = test == null ? Py.truthy(subject) : Predicates.apply(test, subject, testArgs, k);
            if (passed == select) {
                out.add(item);
            }
        }
        return PyIterator.generator(out);
    }

    static Object minOrMax(Object v, List<Object> a, Map<String, Object> k, boolean min) {
        Object[] p = Args.bind(min ? "min" : "max", a, k, "case_sensitive?", "attribute?");
        boolean caseSensitive = Py.truthy(Args.or(p[0], false));
        Function<Object, Object> key = attributeGetter(Args.or(p[1], null), null, !caseSensitive);
        List<Object> items = Py.iterate(v);
        if (items.isEmpty()) {
            return Undefined.hint("No aggregated item, sequence was empty.");
        }
        Object best = items.getFirst();
        Object bestKey = key.apply(best);
        for (Object item : items.subList(1, items.size())) {
            Object itemKey = key.apply(item);
            int c = Py.compare(itemKey, bestKey, "<");
            if (min ? c < 0 : c > 0) {
                best = item;
                bestKey = itemKey;
            }
        }
        return best;
    }

    static Object dictsort(Object v, List<Object> a, Map<String, Object> k) {
        Object[] p = Args.bind("dictsort", a, k, "case_sensitive?", "by?", "reverse?");
        boolean caseSensitive = Py.truthy(Args.or(p[0], false));
        String by = Py.str(Args.or(p[1], "key"));
        if (!by.equals("key") && !by.equals("value")) {
            throw new JinjaError("FilterArgumentError", "You can only sort by either \"key\" or \"value\"");
        }
        if (v instanceof Undefined u) {
            throw u.error();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new JinjaError("AttributeError", "'" + Py.typeName(v) + "' object has no attribute 'items'");
        }
        List<Object> pairs = new ArrayList<>();
        m.forEach((key, val) -> pairs.add(new PyTuple(key, val)));
        int position = by.equals("key") ? 0 : 1;
        Comparator<Object> order = Comparator.comparing(pair -> sortKey(((PyTuple) pair).get(position), caseSensitive),
                (x, y) -> Py.compare(x, y, "<"));
        pairs.sort(Py.truthy(Args.or(p[2], false)) ? order.reversed() : order);
        return pairs;
    }

    private static Object sortKey(Object v, boolean caseSensitive) {
        return caseSensitive ? v : lowerIfString(v);
    }

    static Object sort(Object v, List<Object> a, Map<String, Object> k) {
        Object[] p = Args.bind("sort", a, k, "reverse?", "case_sensitive?", "attribute?");
        boolean caseSensitive = Py.truthy(Args.or(p[1], false));
        Object attribute = Args.or(p[2], null);
        Function<Object, Object> key;
        if (attribute instanceof String s && s.contains(",")) {
            List<Function<Object, Object>> getters = new ArrayList<>();
            for (String part : s.split(",")) {
                getters.add(attributeGetter(part, null, !caseSensitive));
            }
            key = item -> PyTuple.copyOf(getters.stream().map(g -> g.apply(item)).toList());
        } else {
            key = attributeGetter(attribute, null, !caseSensitive);
        }
        List<Object> items = new ArrayList<>(Py.iterate(v));
        List<Object> keys = items.stream().map(key).toList();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            order.add(i);
        }
        Comparator<Integer> byKey = (x, y) -> Py.compare(keys.get(x), keys.get(y), "<");
        // Python's reverse=True keeps equal items in their original order, unlike reversing a sort
        order.sort(Py.truthy(Args.or(p[0], false)) ? (x, y) -> byKey.compare(y, x) : byKey);
        return new ArrayList<>(order.stream().map(items::get).toList());
    }

    static Object unique(Object v, List<Object> a, Map<String, Object> k) {
        Object[] p = Args.bind("unique", a, k, "case_sensitive?", "attribute?");
        Function<Object, Object> key = attributeGetter(Args.or(p[1], null), null,
                !Py.truthy(Args.or(p[0], false)));
        List<Object> seen = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        for (Object item : Py.iterate(v)) {
            Object itemKey = key.apply(item);
            if (itemKey instanceof List || itemKey instanceof Map) {
                throw JinjaError.type("unhashable type: '" + Py.typeName(itemKey) + "'");
            }
            if (seen.stream().noneMatch(s -> Py.eq(s, itemKey))) {
                seen.add(itemKey);
                out.add(item);
            }
        }
        return PyIterator.generator(out);
    }

    static Object batch(Object v, List<Object> a, Map<String, Object> k) {
        Object[] p = Args.bind("batch", a, k, "linecount", "fill_with?");
        long size = Args.intArg("batch", p[0]);
        Object fill = Args.or(p[1], null);
        List<Object> out = new ArrayList<>();
        List<Object> chunk = new ArrayList<>();
        for (Object item : Py.iterate(v)) {
            if (chunk.size() == size) {
                out.add(chunk);
                chunk = new ArrayList<>();
            }
            chunk.add(item);
        }
        if (!chunk.isEmpty()) {
            while (fill != null && chunk.size() < size) {
                chunk.add(fill);
            }
            out.add(chunk);
        }
        return PyIterator.generator(out);
    }

    static Object sum(Object v, List<Object> a, Map<String, Object> k) {
        Object[] p = Args.bind("sum", a, k, "attribute?", "start?");
        Object total = Args.or(p[1], 0L);
        Function<Object, Object> get = p[0] == Args.ABSENT || p[0] == null
                ? x -> x : attributeGetter(p[0], null, false);
        for (Object item : Py.iterate(v)) {
            total = PyOps.add(total, get.apply(item));
        }
        return total;
    }

    static Object slices(Object v, List<Object> a, Map<String, Object> k) {
        Object[] p = Args.bind("slice", a, k, "slices", "fill_with?");
        long slices = Args.intArg("slice", p[0]);
        Object fill = Args.or(p[1], null);
        List<Object> seq = Py.iterate(v);
        int perSlice = (int) (seq.size() / slices);
        int withExtra = (int) (seq.size() % slices);
        int offset = 0;
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < slices; i++) {
            int start = offset + i * perSlice;
            if (i < withExtra) {
                offset++;
            }
            int end = offset + (i + 1) * perSlice;
            List<Object> part = new ArrayList<>(seq.subList(start, end));
            if (fill != null && i >= withExtra) {
                part.add(fill);
            }
            out.add(part);
        }
        return PyIterator.generator(out);
    }
}
