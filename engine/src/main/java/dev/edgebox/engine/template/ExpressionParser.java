package dev.edgebox.engine.template;

import dev.edgebox.engine.template.Ast.Arguments;
import dev.edgebox.engine.template.Ast.Expr;
import dev.edgebox.engine.template.Token.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses expressions with Jinja2's grammar and operator precedence (loosest first): conditional, or,
 * and, not, comparisons, + -, ~, * / // %, **, unary minus and plus, then postfix access, calls,
 * filters and tests.
 */
final class ExpressionParser {
    private static final Set<String> COMPARE_OPERATORS = Set.of("==", "!=", "<", "<=", ">", ">=");

    private final TokenStream tokens;
    /** Names read inside each macro being parsed, to know whether it takes varargs or kwargs. */
    private final Deque<Set<String>> namesRead = new ArrayDeque<>();
    /**
     * Inside if/elif/else or a conditional expression Jinja2 lets an unknown filter or test pass
     * until it is reached at run time; elsewhere it is a compile-time error.
     */
    private boolean soft;

    ExpressionParser(TokenStream tokens) {
        this.tokens = tokens;
    }

    /** Sets whether unknown filters and tests are tolerated until run time; returns the previous setting. */
    boolean soft(boolean value) {
        boolean was = soft;
        soft = value;
        return was;
    }

    void startNameTracking() {
        namesRead.push(new HashSet<>());
    }

    /** The names read since the matching {@link #startNameTracking()}. */
    Set<String> stopNameTracking() {
        return namesRead.pop();
    }

    boolean isTupleEnd(String extraEnd) {
        Token t = tokens.current();
        return t.is(Kind.VARIABLE_END) || t.is(Kind.BLOCK_END) || t.isOperator(")")
                || (extraEnd != null && t.isName(extraEnd));
    }

    /** A comma-separated tuple or a single expression, as Jinja's parse_tuple. */
    Expr parseTuple(boolean withCondexpr, String extraEnd, boolean explicitParentheses) {
        List<Expr> items = new ArrayList<>();
        boolean tuple = false;
        Token start = tokens.current();
        while (true) {
            if (!items.isEmpty()) {
                tokens.expectOperator(",");
            }
            if (isTupleEnd(extraEnd)) {
                break;
            }
            items.add(parseExpression(withCondexpr));
            if (tokens.current().isOperator(",")) {
                tuple = true;
            } else {
                break;
            }
        }
        if (!tuple) {
            if (!items.isEmpty()) {
                return items.getFirst();
            }
            if (!explicitParentheses) {
                throw TokenStream.failAt("expected an expression, got " + Py.repr(start.describe()), start);
            }
        }
        return new Ast.TupleExpr(items);
    }

    Expr parseExpression(boolean withCondexpr) {
        return withCondexpr ? parseCondExpr() : parseOr();
    }

    private Expr parseCondExpr() {
        Expr expr = parseOr();
        while (tokens.current().isName("if")) {
            tokens.next();
            boolean wasSoft = soft;
            soft = true;
            Expr test = parseOr();
            Expr otherwise = tokens.skipName("else") ? parseCondExpr() : null;
            soft = wasSoft;
            expr = new Ast.CondExpr(test, expr, otherwise);
        }
        return expr;
    }

    private Expr parseOr() {
        Expr left = parseAnd();
        while (tokens.skipName("or")) {
            left = new Ast.Or(left, parseAnd());
        }
        return left;
    }

    private Expr parseAnd() {
        Expr left = parseNot();
        while (tokens.skipName("and")) {
            left = new Ast.And(left, parseNot());
        }
        return left;
    }

    private Expr parseNot() {
        if (tokens.skipName("not")) {
            return new Ast.Not(parseNot());
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        Expr first = parseMath1();
        List<String> ops = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        while (true) {
            Token t = tokens.current();
            if (t.is(Kind.OPERATOR) && COMPARE_OPERATORS.contains(t.text())) {
                tokens.next();
                ops.add(t.text());
            } else if (t.isName("in")) {
                tokens.next();
                ops.add("in");
            } else if (t.isName("not") && tokens.look().isName("in")) {
                tokens.next();
                tokens.next();
                ops.add("notin");
            } else {
                break;
            }
            operands.add(parseMath1());
        }
        return ops.isEmpty() ? first : new Ast.Compare(first, ops, operands);
    }

    private Expr parseMath1() {
        Expr left = parseConcat();
        while (tokens.current().isOperator("+") || tokens.current().isOperator("-")) {
            String op = tokens.next().text();
            left = new Ast.Binary(op, left, parseConcat());
        }
        return left;
    }

    private Expr parseConcat() {
        List<Expr> parts = new ArrayList<>();
        parts.add(parseMath2());
        while (tokens.skipOperator("~")) {
            parts.add(parseMath2());
        }
        return parts.size() == 1 ? parts.getFirst() : new Ast.Concat(parts);
    }

    private Expr parseMath2() {
        Expr left = parsePow();
        while (tokens.current().is(Kind.OPERATOR) && List.of("*", "/", "//", "%").contains(tokens.current().text())) {
            String op = tokens.next().text();
            left = new Ast.Binary(op, left, parsePow());
        }
        return left;
    }

    private Expr parsePow() {
        Expr left = parseUnary(true);
        while (tokens.skipOperator("**")) {
            left = new Ast.Binary("**", left, parseUnary(true));
        }
        return left;
    }

    private Expr parseUnary(boolean withFilter) {
        Expr node;
        if (tokens.skipOperator("-")) {
            node = new Ast.Unary('-', parseUnary(false));
        } else if (tokens.skipOperator("+")) {
            node = new Ast.Unary('+', parseUnary(false));
        } else {
            node = parsePrimary();
        }
        node = parsePostfix(node);
        return withFilter ? parseFilterExpr(node) : node;
    }

    private Expr parsePrimary() {
        Token t = tokens.current();
        switch (t.kind()) {
            case NAME -> {
                tokens.next();
                return switch (t.text()) {
                    case "true", "True" -> new Ast.Const(true);
                    case "false", "False" -> new Ast.Const(false);
                    case "none", "None" -> new Ast.Const(null);
                    default -> {
                        if (!namesRead.isEmpty()) {
                            namesRead.peek().add(t.text());
                        }
                        yield new Ast.Name(t.text());
                    }
                };
            }
            case STRING -> {
                StringBuilder s = new StringBuilder();
                while (tokens.current().is(Kind.STRING)) {
                    s.append((String) tokens.next().value());
                }
                return new Ast.Const(s.toString());
            }
            case INTEGER, FLOAT -> {
                tokens.next();
                return new Ast.Const(t.value());
            }
            case OPERATOR -> {
                switch (t.text()) {
                    case "(" -> {
                        tokens.next();
                        Expr inner = parseTuple(true, null, true);
                        tokens.expectOperator(")");
                        return inner;
                    }
                    case "[" -> {
                        return parseList();
                    }
                    case "{" -> {
                        return parseDict();
                    }
                    default -> {
                    }
                }
            }
            default -> {
            }
        }
        throw tokens.fail("unexpected " + Py.repr(t.describe()));
    }

    private Expr parseList() {
        tokens.expectOperator("[");
        List<Expr> items = new ArrayList<>();
        while (!tokens.current().isOperator("]")) {
            if (!items.isEmpty()) {
                tokens.expectOperator(",");
            }
            if (tokens.current().isOperator("]")) {
                break;
            }
            items.add(parseExpression(true));
        }
        tokens.expectOperator("]");
        return new Ast.ListExpr(items);
    }

    private Expr parseDict() {
        tokens.expectOperator("{");
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!tokens.current().isOperator("}")) {
            if (!keys.isEmpty()) {
                tokens.expectOperator(",");
            }
            if (tokens.current().isOperator("}")) {
                break;
            }
            keys.add(parseExpression(true));
            tokens.expectOperator(":");
            values.add(parseExpression(true));
        }
        tokens.expectOperator("}");
        return new Ast.DictExpr(keys, values);
    }

    private Expr parsePostfix(Expr node) {
        while (true) {
            Token t = tokens.current();
            if (t.isOperator(".") || t.isOperator("[")) {
                node = parseSubscript(node);
            } else if (t.isOperator("(")) {
                node = new Ast.Call(node, parseCallArguments());
            } else {
                return node;
            }
        }
    }

    private Expr parseFilterExpr(Expr node) {
        while (true) {
            Token t = tokens.current();
            if (t.isOperator("|")) {
                node = parseFilterChain(node);
            } else if (t.isName("is")) {
                node = parseTest(node);
            } else if (t.isOperator("(")) {
                node = new Ast.Call(node, parseCallArguments());
            } else {
                return node;
            }
        }
    }

    private Expr parseSubscript(Expr node) {
        Token t = tokens.next();
        if (t.isOperator(".")) {
            Token attr = tokens.next();
            if (attr.is(Kind.NAME)) {
                return new Ast.GetAttr(node, attr.text());
            }
            if (attr.is(Kind.INTEGER)) {
                return new Ast.GetItem(node, new Ast.Const(attr.value()));
            }
            throw TokenStream.failAt("expected name or number", attr);
        }
        List<Expr> args = new ArrayList<>();
        while (!tokens.current().isOperator("]")) {
            if (!args.isEmpty()) {
                tokens.expectOperator(",");
            }
            args.add(parseSubscribed());
        }
        tokens.expectOperator("]");
        return new Ast.GetItem(node, args.size() == 1 ? args.getFirst() : new Ast.TupleExpr(args));
    }

    private Expr parseSubscribed() {
        Expr start = null;
        if (tokens.current().isOperator(":")) {
            tokens.next();
        } else {
            Expr node = parseExpression(true);
            if (!tokens.current().isOperator(":")) {
                return node;
            }
            tokens.next();
            start = node;
        }
        Expr stop = null;
        if (!tokens.current().isOperator(":") && !tokens.current().isOperator("]") && !tokens.current().isOperator(",")) {
            stop = parseExpression(true);
        }
        Expr step = null;
        if (tokens.skipOperator(":") && !tokens.current().isOperator("]") && !tokens.current().isOperator(",")) {
            step = parseExpression(true);
        }
        return new Ast.Slice(start, stop, step);
    }

    private Arguments parseCallArguments() {
        Token open = tokens.current();
        tokens.expectOperator("(");
        List<Expr> positional = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        Expr star = null;
        Expr doubleStar = null;
        boolean requireComma = false;
        while (!tokens.current().isOperator(")")) {
            if (requireComma) {
                tokens.expectOperator(",");
                if (tokens.current().isOperator(")")) {
                    break;
                }
            }
            if (tokens.skipOperator("*")) {
                ensure(star == null && doubleStar == null, open);
                star = parseExpression(true);
            } else if (tokens.skipOperator("**")) {
                ensure(doubleStar == null, open);
                doubleStar = parseExpression(true);
            } else if (tokens.current().is(Kind.NAME) && tokens.look().isOperator("=")) {
                ensure(doubleStar == null, open);
                names.add(tokens.next().text());
                tokens.next();
                values.add(parseExpression(true));
            } else {
                ensure(star == null && doubleStar == null && names.isEmpty(), open);
                positional.add(parseExpression(true));
            }
            requireComma = true;
        }
        tokens.expectOperator(")");
        return new Arguments(positional, names, values, star, doubleStar);
    }

    private static void ensure(boolean ok, Token at) {
        if (!ok) {
            throw TokenStream.failAt("invalid syntax for function call expression", at);
        }
    }

    Ast.Filter parseFilterChain(Expr node) {
        return parseFilterChain(node, false);
    }

    /** One or more {@code |name(args)}; with startInline the first filter has no leading pipe. */
    Ast.Filter parseFilterChain(Expr node, boolean startInline) {
        Ast.Filter result = null;
        while (tokens.current().isOperator("|") || startInline) {
            if (!startInline) {
                tokens.next();
            }
            startInline = false;
            Token nameToken = tokens.expectName();
            String name = dottedName(nameToken.text());
            if (!soft && !Filters.exists(name)) {
                throw TokenStream.failAt("no filter named '" + name + "'", nameToken);
            }
            Arguments args = tokens.current().isOperator("(") ? parseCallArguments() : Arguments.NONE;
            result = new Ast.Filter(node, name, args, nameToken.line());
            node = result;
        }
        return result;
    }

    private String dottedName(String first) {
        StringBuilder name = new StringBuilder(first);
        while (tokens.current().isOperator(".")) {
            tokens.next();
            name.append('.').append(tokens.expectName().text());
        }
        return name.toString();
    }

    private Expr parseTest(Expr node) {
        tokens.next();
        boolean negated = tokens.skipName("not");
        Token nameToken = tokens.expectName();
        String name = dottedName(nameToken.text());
        if (!soft && !Predicates.exists(name)) {
            throw TokenStream.failAt("no test named '" + name + "'", nameToken);
        }
        Arguments args;
        Token t = tokens.current();
        if (t.isOperator("(")) {
            args = parseCallArguments();
        } else if ((t.is(Kind.NAME) || t.is(Kind.STRING) || t.is(Kind.INTEGER) || t.is(Kind.FLOAT)
                || t.isOperator("[") || t.isOperator("{")) && !t.isName("else") && !t.isName("or")
                && !t.isName("and")) {
            if (t.isName("is")) {
                throw tokens.fail("you cannot chain multiple tests with is");
            }
            Expr arg = parsePostfix(parsePrimary());
            args = new Arguments(List.of(arg), List.of(), List.of(), null, null);
        } else {
            args = Arguments.NONE;
        }
        Expr test = new Ast.Test(node, name, args, nameToken.line());
        return negated ? new Ast.Not(test) : test;
    }
}
