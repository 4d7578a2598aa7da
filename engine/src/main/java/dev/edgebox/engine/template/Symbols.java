package dev.edgebox.engine.template;

import dev.edgebox.engine.template.Ast.Expr;
import dev.edgebox.engine.template.Ast.Stmt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Jinja2's compile-time name resolution, which differs from a plain scope chain in one way: when a
 * frame (the template, a loop body, a macro, a with or set block) assigns a name before reading it,
 * and no enclosing frame knows the name, the frame owns a variable that starts out undefined. Code in
 * nested frames then reads that variable, undefined until the assignment runs, and never falls back
 * to the context. This class finds those names per frame, following jinja2.idtracking.
 */
final class Symbols {
    private enum Load { RESOLVE, ALIAS, UNDEFINED, PARAMETER }

    /** The names each frame starts undefined, keyed by the frame's statement list (or loop filter). */
    private final Map<Object, Set<String>> undefinedAtEntry = new IdentityHashMap<>();

    private Symbols() {}

    static Symbols analyze(List<Stmt> template) {
        Symbols symbols = new Symbols();
        Table root = new Table(null);
        symbols.frame(template, root, () -> symbols.visitAll(template, root));
        return symbols;
    }

    /** The names a frame's scope must report as undefined until the frame assigns them. */
    Set<String> undefinedAtEntry(Object frame) {
        return undefinedAtEntry.getOrDefault(frame, Set.of());
    }

    // ---- one frame's symbol table ------------------------------------------------------------------

    private static final class Table {
        final Table parent;
        final Map<String, Load> loads = new HashMap<>();
        final Set<String> stores = new HashSet<>();
        /** Frames nested in this one, analysed once this one is complete. */
        final List<Child> children;

        Table(Table parent) {
            this(parent, new ArrayList<>());
        }

        private Table(Table parent, List<Child> children) {
            this.parent = parent;
            this.children = children;
        }

        boolean hasRef(String name) {
            return loads.containsKey(name) || (parent != null && parent.hasRef(name));
        }

        void load(String name) {
            if (!hasRef(name)) {
                loads.put(name, Load.RESOLVE);
            }
        }

        void store(String name) {
            stores.add(name);
            if (!loads.containsKey(name)) {
                loads.put(name, parent != null && parent.hasRef(name) ? Load.ALIAS : Load.UNDEFINED);
            }
        }

        void parameter(String name) {
            stores.add(name);
            loads.put(name, Load.PARAMETER);
        }

        /** A copy for one branch of an if; it shares the list of nested frames. */
        Table copy() {
            Table t = new Table(parent, children);
            t.loads.putAll(loads);
            t.stores.addAll(stores);
            return t;
        }

        /** Merges if-branches: a name first assigned in a branch may be unassigned, so it reads through. */
        void branchUpdate(List<Table> branches) {
            Set<String> branchStores = new HashSet<>();
            for (Table b : branches) {
                branchStores.addAll(b.stores);
            }
            branchStores.removeAll(stores);
            for (Table b : branches) {
                loads.putAll(b.loads);
                stores.addAll(b.stores);
            }
            for (String name : branchStores) {
                loads.put(name, parent != null && parent.hasRef(name) ? Load.ALIAS : Load.RESOLVE);
            }
        }
    }

    /** A frame nested in another: its key and how to walk its own code. */
    private record Child(Object key, Consumer<Table> ownCode) {}

    /**
     * Analyses a frame: its own code first, then the frames nested in it, which see this frame's
     * complete table (names assigned anywhere in it, even later), as Jinja2's compiler does.
     */
    private void frame(Object key, Table table, Runnable ownCode) {
        ownCode.run();
        Set<String> undefined = new HashSet<>();
        table.loads.forEach((name, load) -> {
            if (load == Load.UNDEFINED) {
                undefined.add(name);
            }
        });
        if (!undefined.isEmpty()) {
            undefinedAtEntry.put(key, Collections.unmodifiableSet(undefined));
        }
        for (Child child : table.children) {
            Table inner = new Table(table);
            frame(child.key(), inner, () -> child.ownCode().accept(inner));
        }
    }

    private void nested(Table parent, Object key, Consumer<Table> ownCode) {
        parent.children.add(new Child(key, ownCode));
    }

    // ---- the code of a frame -----------------------------------------------------------------------

    private void visitAll(List<Stmt> body, Table t) {
        for (Stmt s : body) {
            visit(s, t);
        }
    }

    private void visit(Stmt stmt, Table t) {
        switch (stmt) {
            case Ast.Text text -> { }
            case Ast.Output o -> visit(o.expr(), t);
            case Ast.If s -> visitIf(s.branches(), 0, s.otherwise(), t);
            case Ast.For f -> {
                visit(f.iterable(), t);
                nested(t, f.body(), inner -> {
                    parameters(f.target(), inner);
                    visitAll(f.body(), inner);
                });
                if (!f.otherwise().isEmpty()) {
                    nested(t, f.otherwise(), inner -> visitAll(f.otherwise(), inner));
                }
                if (f.filter() != null) {
                    nested(t, f.filter(), inner -> {
                        parameters(f.target(), inner);
                        visit(f.filter(), inner);
                    });
                }
            }
            case Ast.Assign a -> {
                visit(a.value(), t);
                store(a.target(), t);
            }
            case Ast.AssignBlock a -> {
                store(a.target(), t);
                nested(t, a.body(), inner -> {
                    if (a.filter() != null) {
                        visit(a.filter(), inner);
                    }
                    visitAll(a.body(), inner);
                });
            }
            case Ast.MacroDef m -> {
                t.store(m.signature().name());
                nested(t, m.body(), inner -> signatureAndBody(m.signature(), m.body(), inner));
            }
            case Ast.CallBlock c -> {
                visit(c.call(), t);
                nested(t, c.body(), inner -> signatureAndBody(c.signature(), c.body(), inner));
            }
            case Ast.FilterBlock f -> {
                visit(f.filter(), t);
                nested(t, f.body(), inner -> {
                    visit(f.filter(), inner);
                    visitAll(f.body(), inner);
                });
            }
            case Ast.With w -> {
                for (Expr value : w.values()) {
                    visit(value, t);
                }
                nested(t, w.body(), inner -> {
                    w.targets().forEach(target -> parameters(target, inner));
                    visitAll(w.body(), inner);
                });
            }
            case Ast.Scoped s -> nested(t, s.body(), inner -> visitAll(s.body(), inner));
            case Ast.Break b -> { }
            case Ast.Continue c -> { }
        }
    }

    private void signatureAndBody(Ast.Signature signature, List<Stmt> body, Table t) {
        signature.params().forEach(t::parameter);
        signature.defaults().forEach(d -> visit(d, t));
        visitAll(body, t);
    }

    /** Jinja2 keeps elif tests and bodies inside the first if's "elif" branch; the shape matters little. */
    private void visitIf(List<Ast.Branch> branches, int from, List<Stmt> otherwise, Table t) {
        visit(branches.get(from).test(), t);
        Table body = t.copy();
        visitAll(branches.get(from).body(), body);
        Table elifs = t.copy();
        for (int i = from + 1; i < branches.size(); i++) {
            visit(branches.get(i).test(), elifs);
            Table elifBody = elifs.copy();
            visitAll(branches.get(i).body(), elifBody);
            elifs.branchUpdate(List.of(elifBody, elifs.copy(), elifs.copy()));
        }
        Table other = t.copy();
        visitAll(otherwise, other);
        t.branchUpdate(List.of(body, elifs, other));
    }

    private void store(Ast.Target target, Table t) {
        switch (target) {
            case Ast.NameTarget n -> t.store(n.name());
            case Ast.NamespaceTarget n -> t.load(n.namespace());
            case Ast.TupleTarget tuple -> tuple.items().forEach(item -> store(item, t));
        }
    }

    private void parameters(Ast.Target target, Table t) {
        switch (target) {
            case Ast.NameTarget n -> t.parameter(n.name());
            case Ast.NamespaceTarget n -> t.load(n.namespace());
            case Ast.TupleTarget tuple -> tuple.items().forEach(item -> parameters(item, t));
        }
    }

    private void visit(Expr expr, Table t) {
        switch (expr) {
            case null -> { }
            case Ast.Name n -> t.load(n.name());
            case Ast.Const c -> { }
            case Ast.ListExpr l -> l.items().forEach(e -> visit(e, t));
            case Ast.TupleExpr l -> l.items().forEach(e -> visit(e, t));
            case Ast.DictExpr d -> {
                for (int i = 0; i < d.keys().size(); i++) {
                    visit(d.keys().get(i), t);
                    visit(d.values().get(i), t);
                }
            }
            case Ast.GetAttr g -> visit(g.object(), t);
            case Ast.GetItem g -> {
                visit(g.object(), t);
                visit(g.key(), t);
            }
            case Ast.Slice s -> {
                visit(s.start(), t);
                visit(s.stop(), t);
                visit(s.step(), t);
            }
            case Ast.Call c -> {
                visit(c.function(), t);
                visit(c.arguments(), t);
            }
            case Ast.Filter f -> {
                visit(f.value(), t);
                visit(f.arguments(), t);
            }
            case Ast.Test x -> {
                visit(x.value(), t);
                visit(x.arguments(), t);
            }
            case Ast.Unary u -> visit(u.operand(), t);
            case Ast.Binary b -> {
                visit(b.left(), t);
                visit(b.right(), t);
            }
            case Ast.And a -> {
                visit(a.left(), t);
                visit(a.right(), t);
            }
            case Ast.Or o -> {
                visit(o.left(), t);
                visit(o.right(), t);
            }
            case Ast.Not n -> visit(n.operand(), t);
            case Ast.Concat c -> c.parts().forEach(e -> visit(e, t));
            case Ast.Compare c -> {
                visit(c.first(), t);
                c.operands().forEach(e -> visit(e, t));
            }
            case Ast.CondExpr c -> {
                visit(c.then(), t);
                visit(c.test(), t);
                visit(c.otherwise(), t);
            }
        }
    }

    private void visit(Ast.Arguments arguments, Table t) {
        arguments.positional().forEach(e -> visit(e, t));
        arguments.keywordValues().forEach(e -> visit(e, t));
        visit(arguments.star(), t);
        visit(arguments.doubleStar(), t);
    }
}
