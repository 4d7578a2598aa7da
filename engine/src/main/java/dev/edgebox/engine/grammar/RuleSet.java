package dev.edgebox.engine.grammar;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Named rules being built by a compiler; shared pieces are defined once and referred to by name. */
final class RuleSet {
    private final Map<String, Expr> rules = new LinkedHashMap<>();

    /** A reference to the rule with this name, defining it from the supplier the first time. */
    Expr shared(String name, Supplier<Expr> body) {
        if (!rules.containsKey(name)) {
            rules.put(name, Expr.EMPTY); // reserved first, so a body may refer to its own rule
            rules.put(name, body.get());
        }
        return Expr.ref(name);
    }

    /** Defines a new rule under a name not used yet (made from the hint) and refers to it. */
    Expr define(String hint, Expr body) {
        String name = reserve(hint);
        rules.put(name, body);
        return Expr.ref(name);
    }

    /** Reserves a fresh name for a rule whose body is set later with {@link #set}. */
    String reserve(String hint) {
        String base = hint.replaceAll("[^A-Za-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (base.isEmpty()) base = "rule";
        String name = base;
        for (int i = 2; rules.containsKey(name); i++) name = base + "-" + i;
        rules.put(name, Expr.EMPTY);
        return name;
    }

    void set(String name, Expr body) {
        rules.put(name, body);
    }

    /** The grammar whose start rule is the named one (reserved with the hint "root" by convention). */
    Grammar build(String root) {
        return Grammar.of(rules, root);
    }

    boolean has(String name) {
        return rules.containsKey(name);
    }
}
