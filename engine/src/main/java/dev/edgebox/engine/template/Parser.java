package dev.edgebox.engine.template;

import dev.edgebox.engine.template.Ast.Expr;
import dev.edgebox.engine.template.Ast.Stmt;
import dev.edgebox.engine.template.Ast.Target;
import dev.edgebox.engine.template.Token.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Parses a template's statements (if, for, set, macro, call, filter, with, break, continue, print and
 * Hugging Face's generation) into {@link Ast}; expressions go to {@link ExpressionParser}.
 */
final class Parser {
    private static final Set<String> UNSUPPORTED_TAGS = Set.of("block", "extends", "include", "import", "from",
            "autoescape");

    private final TokenStream tokens;
    private final ExpressionParser expressions;
    /** Innermost first: the end tags the open blocks are waiting for, for error messages. */
    private final Deque<String[]> endTagStack = new ArrayDeque<>();
    private int loopDepth;

    private Parser(List<Token> tokens) {
        this.tokens = new TokenStream(tokens);
        this.expressions = new ExpressionParser(this.tokens);
    }

    static List<Stmt> parse(String source) {
        Parser parser = new Parser(Lexer.tokenize(source));
        List<Stmt> body = parser.subparse(null);
        if (!parser.tokens.current().is(Kind.EOF)) {
            throw parser.tokens.fail("unexpected " + parser.tokens.current().describe());
        }
        return body;
    }

    private List<Stmt> subparse(String[] endTags) {
        List<Stmt> body = new ArrayList<>();
        while (!tokens.current().is(Kind.EOF)) {
            Token t = tokens.current();
            switch (t.kind()) {
                case DATA -> {
                    body.add(new Ast.Text(t.text(), t.line()));
                    tokens.next();
                }
                case VARIABLE_BEGIN -> {
                    tokens.next();
                    body.add(new Ast.Output(expressions.parseTuple(true, null, false), t.line()));
                    if (!tokens.current().is(Kind.VARIABLE_END)) {
                        throw tokens.fail("expected end of print statement, got " + Py.repr(tokens.current().describe()));
                    }
                    tokens.next();
                }
                case BLOCK_BEGIN -> {
                    tokens.next();
                    if (endTags != null && tokens.current().is(Kind.NAME) && List.of(endTags).contains(tokens.current().text())) {
                        return body;
                    }
                    body.add(parseStatement());
                    tokens.expectBlockEnd();
                }
                default -> throw tokens.fail("unexpected " + Py.repr(t.describe()));
            }
        }
        return body;
    }

    /** The body of a block up to one of endTags; leaves the end tag's name as the current token. */
    private List<Stmt> parseBody(String block, String... endTags) {
        tokens.skipOperator(":");
        tokens.expectBlockEnd();
        endTagStack.push(endTags);
        List<Stmt> body = subparse(endTags);
        endTagStack.pop();
        if (tokens.current().is(Kind.EOF)) {
            List<String> expected = new ArrayList<>();
            for (String tag : endTags) {
                expected.add("'" + tag + "'");
            }
            throw tokens.fail("unexpected end of template; '" + block + "' needs " + String.join(" or ", expected));
        }
        return body;
    }

    private List<Stmt> parseBodyDropEnd(String block, String endTag) {
        List<Stmt> body = parseBody(block, endTag);
        tokens.next();
        return body;
    }

    private Stmt parseStatement() {
        Token t = tokens.current();
        if (!t.is(Kind.NAME)) {
            throw tokens.fail("tag name expected");
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
                tokens.next();
                boolean wasSoft = expressions.soft(false);
                Stmt s = new Ast.Scoped(parseBodyDropEnd("generation", "endgeneration"), t.line());
                expressions.soft(wasSoft);
                yield s;
            }
            case "break", "continue" -> {
                if (loopDepth == 0) {
                    throw tokens.fail("'" + t.text() + "' outside of a loop");
                }
                tokens.next();
                yield t.text().equals("break") ? new Ast.Break(t.line()) : new Ast.Continue(t.line());
            }
            default -> {
                if (UNSUPPORTED_TAGS.contains(t.text())) {
                    throw tokens.fail("the '" + t.text() + "' tag is not supported in chat templates");
                }
                String waiting = endTagStack.isEmpty() ? ""
                        : " (the innermost open block needs '" + endTagStack.peek()[0] + "')";
                throw tokens.fail("unknown tag '" + t.text() + "'" + waiting);
            }
        };
    }

    private Stmt parseIf() {
        int line = tokens.next().line();
        boolean wasSoft = expressions.soft(true);
        List<Ast.Branch> branches = new ArrayList<>();
        List<Stmt> otherwise = List.of();
        while (true) {
            Expr test = expressions.parseTuple(false, null, false);
            List<Stmt> body = parseBody("if", "elif", "else", "endif");
            branches.add(new Ast.Branch(test, body));
            String tag = tokens.next().text();
            if (tag.equals("elif")) {
                continue;
            }
            if (tag.equals("else")) {
                otherwise = parseBodyDropEnd("if", "endif");
            }
            break;
        }
        expressions.soft(wasSoft);
        return new Ast.If(branches, otherwise, line);
    }

    private Stmt parseFor() {
        int line = tokens.next().line();
        Target target = parseAssignTarget(true, false, "in");
        tokens.expectName("in");
        Expr iterable = expressions.parseTuple(false, "recursive", false);
        Expr filter = null;
        if (tokens.skipName("if")) {
            filter = expressions.parseExpression(true);
        }
        boolean recursive = tokens.skipName("recursive");
        boolean wasSoft = expressions.soft(false);
        loopDepth++;
        List<Stmt> body = parseBody("for", "endfor", "else");
        loopDepth--;
        List<Stmt> otherwise = List.of();
        if (tokens.next().text().equals("else")) {
            otherwise = parseBodyDropEnd("for", "endfor");
        }
        expressions.soft(wasSoft);
        return new Ast.For(target, iterable, filter, body, otherwise, recursive, line);
    }

    private Stmt parseSet() {
        int line = tokens.next().line();
        Target target = parseAssignTarget(true, true, null);
        if (tokens.skipOperator("=")) {
            return new Ast.Assign(target, expressions.parseTuple(true, null, false), line);
        }
        Ast.Filter filter = tokens.current().isOperator("|") ? expressions.parseFilterChain(null) : null;
        boolean wasSoft = expressions.soft(false);
        List<Stmt> body = parseBodyDropEnd("set", "endset");
        expressions.soft(wasSoft);
        return new Ast.AssignBlock(target, filter, body, line);
    }

    private Stmt parseMacro() {
        int line = tokens.next().line();
        String name = tokens.expectName().text();
        expressions.startNameTracking();
        int outerLoops = loopDepth;
        loopDepth = 0;
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        parseSignature(params, defaults);
        boolean wasSoft = expressions.soft(false);
        List<Stmt> body = parseBodyDropEnd("macro", "endmacro");
        expressions.soft(wasSoft);
        loopDepth = outerLoops;
        Set<String> used = expressions.stopNameTracking();
        return new Ast.MacroDef(new Ast.Signature(name, params, defaults, used.contains("varargs"),
                used.contains("kwargs")), body, line);
    }

    private void parseSignature(List<String> params, List<Expr> defaults) {
        tokens.expectOperator("(");
        while (!tokens.current().isOperator(")")) {
            if (!params.isEmpty()) {
                tokens.expectOperator(",");
            }
            params.add(tokens.expectName().text());
            if (tokens.skipOperator("=")) {
                defaults.add(expressions.parseExpression(true));
            } else if (!defaults.isEmpty()) {
                throw tokens.fail("non-default argument follows default argument");
            }
        }
        tokens.expectOperator(")");
    }

    private Stmt parseCallBlock() {
        int line = tokens.next().line();
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        if (tokens.current().isOperator("(")) {
            parseSignature(params, defaults);
        }
        Token at = tokens.current();
        Expr call = expressions.parseExpression(true);
        if (!(call instanceof Ast.Call c)) {
            throw TokenStream.failAt("expected a call after 'call'", at);
        }
        expressions.startNameTracking();
        int outerLoops = loopDepth;
        loopDepth = 0;
        boolean wasSoft = expressions.soft(false);
        List<Stmt> body = parseBodyDropEnd("call", "endcall");
        expressions.soft(wasSoft);
        loopDepth = outerLoops;
        Set<String> used = expressions.stopNameTracking();
        return new Ast.CallBlock(new Ast.Signature("caller", params, defaults, used.contains("varargs"),
                used.contains("kwargs")), c, body, line);
    }

    private Stmt parseFilterBlock() {
        int line = tokens.next().line();
        Ast.Filter filter = expressions.parseFilterChain(null, true);
        boolean wasSoft = expressions.soft(false);
        List<Stmt> body = parseBodyDropEnd("filter", "endfilter");
        expressions.soft(wasSoft);
        return new Ast.FilterBlock(filter, body, line);
    }

    private Stmt parseWith() {
        int line = tokens.next().line();
        List<Target> targets = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!tokens.current().is(Kind.BLOCK_END)) {
            if (!targets.isEmpty()) {
                tokens.expectOperator(",");
            }
            targets.add(parseAssignTarget(true, false, null));
            tokens.expectOperator("=");
            values.add(expressions.parseExpression(true));
        }
        boolean wasSoft = expressions.soft(false);
        List<Stmt> body = parseBodyDropEnd("with", "endwith");
        expressions.soft(wasSoft);
        return new Ast.With(targets, values, body, line);
    }

    private Stmt parsePrint() {
        int line = tokens.next().line();
        List<Expr> items = new ArrayList<>();
        while (!tokens.current().is(Kind.BLOCK_END)) {
            if (!items.isEmpty()) {
                tokens.expectOperator(",");
            }
            items.add(expressions.parseExpression(true));
        }
        return new Ast.Output(items.size() == 1 ? items.getFirst() : new Ast.TupleExpr(items), line);
    }

    private Target parseAssignTarget(boolean withTuple, boolean withNamespace, String extraEnd) {
        Token at = tokens.current();
        List<Target> items = new ArrayList<>();
        boolean tuple = false;
        while (true) {
            if (!items.isEmpty()) {
                tokens.expectOperator(",");
            }
            if (expressions.isTupleEnd(extraEnd)) {
                break;
            }
            items.add(parseSingleTarget(withNamespace));
            if (withTuple && tokens.current().isOperator(",")) {
                tuple = true;
            } else {
                break;
            }
        }
        if (!tuple) {
            if (items.isEmpty()) {
                throw TokenStream.failAt("expected an assignment target", at);
            }
            return items.getFirst();
        }
        return new Ast.TupleTarget(items);
    }

    private Target parseSingleTarget(boolean withNamespace) {
        Token t = tokens.current();
        if (t.isOperator("(")) {
            tokens.next();
            Target inner = parseAssignTarget(true, false, null);
            tokens.expectOperator(")");
            return inner;
        }
        if (!t.is(Kind.NAME) || List.of("true", "false", "True", "False", "none", "None").contains(t.text())) {
            throw tokens.fail("can't assign to " + Py.repr(t.describe()));
        }
        tokens.next();
        if (withNamespace && tokens.current().isOperator(".")) {
            tokens.next();
            return new Ast.NamespaceTarget(t.text(), tokens.expectName().text());
        }
        return new Ast.NameTarget(t.text());
    }
}
