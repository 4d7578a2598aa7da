package dev.edgebox.engine.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.EngineException;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RegexAndChoicesTest {
    static final List<String> REGEXES = List.of(
            "[a-c]+x?", "(ab|a)(bc|c)*", "\\d{3}-\\d{2,4}", "[^abc]{1,3}z", "(?:x|yy){2,}", "a.c", "\\w+@\\w+\\.(com|org)",
            "(red|green|blue)", "[A-Z][a-z]*( [A-Z][a-z]*)?", "\\s*\\S+\\s*", "a{0,2}b{2}c{1,}", "(?<year>\\d{4})-(?<m>0[1-9]|1[0-2])",
            "[\\-+]?[0-9]+(\\.[0-9]+)?", "x*?y+?", "[\\t\\n ]|\\x41|\\u00e9", "^abc$", "[.][*]\\?", "(a|b|)c", "[^\\s]+", "[^\\S]");

    /** On strings over an alphabet where the dialects agree, the grammar accepts exactly what java.util.regex fully matches. */
    @Test
    void grammarAgreesWithJavaRegex() {
        Random r = new Random(9);
        String alphabet = "abcxyz AZ09-.+@\tcomé*?";
        for (String regex : REGEXES) {
            Grammar g = RegexCompiler.compile(regex);
            Pattern p = Pattern.compile(regex);
            int matched = 0;
            for (int i = 0; i < 4000; i++) {
                StringBuilder b = new StringBuilder();
                int len = r.nextInt(10);
                for (int k = 0; k < len; k++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
                String s = b.toString();
                boolean expected = p.matcher(s).matches();
                assertEquals(expected, g.matches(s), () -> regex + " on " + EngineException.quote(s));
                if (expected) matched++;
            }
            // Random strings rarely match the stricter patterns: check their sentences instead.
            SentenceSampler sampler = new SentenceSampler(g);
            for (int i = 0; i < 300; i++) {
                String s = sampler.sample(r, 12);
                assertNotNull(s, regex);
                assertTrue(p.matcher(s).matches(), () -> regex + " generated " + EngineException.quote(s));
            }
            assertTrue(matched >= 0);
        }
    }

    @Test
    void dialectDifferencesResolveToTheCommonPart() {
        Grammar space = RegexCompiler.compile("\\s");
        assertTrue(space.matches(" "));
        assertFalse(space.matches("\u00A0"), "ECMAScript \\s includes NBSP, Java's does not: generate neither");
        Grammar nonSpace = RegexCompiler.compile("\\S");
        assertFalse(nonSpace.matches("\u00A0"), "Java \\S includes NBSP, ECMAScript's does not");
        assertTrue(nonSpace.matches("x"));
        Grammar dot = RegexCompiler.compile(".");
        assertFalse(dot.matches("\n"));
        assertFalse(dot.matches("\u2028"));
        assertFalse(dot.matches("😀"), "beyond U+FFFF ECMAScript without u sees two characters");
    }

    @Test
    void unsupportedConstructsAreErrorsWithAColumn() {
        record Case(String regex, String message, int column) {}
        for (Case c : List.of(
                new Case("(a)\\1", "backreferences", 4),
                new Case("a(?=b)", "lookaround", 2),
                new Case("(?i)abc", "flags", 1),
                new Case("\\bword", "word boundaries", 1),
                new Case("\\p{L}", "Unicode property", 1),
                new Case("a++", "possessive", 3),
                new Case("ab$c", "'$'", 3),
                new Case("a^b", "'^'", 2),
                new Case("a{2", "unterminated quantifier", 2),
                new Case("a{,3}", "expected a number", 2),
                new Case("*a", "nothing to repeat", 1),
                new Case("[]", "empty character class", 1),
                new Case("[a[b]]", "'['", 3),
                new Case("[\\d-z]", "single characters", 4),
                new Case("(ab", "missing ')'", 1),
                new Case("ab)", "unbalanced ')'", 3),
                new Case("\\v", "not supported", 1),
                new Case("😀", "beyond U+FFFF", 1))) {
            var e = assertThrows(GrammarSyntaxException.class, () -> RegexCompiler.compile(c.regex()), c.regex());
            assertTrue(e.getMessage().contains(c.message()), () -> c.regex() + " -> " + e.getMessage());
            assertEquals(c.column(), e.column(), () -> c.regex() + " -> " + e.getMessage());
        }
    }

    @Test
    void choicesAreExactAndCheckedAfterwards() {
        StructuredOutput out = StructuredOutput.choices(List.of("positive", "negative", "neutral", "正面"));
        Grammar g = out.grammar();
        for (String s : List.of("positive", "negative", "neutral", "正面")) {
            assertTrue(g.matches(s));
            assertNull(out.check(s));
        }
        for (String s : List.of("", "pos", "positive ", "Positive", "正")) {
            assertFalse(g.matches(s));
            assertNotNull(out.check(s));
        }
        GrammarMatcher m = new GrammarMatcher(StructuredOutput.choices(List.of("yes", "yes please")).grammar());
        assertTrue(m.advance("yes"));
        assertTrue(m.canEnd());
        assertFalse(m.isComplete(), "'yes' may go on to 'yes please'");
        assertThrows(GrammarException.class, () -> StructuredOutput.choices(List.of()));
    }

    @Test
    void structuredOutputChecksEachKind() {
        assertNull(StructuredOutput.regex("\\d+").check("123"));
        assertNotNull(StructuredOutput.regex("\\d+").check("12a"));
        assertNull(StructuredOutput.json(true).check("{\"a\": [1, 2]}"));
        assertNotNull(StructuredOutput.json(true).check("[1]"));
        assertNull(StructuredOutput.json(false).check("[1]"));
        assertNotNull(StructuredOutput.json(false).check("{\"a\":}"));
        assertNull(StructuredOutput.grammar("root ::= \"a\"+").check("aaa"));
        assertNotNull(StructuredOutput.jsonSchema("{\"type\":\"integer\"}").check("1.5"));
        assertTrue(StructuredOutput.json(false).grammar().matches("{\"a\":[true,null,-1.5e3,\"x\"]}"));
    }
}
