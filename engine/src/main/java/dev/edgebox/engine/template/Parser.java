package dev.edgebox.engine.template;

import dev.edgebox.engine.template.Ast.Arguments;
import dev.edgebox.engine.template.Ast.Expr;
import dev.edgebox.engine.template.Ast.Stmt;
import dev.edgebox.engine.template.Ast.Target;
import dev.edgebox.engine.template.Token.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser from tokens to {@link Ast}, following Jinja2's grammar and operator
 * precedence (loosest first): conditional, or, and, not, comparisons, + -, ~, * / // %, **, unary,
 * then postfix access, calls, filters and tests.
 */
final class Parser {
    private static final Set<String> COMPARE_OPERATORS = Set.of("==", "!=", "<", "<=", ">", ">=");
    private static final Set<String> UNSUPPORTED_TAGS = Set.of("block", "extends", "include", "import", "from",
            "autoescape");

    private final List<Token> tokens;
    private int index;
    /** Innermost first: the end tags the open blocks are waiting for, for end-of-template errors. */
    private final Deque<String[]> endTagStack = new ArrayDeque<>();
    /** Names read inside each macro being parsed, to know whether it takes varargs or kwargs. */
    private final Deque<Set<String>> macroNames = new ArrayDeque<>();
    private int loopDepth;
    /** Inside if/elif/else or a conditional expression an unknown filter fails only when reached. */
    private boolean soft;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static List<Stmt> parse(String source) {
        Parser parser = new Parser(Lexer.tokenize(source));
        List<Stmt> body = parser.subparse(null);
        if (!parser.current().is(Kind.EOF)) {
            throw parser.fail("unexpected " + parser.current().describe());
        }
        return body;
    }

    // ---- token stream ------------------------------------------------------------------------------

    private Token current() {
        return tokens.get(index);
    }

    private Token look() {
        return tokens.get(Math.min(index + 1, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(index);
        if (index < tokens.size() - 1) {
            index++;
        }
        return t;
    }

    private TemplateException fail(String message) {
        return failAt(message, current());
    }

    private static TemplateException failAt(String message, Token at) {
        return TemplateException.syntax(message, at.line(), at.column());
    }

    private boolean skipName(String name) {
        if (current().isName(name)) {
            next();
            return true;
        }
        return false;
    }

    private boolean skipOperator(String op) {
        if (current().isOperator(op)) {
            next();
            return true;
        }
        return false;
    }

    private Token expectName() {
        if (!current().is(Kind.NAME)) {
            throw fail("expected a name, got " + Py.repr(current().describe()));
        }
        return next();
    }

    private void expectName(String name) {
        if (!current().isName(name)) {
            throw fail("expected '" + name + "', got " + Py.repr(current().describe()));
        }
        next();
    }

    private void expectOperator(String op) {
        if (!current().isOperator(op)) {
            throw fail("expected '" + op + "', got " + Py.repr(current().describe()));
        }
        next();
    }

    private void expectBlockEnd() {
        if (!current().is(Kind.BLOCK_END)) {
            throw fail("expected end of statement block, got " + Py.repr(current().describe()));
        }
        next();
    }

    // ---- statements --------------------------------------------------------------------------------

    private List<Stmt> subparse(String[] endTags) {
        List<Stmt> body = new ArrayList<>();
        while (!current().is(Kind.EOF)) {
            Token t = current();
            switch (t.kind()) {
                case DATA -> {
                    body.add(new Ast.Text(t.text(), t.line()));
                    next();
                }
                case VARIABLE_BEGIN -> {
                    next();
                    body.add(new Ast.Output(parseTuple(true, null, false), t.line()));
                    if (!current().is(Kind.VARIABLE_END)) {
                        throw fail("expected end of print statement, got " + Py.repr(current().describe()));
                    }
                    next();
                }
                case BLOCK_BEGIN -> {
                    next();
                    if (endTags != null && current().is(Kind.NAME) && List.of(endTags).contains(current().text())) {
                        return body;
                    }
                    body.add(parseStatement());
                    expectBlockEnd();
                }
                default -> throw fail("unexpected " + Py.repr(t.describe()));
            }
        }
        return body;
    }

    /** The body of a block up to one of endTags; leaves the end tag's name as the current token. */
    private List<Stmt> parseBody(String block, String... endTags) {
        skipOperator(":");
        expectBlockEnd();
        endTagStack.push(endTags);
        List<Stmt> body = subparse(endTags);
        endTagStack.pop();
        if (current().is(Kind.EOF)) {
            List<String> expected = new ArrayList<>();
            for (String tag : endTags) {
                expected.add("'" + tag + "'");
            }
            throw fail("unexpected end of template; '" + block + "' needs " + String.join(" or ", expected));
        }
        return body;
    }

    private List<Stmt> parseBodyDropEnd(String block, String endTag) {
        List<Stmt> body = parseBody(block, endTag);
        next();
        return body;
    }

    private Stmt parseStatement() {
        Token t = current();
        if (!t.is(Kind.NAME)) {
            throw fail("tag name expected");
        }
        return switch (t.text()) {
            case "if" -> parseIf();
            case "for" -> parseFor();
            case "set" -> parseSet();
            case "macro" -> parseMacro();
            case "call" -> parseCallBlock();
            case "filter" -> parseFilterBlock();
            case "with" -> parseWith();
            case "print" -> parsePrint();
            case "generation" -> {
                next();
                boolean wasSoft = enterHardFrame();
                Stmt s = new Ast.Scoped(parseBodyDropEnd("generation", "endgeneration"), t.line());
                soft = wasSoft;
                yield s;
            }
            case "break", "continue" -> {
                if (loopDepth == 0) {
                    throw fail("'" + t.text() + "' outside of a loop");
                }
                next();
                yield t.text().equals("break") ? new Ast.Break(t.line()) : new Ast.Continue(t.line());
            }
            default -> {
                if (UNSUPPORTED_TAGS.contains(t.text())) {
                    throw fail("the '" + t.text() + "' tag is not supported in chat templates");
                }
                String waiting = endTagStack.isEmpty() ? ""
                        : " (the innermost open block needs '" + endTagStack.peek()[0] + "')";
                throw fail("unknown tag '" + t.text() + "'" + waiting);
            }
        };
    }

    private boolean enterHardFrame() {
        boolean was = soft;
        soft = false;
        return was;
    }

    private Stmt parseIf() {
        int line = next().line();
        boolean wasSoft = soft;
        soft = true;
        List<Ast.Branch> branches = new ArrayList<>();
        List<Stmt> otherwise = List.of();
        while (true) {
            Expr test = parseTuple(false, null, false);
            List<Stmt> body = parseBody("if", "elif", "else", "endif");
            branches.add(new Ast.Branch(test, body));
            String tag = next().text();
            if (tag.equals("elif")) {
                continue;
            }
            if (tag.equals("else")) {
                otherwise = parseBodyDropEnd("if", "endif");
            }
            break;
        }
        soft = wasSoft;
        return new Ast.If(branches, otherwise, line);
    }

    private Stmt parseFor() {
        int line = next().line();
        Target target = parseAssignTarget(true, false, "in");
        expectName("in");
        Expr iterable = parseTuple(false, "recursive", false);
        Expr filter = null;
        if (skipName("if")) {
            filter = parseExpression(true);
        }
        boolean recursive = skipName("recursive");
        boolean wasSoft = enterHardFrame();
        loopDepth++;
        List<Stmt> body = parseBody("for", "endfor", "else");
        loopDepth--;
        List<Stmt> otherwise = List.of();
        if (next().text().equals("else")) {
            otherwise = parseBodyDropEnd("for", "endfor");
        }
        soft = wasSoft;
        return new Ast.For(target, iterable, filter, body, otherwise, recursive, line);
    }

    private Stmt parseSet() {
        int line = next().line();
        Target target = parseAssignTarget(true, true, null);
        if (skipOperator("=")) {
            return new Ast.Assign(target, parseTuple(true, null, false), line);
        }
        Ast.Filter filter = current().isOperator("|") ? parseFilterChain(null) : null;
        boolean wasSoft = enterHardFrame();
        List<Stmt> body = parseBodyDropEnd("set", "endset");
        soft = wasSoft;
        return new Ast.AssignBlock(target, filter, body, line);
    }

    private Stmt parseMacro() {
        int line = next().line();
        String name = expectName().text();
        macroNames.push(new HashSet<>());
        int outerLoops = loopDepth;
        loopDepth = 0;
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        parseSignature(params, defaults);
        boolean wasSoft = enterHardFrame();
        List<Stmt> body = parseBodyDropEnd("macro", "endmacro");
        soft = wasSoft;
        loopDepth = outerLoops;
        Set<String> used = macroNames.pop();
        return new Ast.MacroDef(new Ast.Signature(name, params, defaults, used.contains("varargs"),
                used.contains("kwargs")), body, line);
    }

    private void parseSignature(List<String> params, List<Expr> defaults) {
        expectOperator("(");
        while (!current().isOperator(")")) {
            if (!params.isEmpty()) {
                expectOperator(",");
            }
            params.add(expectName().text());
            if (skipOperator("=")) {
                defaults.add(parseExpression(true));
            } else if (!defaults.isEmpty()) {
                throw fail("non-default argument follows default argument");
            }
        }
        expectOperator(")");
    }

    private Stmt parseCallBlock() {
        int line = next().line();
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        if (current().isOperator("(")) {
            parseSignature(params, defaults);
        }
        Token at = current();
        Expr call = parseExpression(true);
        if (!(call instanceof Ast.Call c)) {
            throw failAt("expected a call after 'call'", at);
        }
        macroNames.push(new HashSet<>());
        int outerLoops = loopDepth;
        loopDepth = 0;
        boolean wasSoft = enterHardFrame();
        List<Stmt> body = parseBodyDropEnd("call", "endcall");
        soft = wasSoft;
        loopDepth = outerLoops;
        Set<String> used = macroNames.pop();
        return new Ast.CallBlock(new Ast.Signature("caller", params, defaults, used.contains("varargs"),
                used.contains("kwargs")), c, body, line);
    }

    private Stmt parseFilterBlock() {
        int line = next().line();
        Ast.Filter filter = parseFilterChain(null, true);
        boolean wasSoft = enterHardFrame();
        List<Stmt> body = parseBodyDropEnd("filter", "endfilter");
        soft = wasSoft;
        return new Ast.FilterBlock(filter, body, line);
    }

    private Stmt parseWith() {
        int line = next().line();
        List<Target> targets = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!current().is(Kind.BLOCK_END)) {
            if (!targets.isEmpty()) {
                expectOperator(",");
            }
            targets.add(parseAssignTarget(true, false, null));
            expectOperator("=");
            values.add(parseExpression(true));
        }
        boolean wasSoft = enterHardFrame();
        List<Stmt> body = parseBodyDropEnd("with", "endwith");
        soft = wasSoft;
        return new Ast.With(targets, values, body, line);
    }

    private Stmt parsePrint() {
        int line = next().line();
        List<Expr> items = new ArrayList<>();
        while (!current().is(Kind.BLOCK_END)) {
            if (!items.isEmpty()) {
                expectOperator(",");
            }
            items.add(parseExpression(true));
        }
        return new Ast.Output(items.size() == 1 ? items.getFirst() : new Ast.TupleExpr(items), line);
    }

    private Target parseAssignTarget(boolean withTuple, boolean withNamespace, String extraEnd) {
        Token at = current();
        List<Target> items = new ArrayList<>();
        boolean tuple = false;
        while (true) {
            if (!items.isEmpty()) {
                expectOperator(",");
            }
            if (isTupleEnd(extraEnd)) {
                break;
            }
            items.add(parseSingleTarget(withNamespace));
            if (withTuple && current().isOperator(",")) {
                tuple = true;
            } else {
                break;
            }
        }
        if (!tuple) {
            if (items.isEmpty()) {
                throw failAt("expected an assignment target", at);
            }
            return items.getFirst();
        }
        return new Ast.TupleTarget(items);
    }

    private Target parseSingleTarget(boolean withNamespace) {
        Token t = current();
        if (t.isOperator("(")) {
            next();
            Target inner = parseAssignTarget(true, false, null);
            expectOperator(")");
            return inner;
        }
        if (!t.is(Kind.NAME) || List.of("true", "false", "True", "False", "none", "None").contains(t.text())) {
            throw fail("can't assign to " + Py.repr(t.describe()));
        }
        next();
        if (withNamespace && current().isOperator(".")) {
            next();
            return new Ast.NamespaceTarget(t.text(), expectName().text());
        }
        return new Ast.NameTarget(t.text());
    }

    // ---- expressions -------------------------------------------------------------------------------

    private boolean isTupleEnd(String extraEnd) {
        Token t = current();
        return t.is(Kind.VARIABLE_END) || t.is(Kind.BLOCK_END) || t.isOperator(")")
                || (extraEnd != null && t.isName(extraEnd));
    }

    /** A comma-separated tuple or a single expression, as Jinja's parse_tuple. */
    private Expr parseTuple(boolean withCondexpr, String extraEnd, boolean explicitParentheses) {
        List<Expr> items = new ArrayList<>();
        boolean tuple = false;
        Token start = current();
        while (true) {
            if (!items.isEmpty()) {
                expectOperator(",");
            }
            if (isTupleEnd(extraEnd)) {
                break;
            }
            items.add(parseExpression(withCondexpr));
            if (current().isOperator(",")) {
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
                throw failAt("expected an expression, got " + Py.repr(start.describe()), start);
            }
        }
        return new Ast.TupleExpr(items);
    }

    private Expr parseExpression(boolean withCondexpr) {
        return withCondexpr ? parseCondExpr() : parseOr();
    }

    private Expr parseCondExpr() {
        Expr expr = parseOr();
        while (current().isName("if")) {
            next();
            boolean wasSoft = soft;
            soft = true;
            Expr test = parseOr();
            Expr otherwise = skipName("else") ? parseCondExpr() : null;
            soft = wasSoft;
            expr = new Ast.CondExpr(test, expr, otherwise);
        }
        return expr;
    }

    private Expr parseOr() {
        Expr left = parseAnd();
        while (skipName("or")) {
            left = new Ast.Or(left, parseAnd());
        }
        return left;
    }

    private Expr parseAnd() {
        Expr left = parseNot();
        while (skipName("and")) {
            left = new Ast.And(left, parseNot());
        }
        return left;
    }

    private Expr parseNot() {
        if (skipName("not")) {
            return new Ast.Not(parseNot());
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        Expr first = parseMath1();
        List<String> ops = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        while (true) {
            Token t = current();
            if (t.is(Kind.OPERATOR) && COMPARE_OPERATORS.contains(t.text())) {
                next();
                ops.add(t.text());
            } else if (t.isName("in")) {
                next();
                ops.add("in");
            } else if (t.isName("not") && look().isName("in")) {
                next();
                next();
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
        while (current().isOperator("+") || current().isOperator("-")) {
            String op = next().text();
            left = new Ast.Binary(op, left, parseConcat());
        }
        return left;
    }

    private Expr parseConcat() {
        List<Expr> parts = new ArrayList<>();
        parts.add(parseMath2());
        while (skipOperator("~")) {
            parts.add(parseMath2());
        }
        return parts.size() == 1 ? parts.getFirst() : new Ast.Concat(parts);
    }

    private Expr parseMath2() {
        Expr left = parsePow();
        while (current().is(Kind.OPERATOR) && List.of("*", "/", "//", "%").contains(current().text())) {
            String op = next().text();
            left = new Ast.Binary(op, left, parsePow());
        }
        return left;
    }

    private Expr parsePow() {
        Expr left = parseUnary(true);
        while (skipOperator("**")) {
            left = new Ast.Binary("**", left, parseUnary(true));
        }
        return left;
    }

    private Expr parseUnary(boolean withFilter) {
        Expr node;
        if (skipOperator("-")) {
            node = new Ast.Unary('-', parseUnary(false));
        } else if (skipOperator("+")) {
            node = new Ast.Unary('+', parseUnary(false));
        } else {
            node = parsePrimary();
        }
        node = parsePostfix(node);
        return withFilter ? parseFilterExpr(node) : node;
    }

    private Expr parsePrimary() {
        Token t = current();
        switch (t.kind()) {
            case NAME -> {
                next();
                return switch (t.text()) {
                    case "true", "True" -> new Ast.Const(true);
                    case "false", "False" -> new Ast.Const(false);
                    case "none", "None" -> new Ast.Const(null);
                    default -> {
                        if (!macroNames.isEmpty()) {
                            macroNames.peek().add(t.text());
                        }
                        yield new Ast.Name(t.text());
                    }
                };
            }
            case STRING -> {
                StringBuilder s = new StringBuilder();
                while (current().is(Kind.STRING)) {
                    s.append((String) next().value());
                }
                return new Ast.Const(s.toString());
            }
            case INTEGER, FLOAT -> {
                next();
                return new Ast.Const(t.value());
            }
            case OPERATOR -> {
                switch (t.text()) {
                    case "(" -> {
                        next();
                        Expr inner = parseTuple(true, null, true);
                        expectOperator(")");
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
        throw fail("unexpected " + Py.repr(t.describe()));
    }

    private Expr parseList() {
        expectOperator("[");
        List<Expr> items = new ArrayList<>();
        while (!current().isOperator("]")) {
            if (!items.isEmpty()) {
                expectOperator(",");
            }
            if (current().isOperator("]")) {
                break;
            }
            items.add(parseExpression(true));
        }
        expectOperator("]");
        return new Ast.ListExpr(items);
    }

    private Expr parseDict() {
        expectOperator("{");
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!current().isOperator("}")) {
            if (!keys.isEmpty()) {
                expectOperator(",");
            }
            if (current().isOperator("}")) {
                break;
            }
            keys.add(parseExpression(true));
            expectOperator(":");
            values.add(parseExpression(true));
        }
        expectOperator("}");
        return new Ast.DictExpr(keys, values);
    }

    private Expr parsePostfix(Expr node) {
        while (true) {
            Token t = current();
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
            Token t = current();
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
        Token t = next();
        if (t.isOperator(".")) {
            Token attr = next();
            if (attr.is(Kind.NAME)) {
                return new Ast.GetAttr(node, attr.text());
            }
            if (attr.is(Kind.INTEGER)) {
                return new Ast.GetItem(node, new Ast.Const(attr.value()));
            }
            throw failAt("expected name or number", attr);
        }
        List<Expr> args = new ArrayList<>();
        while (!current().isOperator("]")) {
            if (!args.isEmpty()) {
                expectOperator(",");
            }
            args.add(parseSubscribed());
        }
        expectOperator("]");
        return new Ast.GetItem(node, args.size() == 1 ? args.getFirst() : new Ast.TupleExpr(args));
    }

    private Expr parseSubscribed() {
        Expr start = null;
        if (current().isOperator(":")) {
            next();
        } else {
            Expr node = parseExpression(true);
            if (!current().isOperator(":")) {
                return node;
            }
            next();
            start = node;
        }
        Expr stop = null;
        if (!current().isOperator(":") && !current().isOperator("]") && !current().isOperator(",")) {
            stop = parseExpression(true);
        }
        Expr step = null;
        if (skipOperator(":") && !current().isOperator("]") && !current().isOperator(",")) {
            step = parseExpression(true);
        }
        return new Ast.Slice(start, stop, step);
    }

    private Arguments parseCallArguments() {
        Token open = current();
        expectOperator("(");
        List<Expr> positional = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        Expr star = null;
        Expr doubleStar = null;
        boolean requireComma = false;
        while (!current().isOperator(")")) {
            if (requireComma) {
                expectOperator(",");
                if (current().isOperator(")")) {
                    break;
                }
            }
            if (skipOperator("*")) {
                ensure(star == null && doubleStar == null, open);
                star = parseExpression(true);
            } else if (skipOperator("**")) {
                ensure(doubleStar == null, open);
                doubleStar = parseExpression(true);
            } else if (current().is(Kind.NAME) && look().isOperator("=")) {
                ensure(doubleStar == null, open);
                names.add(next().text());
                next();
                values.add(parseExpression(true));
            } else {
                ensure(star == null && doubleStar == null && names.isEmpty(), open);
                positional.add(parseExpression(true));
            }
            requireComma = true;
        }
        expectOperator(")");
        return new Arguments(positional, names, values, star, doubleStar);
    }

    private static void ensure(boolean ok, Token at) {
        if (!ok) {
            throw failAt("invalid syntax for function call expression", at);
        }
    }

    private Ast.Filter parseFilterChain(Expr node) {
        return parseFilterChain(node, false);
    }

    /** One or more {@code |name(args)}; with startInline the first filter has no leading pipe. */
    private Ast.Filter parseFilterChain(Expr node, boolean startInline) {
        Ast.Filter result = null;
        while (current().isOperator("|") || startInline) {
            if (!startInline) {
                next();
            }
            startInline = false;
            Token nameToken = expectName();
            String name = dottedName(nameToken.text());
            if (!soft && !Filters.exists(name)) {
                throw failAt("no filter named '" + name + "'", nameToken);
            }
            Arguments args = current().isOperator("(") ? parseCallArguments() : Arguments.NONE;
            result = new Ast.Filter(node, name, args, nameToken.line());
            node = result;
        }
        return result;
    }

    private String dottedName(String first) {
        StringBuilder name = new StringBuilder(first);
        while (current().isOperator(".")) {
            next();
            name.append('.').append(expectName().text());
        }
        return name.toString();
    }

    private Expr parseTest(Expr node) {
        next();
        boolean negated = skipName("not");
        Token nameToken = expectName();
        String name = dottedName(nameToken.text());
        if (!soft && !Predicates.exists(name)) {
            throw failAt("no test named '" + name + "'", nameToken);
        }
        Arguments args;
        Token t = current();
        if (t.isOperator("(")) {
            args = parseCallArguments();
        } else if ((t.is(Kind.NAME) || t.is(Kind.STRING) || t.is(Kind.INTEGER) || t.is(Kind.FLOAT)
                || t.isOperator("[") || t.isOperator("{")) && !t.isName("else") && !t.isName("or")
                && !t.isName("and")) {
            if (t.isName("is")) {
                throw fail("you cannot chain multiple tests with is");
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
