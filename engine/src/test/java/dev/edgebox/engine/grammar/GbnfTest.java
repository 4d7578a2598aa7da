package dev.edgebox.engine.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.EngineException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GbnfTest {

    static void accepts(String gbnf, String... texts) {
        Grammar g = Grammar.parse(gbnf);
        for (String t : texts) assertTrue(g.matches(t), () -> "should match " + EngineException.quote(t) + " in\n" + gbnf);
    }

    static void rejects(String gbnf, String... texts) {
        Grammar g = Grammar.parse(gbnf);
        for (String t : texts) assertFalse(g.matches(t), () -> "should not match " + EngineException.quote(t) + " in\n" + gbnf);
    }

    @Test
    void literalsSequencesAndAlternatives() {
        String g = "root ::= \"ab\" (\"c\" | \"de\") tail\ntail ::= \"!\" | \"\"";
        accepts(g, "abc", "abde", "abc!", "abde!");
        rejects(g, "", "ab", "abcd", "abc!!", "abd");
    }

    @Test
    void characterClasses() {
        accepts("root ::= [a-cx] [^a-z] [\\]\\-] .", "a1]é", "xZ-\n", "c ]字");
        rejects("root ::= [a-cx] [^a-z] [\\]\\-] .", "d1]x", "aa]x", "a1[x", "a1]");
        // Negated classes include characters of every UTF-8 length, but never surrogates.
        accepts("root ::= [^a]+", "é字😀b");
        rejects("root ::= [^a]+", "bab");
    }

    @Test
    void escapesInLiteralsAndClasses() {
        accepts("root ::= \"\\n\\t\\\\\\\"\\x41\\u00e9\\U0001F600\"", "\n\t\\\"Aé😀");
        accepts("root ::= [\\x00-\\x1F]", "\u0001", "\u001F");
        rejects("root ::= [\\x00-\\x1F]", " ");
    }

    @Test
    void repetitions() {
        String g = "root ::= \"a\"{2,4} \"b\"{3} \"c\"{2,} \"d\"{,2} \"e\"* \"f\"+ \"g\"?";
        accepts(g, "aabbbccf", "aaaabbbcccccddeeeffg", "aaabbbccdff");
        rejects(g, "abbbccf", "aaaaabbbccf", "aabbccf", "aabbbcf", "aabbbccdddf", "aabbbcc", "aabbbccfgg");
    }

    @Test
    void multiLineRulesAndComments() {
        String g = """
                # a tiny JSON-like grammar
                root ::= object
                object ::=
                  "{" ws (
                    pair
                    ("," ws pair)*
                  )? "}"
                pair ::= key ":" ws value  # trailing comment
                key ::= "\\"" [a-z]+ "\\""
                value ::= [0-9]+ | object
                ws ::= [ \\t\\n]{0,3}
                """;
        accepts(g, "{}", "{ \"a\":1}", "{\"a\":{\"b\": 22},\n \"c\":3}");
        rejects(g, "{\"a\":}", "{\"a\":1,}", "{    \"a\":1}", "{\"A\":1}");
    }

    @Test
    void utf8IsMatchedBytewise() {
        GrammarMatcher m = new GrammarMatcher(Grammar.parse("root ::= [é-ë] \"!\""));
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        assertTrue(m.advance(new byte[] {e[0]}));
        assertFalse(m.canEnd());
        assertFalse(m.advance(new byte[] {(byte) 0xC0}), "an invalid continuation byte is refused");
        assertTrue(m.advance(new byte[] {e[1]}));
        assertTrue(m.advance("!"));
        assertTrue(m.isComplete());
        assertFalse(m.advance("!"));
    }

    @Test
    void completeVersusCanEnd() {
        GrammarMatcher m = new GrammarMatcher(Grammar.parse("root ::= [0-9]+ | \"x\""));
        assertFalse(m.canEnd());
        assertTrue(m.advance("12"));
        assertTrue(m.canEnd());
        assertFalse(m.isComplete(), "more digits may follow");
        m.reset();
        assertTrue(m.advance("x"));
        assertTrue(m.isComplete());
    }

    @Test
    void nullableTailCyclesTerminate() {
        accepts("root ::= (\"a\"?)* \"b\"", "b", "aab");
        accepts("root ::= x\nx ::= (y)*\ny ::= \"q\"* | \"r\"", "", "qqrq");
        accepts("root ::= (\"\")*", "");
    }

    @Test
    void rightRecursionNests() {
        String g = "root ::= \"(\" root \")\" | \"\"";
        accepts(g, "", "()", "((()))");
        rejects(g, "(()", "())");
    }

    @Test
    void leftRecursionIsRejectedWithItsRule() {
        var e = assertThrows(GrammarSyntaxException.class, () -> Grammar.parse("root ::= expr\nexpr ::= expr \"+\" num | num\nnum ::= [0-9]"));
        assertTrue(e.getMessage().contains("'expr' is left-recursive"), e.getMessage());
        assertEquals(2, e.line());
        // Hidden behind a nullable prefix, and indirect.
        assertThrows(GrammarException.class, () -> Grammar.parse("root ::= a\na ::= \"x\"? b \"y\"\nb ::= a | \"z\""));
    }

    @Test
    void syntaxErrorsNameLineAndColumn() {
        record Case(String text, String message, int line, int column) {}
        for (Case c : List.of(
                new Case("root ::= foo", "undefined rule 'foo'", 1, 10),
                new Case("root ::= \"a\"\nx := \"b\"", "unexpected ':'", 2, 3),
                new Case("\n  ::= \"b\"", "expected a rule name", 2, 3),
                new Case("root ::= \"abc", "unterminated string literal", 1, 10),
                new Case("root ::= \"\\q\"", "unknown escape", 1, 11),
                new Case("root ::= ( \"a\"", "missing ')'", 1, 10),
                new Case("root ::= \"a\" )", "unbalanced ')'", 1, 14),
                new Case("root ::= [z-a]", "out of order", 1, 12),
                new Case("root ::= \"a\"{3,1}", "max < min", 1, 13),
                new Case("root ::= \"a\"\nroot ::= \"b\"", "defined twice", 2, 1),
                new Case("x ::= \"a\"", "no 'root' rule", 1, 1),
                new Case("root ::= \"\\uD800\"", "not a Unicode character", 1, 11),
                new Case("root ::= [^\\x00-\\U0010FFFF]", "matches no character", 1, 10))) {
            var e = assertThrows(GrammarSyntaxException.class, () -> Grammar.parse(c.text()), c.text());
            assertTrue(e.getMessage().contains(c.message()), () -> c.text() + " -> " + e.getMessage());
            assertEquals(c.line(), e.line(), () -> c.text() + " -> " + e.getMessage());
            assertEquals(c.column(), e.column(), () -> c.text() + " -> " + e.getMessage());
            assertTrue(e instanceof EngineException);
        }
    }

    @Test
    void printedGrammarParsesToTheSameLanguage() {
        String g = """
                root ::= item ("," item){0,3} tail?
                item ::= [a-c]+ | "\\"" [^"\\\\\\n]* "\\"" | "é"
                tail ::= ( "!" | "?" )* "."
                """;
        Grammar a = Grammar.parse(g);
        Grammar b = Grammar.parse(a.toGbnf());
        Random r = new Random(7);
        String alphabet = "abc\",!?.é\\x\n";
        int matched = 0;
        for (int i = 0; i < 20000; i++) {
            StringBuilder s = new StringBuilder();
            int len = r.nextInt(9);
            for (int k = 0; k < len; k++) s.append(alphabet.charAt(r.nextInt(alphabet.length())));
            String t = s.toString();
            assertEquals(a.matches(t), b.matches(t), () -> EngineException.quote(t) + "\n" + a.toGbnf());
            if (a.matches(t)) matched++;
        }
        assertTrue(matched > 100, "the sample should exercise matches too: " + matched);
    }
}
