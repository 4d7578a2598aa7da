package dev.edgebox.engine.template;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions every template can call: Jinja2's range, dict, namespace, cycler and joiner, and the
 * two globals Hugging Face adds, raise_exception and strftime_now. (Jinja2's lipsum, random filler
 * text, is left out.)
 */
final class Globals {
    private Globals() {}

    static Scope scope(Clock clock) {
        Scope scope = new Scope(null);
        scope.set("range", (TemplateFunction) Globals::range);
        scope.set("dict", (TemplateFunction) (args, kwargs) -> {
            Map<Object, Object> out = new LinkedHashMap<>();
            if (args.size() > 1) {
                throw JinjaError.type("dict expected at most 1 argument, got " + args.size());
            }
            if (!args.isEmpty()) {
                fill(out, args.getFirst());
            }
            out.putAll(kwargs);
            return out;
        });
        scope.set("namespace", (TemplateFunction) (args, kwargs) -> {
            Namespace ns = new Namespace();
            if (args.size() > 1) {
                throw JinjaError.type("dict expected at most 1 argument, got " + args.size());
            }
            if (!args.isEmpty()) {
                fill(ns.attributes, args.getFirst());
            }
            ns.attributes.putAll(kwargs);
            return ns;
        });
        scope.set("cycler", (TemplateFunction) (args, kwargs) -> new Cycler(new java.util.ArrayList<>(args)));
        scope.set("joiner", (TemplateFunction) (args, kwargs) -> {
            String separator = Py.str(Args.or(Args.bind("joiner", args, kwargs, "sep?")[0], ", "));
            boolean[] used = {false};
            return (TemplateFunction) (a, k) -> {
                boolean first = !used[0];
                used[0] = true;
                return first ? "" : separator;
            };
        });
        scope.set("raise_exception", (TemplateFunction) (args, kwargs) -> {
            Object message = Args.bind("raise_exception", args, kwargs, "message")[0];
            throw new JinjaError(JinjaError.RAISED, Py.str(message));
        });
        scope.set("strftime_now", (TemplateFunction) (args, kwargs) -> {
            Object format = Args.bind("strftime_now", args, kwargs, "format")[0];
            return Strftime.format(LocalDateTime.now(clock), Args.strArg("strftime_now", format));
        });
        return scope;
    }

    private static Object range(List<Object> args, Map<String, Object> kwargs) {
        if (!kwargs.isEmpty()) {
            throw JinjaError.type("range() takes no keyword arguments");
        }
        if (args.isEmpty() || args.size() > 3) {
            throw JinjaError.type("range expected at least 1 argument, got " + args.size());
        }
        long[] n = new long[args.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = Args.intArg("range", args.get(i));
        }
        return switch (n.length) {
            case 1 -> new PyRange(0, n[0], 1);
            case 2 -> new PyRange(n[0], n[1], 1);
            default -> new PyRange(n[0], n[1], n[2]);
        };
    }

    /** dict(x): a mapping's entries, or an iterable of key/value pairs. */
    private static void fill(Map<Object, Object> out, Object source) {
        if (source instanceof Map<?, ?> m) {
            out.putAll(m);
            return;
        }
        for (Object pair : Py.iterate(source)) {
            List<Object> kv = Py.iterate(pair);
            if (kv.size() != 2) {
                throw JinjaError.value("dictionary update sequence element has length " + kv.size() + "; 2 is required");
            }
            out.put(kv.get(0), kv.get(1));
        }
    }
}
