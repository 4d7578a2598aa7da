package dev.edgebox.engine.template;

import dev.edgebox.engine.template.Token.Kind;
import java.util.List;

/** The parser's view of the tokens: one token of lookahead, and syntax errors at a token's position. */
final class TokenStream {
    private final List<Token> tokens;
    private int index;

    TokenStream(List<Token> tokens) {
        this.tokens = tokens;
    }

    Token current() {
        return tokens.get(index);
    }

    Token look() {
        return tokens.get(Math.min(index + 1, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(index);
        if (index < tokens.size() - 1) {
            index++;
        }
        return t;
    }

    TemplateException fail(String message) {
        return failAt(message, current());
    }

    static TemplateException failAt(String message, Token at) {
        return TemplateException.syntax(message, at.line(), at.column());
    }

    boolean skipName(String name) {
        if (current().isName(name)) {
            next();
            return true;
        }
        return false;
    }

    boolean skipOperator(String op) {
        if (current().isOperator(op)) {
            next();
            return true;
        }
        return false;
    }

    Token expectName() {
        if (!current().is(Kind.NAME)) {
            throw fail("expected a name, got " + Py.repr(current().describe()));
        }
        return next();
    }

    void expectName(String name) {
        if (!current().isName(name)) {
            throw fail("expected '" + name + "', got " + Py.repr(current().describe()));
        }
        next();
    }

    void expectOperator(String op) {
        if (!current().isOperator(op)) {
            throw fail("expected '" + op + "', got " + Py.repr(current().describe()));
        }
        next();
    }

    void expectBlockEnd() {
        if (!current().is(Kind.BLOCK_END)) {
            throw fail("expected end of statement block, got " + Py.repr(current().describe()));
        }
        next();
    }
}
