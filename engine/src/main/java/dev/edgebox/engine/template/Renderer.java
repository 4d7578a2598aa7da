package dev.edgebox.engine.template;

import dev.edgebox.engine.template.Ast.Expr;
import dev.edgebox.engine.template.Ast.Stmt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Walks the syntax tree: runs statements into an output buffer and evaluates expressions. */
final class Renderer {
    /** How a statement list ended: normally, or by {@code break} / {@code continue}. */
    private enum Flow { NORMAL, BREAK, CONTINUE }

    private final Symbols symbols;
    /** The line of the statement being run, for error messages. */
    private int line;

    Renderer(Symbols symbols) {
        this.symbols = symbols;
    }

    /** A fresh scope for a frame (a body, or a loop filter), knowing the names it owns from the start. */
    Scope frame(Scope parent, Object frame) {
        return parent.child(symbols.undefinedAtEntry(frame));
    }

    String render(List<Stmt> body, Scope scope) {
        try {
            return renderBody(body, scope);
        } catch (JinjaError e) {
            throw TemplateException.runtime(e, line);
        } catch (StackOverflowError e) {
            throw TemplateException.runtime(new JinjaError("RecursionError", "maximum recursion depth exceeded"), line);
        }
    }

    String renderBody(List<Stmt> body, Scope scope) {
        StringBuilder out = new StringBuilder();
        execute(body, scope, out);
        return out.toString();
    }

    // ---- statements --------------------------------------------------------------------------------

    private Flow execute(List<Stmt> body, Scope scope, StringBuilder out) {
        for (Stmt stmt : body) {
            line = stmt.line();
            Flow flow = execute(stmt, scope, out);
            if (flow != Flow.NORMAL) {
                return flow;
            }
        }
        return Flow.NORMAL;
    }

    private Flow execute(Stmt stmt, Scope scope, StringBuilder out) {
        switch (stmt) {
            case Ast.Text t -> out.append(t.text());
            case Ast.Output o -> out.append(Py.str(eval(o.expr(), scope)));
            case Ast.If s -> {
                for (Ast.Branch branch : s.branches()) {
                    if (Py.truthy(eval(branch.test(), scope))) {
                        return execute(branch.body(), scope, out);
                    }
                }
                return execute(s.otherwise(), scope, out);
            }
            case Ast.For f -> loop(f, scope, eval(f.iterable(), scope), 0, out);
            case Ast.Assign a -> assign(a.target(), eval(a.value(), scope), scope);
            case Ast.AssignBlock a -> {
                Scope block = frame(scope, a.body());
                Object value = renderBody(a.body(), block);
                assign(a.target(), a.filter() == null ? value : evalSeeded(a.filter(), block, value), scope);
            }
            case Ast.MacroDef m -> scope.set(m.signature().name(), new Macro(m.signature(), m.body(), scope, this));
            case Ast.CallBlock c -> {
                Macro caller = new Macro(c.signature(), c.body(), scope, this);
                Object function = eval(c.call().function(), scope);
                List<Object> args = new ArrayList<>();
                Map<String, Object> kwargs = new LinkedHashMap<>();
                evalArguments(c.call().arguments(), scope, args, kwargs);
                kwargs.put("caller", caller);
                out.append(Py.str(call(function, args, kwargs)));
            }
            case Ast.FilterBlock f -> {
                Scope block = frame(scope, f.body());
                out.append(Py.str(evalSeeded(f.filter(), block, renderBody(f.body(), block))));
            }
            case Ast.With w -> {
                Scope inner = frame(scope, w.body());
                List<Object> values = new ArrayList<>();
                for (Expr value : w.values()) {
                    values.add(eval(value, scope));
                }
                for (int i = 0; i < values.size(); i++) {
                    assign(w.targets().get(i), values.get(i), inner);
                }
                return execute(w.body(), inner, out);
            }
            case Ast.Scoped s -> out.append(renderBody(s.body(), frame(scope, s.body())));
            case Ast.Break b -> {
                return Flow.BREAK;
            }
            case Ast.Continue c -> {
                return Flow.CONTINUE;
            }
        }
        return Flow.NORMAL;
    }

    private void loop(Ast.For f, Scope scope, Object iterable, int depth, StringBuilder out) {
        List<Object> items = Py.iterate(iterable);
        if (f.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                Scope probe = frame(scope, f.filter());
                assign(f.target(), item, probe);
                if (Py.truthy(eval(f.filter(), probe))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        LoopState state = new LoopState(items, depth, !f.recursive() ? null : children -> {
            StringBuilder nested = new StringBuilder();
            loop(f, scope, children, depth + 1, nested);
            return nested.toString();
        });
        // Jinja2 runs the else block unless some iteration reached the end of the body, so a loop
        // whose every pass ends in break or continue also gets it
        boolean bodyCompleted = false;
        for (Object item : items) {
            state.advance();
            Scope iteration = frame(scope, f.body());
            assign(f.target(), item, iteration);
            iteration.set("loop", state);
            Flow flow = execute(f.body(), iteration, out);
            bodyCompleted |= flow == Flow.NORMAL;
            if (flow == Flow.BREAK) {
                break;
            }
        }
        if (!bodyCompleted) {
            execute(f.otherwise(), frame(scope, f.otherwise()), out);
        }
    }

    private void assign(Ast.Target target, Object value, Scope scope) {
        switch (target) {
            case Ast.NameTarget n -> scope.set(n.name(), value);
            case Ast.NamespaceTarget n -> {
                Object ns = scope.lookup(n.namespace());
                if (!(ns instanceof Namespace namespace)) {
                    throw new JinjaError("TemplateRuntimeError", "cannot assign attribute on non-namespace object");
                }
                namespace.attributes.put(n.attribute(), value);
            }
            case Ast.TupleTarget t -> {
                List<Object> values = Py.iterate(value);
                if (values.size() != t.items().size()) {
                    throw JinjaError.value(values.size() > t.items().size()
                            ? "too many values to unpack (expected " + t.items().size() + ")"
                            : "not enough values to unpack (expected " + t.items().size() + ", got " + values.size() + ")");
                }
                for (int i = 0; i < values.size(); i++) {
                    assign(t.items().get(i), values.get(i), scope);
                }
            }
        }
    }

    // ---- expressions -------------------------------------------------------------------------------

    Object eval(Expr expr, Scope scope) {
        return switch (expr) {
            case Ast.Const c -> c.value();
            case Ast.Name n -> {
                Object value = scope.lookup(n.name());
                yield value == Scope.MISSING ? Undefined.name(n.name()) : value;
            }
            case Ast.ListExpr l -> {
                List<Object> out = new ArrayList<>(l.items().size());
                for (Expr item : l.items()) {
                    out.add(eval(item, scope));
                }
                yield out;
            }
            case Ast.TupleExpr t -> {
                Object[] out = new Object[t.items().size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = eval(t.items().get(i), scope);
                }
                yield new PyTuple(out);
            }
            case Ast.DictExpr d -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < d.keys().size(); i++) {
                    Object key = Py.hashable(eval(d.keys().get(i), scope));
                    Py.dictPut(out, key, eval(d.values().get(i), scope));
                }
                yield out;
            }
            case Ast.GetAttr g -> PyOps.getAttr(eval(g.object(), scope), g.name());
            case Ast.GetItem g -> {
                Object object = eval(g.object(), scope);
                if (g.key() instanceof Ast.Slice s) {
                    yield PyOps.slice(object, evalOptional(s.start(), scope), evalOptional(s.stop(), scope),
                            evalOptional(s.step(), scope));
                }
                yield PyOps.getItem(object, eval(g.key(), scope));
            }
            case Ast.Slice s -> throw JinjaError.type("a slice is only allowed inside []");
            case Ast.Call c -> {
                Object function = eval(c.function(), scope);
                List<Object> args = new ArrayList<>();
                Map<String, Object> kwargs = new LinkedHashMap<>();
                evalArguments(c.arguments(), scope, args, kwargs);
                yield call(function, args, kwargs);
            }
            case Ast.Filter f -> evalSeeded(f, scope, null);
            case Ast.Test t -> {
                Object value = eval(t.value(), scope);
                List<Object> args = new ArrayList<>();
                Map<String, Object> kwargs = new LinkedHashMap<>();
                evalArguments(t.arguments(), scope, args, kwargs);
                yield Predicates.apply(t.name(), value, args, kwargs);
            }
            case Ast.Unary u -> u.operator() == '-' ? PyOps.negate(eval(u.operand(), scope)) : PyOps.plus(eval(u.operand(), scope));
            case Ast.Binary b -> binary(b.operator(), eval(b.left(), scope), eval(b.right(), scope));
            case Ast.And a -> {
                Object left = eval(a.left(), scope);
                yield Py.truthy(left) ? eval(a.right(), scope) : left;
            }
            case Ast.Or o -> {
                Object left = eval(o.left(), scope);
                yield Py.truthy(left) ? left : eval(o.right(), scope);
            }
            case Ast.Not n -> !Py.truthy(eval(n.operand(), scope));
            case Ast.Concat c -> {
                StringBuilder out = new StringBuilder();
                for (Expr part : c.parts()) {
                    out.append(Py.str(eval(part, scope)));
                }
                yield out.toString();
            }
            case Ast.Compare c -> compare(c, scope);
            case Ast.CondExpr c -> {
                if (Py.truthy(eval(c.test(), scope))) {
                    yield eval(c.then(), scope);
                }
                yield c.otherwise() != null ? eval(c.otherwise(), scope) : Undefined.hint("the inline if-expression on line "
                        + line + " evaluated to false and no else section was defined.");
            }
        };
    }

    private Object evalOptional(Expr expr, Scope scope) {
        return expr == null ? null : eval(expr, scope);
    }

    /** Evaluates a filter chain; the innermost filter without a value applies to seed (a block's text). */
    private Object evalSeeded(Ast.Filter f, Scope scope, Object seed) {
        Object value = switch (f.value()) {
            case null -> seed;
            case Ast.Filter inner -> evalSeeded(inner, scope, seed);
            default -> eval(f.value(), scope);
        };
        List<Object> args = new ArrayList<>();
        Map<String, Object> kwargs = new LinkedHashMap<>();
        evalArguments(f.arguments(), scope, args, kwargs);
        return Filters.apply(f.name(), value, args, kwargs);
    }

    private void evalArguments(Ast.Arguments arguments, Scope scope, List<Object> args, Map<String, Object> kwargs) {
        for (Expr e : arguments.positional()) {
            args.add(eval(e, scope));
        }
        for (int i = 0; i < arguments.keywordNames().size(); i++) {
            kwargs.put(arguments.keywordNames().get(i), eval(arguments.keywordValues().get(i), scope));
        }
        if (arguments.star() != null) {
            args.addAll(Py.iterate(eval(arguments.star(), scope)));
        }
        if (arguments.doubleStar() != null) {
            Object mapping = eval(arguments.doubleStar(), scope);
            if (!(mapping instanceof Map<?, ?> m)) {
                throw JinjaError.type("argument after ** must be a mapping, not " + Py.typeName(mapping));
            }
            m.forEach((k, v) -> kwargs.put(Py.str(k), v));
        }
    }

    private static Object call(Object function, List<Object> args, Map<String, Object> kwargs) {
        if (function instanceof Undefined u) {
            throw u.error();
        }
        if (!(function instanceof TemplateFunction f)) {
            throw JinjaError.type("'" + Py.typeName(function) + "' object is not callable");
        }
        return f.call(args, kwargs);
    }

    private static Object binary(String operator, Object left, Object right) {
        return switch (operator) {
            case "+" -> PyOps.add(left, right);
            case "-" -> PyOps.sub(left, right);
            case "*" -> PyOps.mul(left, right);
            case "/" -> PyOps.truediv(left, right);
            case "//" -> PyOps.floordiv(left, right);
            case "%" -> PyOps.mod(left, right);
            case "**" -> PyOps.pow(left, right);
            default -> throw new IllegalStateException("unknown operator " + operator);
        };
    }

    private boolean compare(Ast.Compare c, Scope scope) {
        Object left = eval(c.first(), scope);
        for (int i = 0; i < c.operators().size(); i++) {
            Object right = eval(c.operands().get(i), scope);
            String op = c.operators().get(i);
            boolean holds = switch (op) {
                case "==" -> Py.eq(left, right);
                case "!=" -> !Py.eq(left, right);
                case "<" -> Py.compare(left, right, op) < 0;
                case "<=" -> Py.compare(left, right, op) <= 0;
                case ">" -> Py.compare(left, right, op) > 0;
                case ">=" -> Py.compare(left, right, op) >= 0;
                case "in" -> Py.contains(right, left);
                case "notin" -> !Py.contains(right, left);
                default -> throw new IllegalStateException("unknown comparison " + op);
            };
            if (!holds) {
                return false;
            }
            left = right;
        }
        return true;
    }
}
