package dev.edgebox.engine.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.sampling.TokenHistory;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GrammarConstraintTest {

    static boolean bit(long[] mask, int id) {
        return (mask[id >>> 6] >>> id & 1L) != 0;
    }

    /** The trie walk must allow exactly the tokens a token-by-token check allows, at every step of a random walk. */
    @Test
    void trieMaskEqualsBruteForceOnQwenVocabulary() {
        Tokenizer tok = TestVocabs.qwen2();
        String[] grammars = {
                "root ::= \"{\" ws \"\\\"name\\\"\" ws \":\" ws str ws \"}\"\nstr ::= \"\\\"\" [^\"\\\\]{0,12} \"\\\"\"\nws ::= [ \\n]{0,3}",
                "root ::= [0-9]{1,6} (\".\" [0-9]{1,3})?",
                "root ::= ( \"yes\" | \"no\" | \"maybe later\" | \"是的\" )",
                "root ::= [^a-m]{2,9}",
                // Strings: unbounded, bounded with any characters, and a class that cuts through CJK.
                "root ::= \"\\\"\" ( [^\"\\\\\\x00-\\x1F] | \"\\\\\" [\"\\\\nt] )* \"\\\"\" [0-9]",
                "root ::= \"\\\"\" [^\"\\\\\\x00-\\x1F]{0,6} \"\\\" ok\"",
                "root ::= [一-龥a-z]{1,4} \"!\"",
        };
        Random r = new Random(11);
        for (String text : grammars) {
            Grammar g = Grammar.parse(text);
            for (int walk = 0; walk < 3; walk++) {
                GrammarConstraint c = new GrammarConstraint(g, tok);
                GrammarMatcher reference = new GrammarMatcher(g);
                for (int step = 0; step < 12 && !c.isComplete(); step++) {
                    long[] mask = c.mask();
                    List<Integer> allowed = new ArrayList<>();
                    for (int id = 0; id < tok.vocabSize(); id++) {
                        boolean expected;
                        if (tok.isEndOfGeneration(id)) expected = reference.canEnd();
                        else if (tok.isControl(id)) expected = false;
                        else {
                            byte[] b = tok.tokenBytes(id, false);
                            expected = b.length > 0 && reference.allows(b);
                        }
                        final int token = id;
                        assertEquals(expected, bit(mask, id), () -> "token " + token + " " + tok.tokenText(token) + " in " + text);
                        assertEquals(expected, c.allows(id));
                        if (expected) allowed.add(id);
                    }
                    int pick = allowed.get(r.nextInt(allowed.size()));
                    c.accept(pick);
                    if (!tok.isEndOfGeneration(pick)) assertTrue(reference.advance(tok.tokenBytes(pick, false)));
                    else break;
                }
            }
        }
    }

    @Test
    void endOfGenerationOnlyWhereTheGrammarMayEndAndControlTokensNever() {
        Tokenizer tok = TestVocabs.qwen2();
        GrammarConstraint c = new GrammarConstraint(Grammar.parse("root ::= \"a\"+"), tok);
        int eos = tok.eosId();
        int imStart = tok.tokenId("<|im_start|>").orElseThrow();
        float[] logits = new float[tok.vocabSize() + 100]; // padded like Qwen2.5's output layer
        c.process(logits, new TokenHistory());
        assertEquals(Float.NEGATIVE_INFINITY, logits[eos]);
        assertEquals(Float.NEGATIVE_INFINITY, logits[imStart]);
        assertEquals(Float.NEGATIVE_INFINITY, logits[tok.vocabSize() + 5]);
        int a = tok.encode("a", false, false)[0];
        assertEquals(0f, logits[a]);
        c.accept(a);
        logits = new float[tok.vocabSize()];
        c.process(logits, new TokenHistory());
        assertEquals(0f, logits[eos]);
        assertEquals(Float.NEGATIVE_INFINITY, logits[imStart]);
        assertFalse(c.isComplete());
        c.accept(eos);
        assertTrue(c.isComplete());
        assertThrows(RuntimeException.class, () -> c.accept(a));
    }

    @Test
    void completeWhenNothingMayFollow() {
        Tokenizer tok = TestVocabs.qwen2();
        GrammarConstraint c = new GrammarConstraint(Grammar.parse("root ::= \"yes\" | \"no\""), tok);
        assertFalse(c.isComplete());
        assertFalse(c.allows(tok.encode("maybe", false, false)[0]));
        c.accept(tok.encode("yes", false, false)[0]);
        assertTrue(c.isComplete());
        assertTrue(c.canEnd());
    }

    /** Past its memory bound the automaton forgets its tables; the masks must not change. */
    @Test
    void forgettingStatesChangesNoMask() {
        Tokenizer tok = TestVocabs.qwen2();
        Grammar g = JsonSchemaCompiler.compile("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"maxLength\":6},"
                + "\"b\":{\"type\":\"array\",\"items\":{\"type\":\"number\",\"minimum\":-5,\"maximum\":5}}},\"required\":[\"a\",\"b\"]}");
        Random r = new Random(3);
        for (int walk = 0; walk < 4; walk++) {
            GrammarConstraint small = new GrammarConstraint(new Automaton(g, 40), tok);
            GrammarConstraint normal = new GrammarConstraint(g, tok);
            for (int step = 0; step < 40 && !normal.isComplete(); step++) {
                long[] a = small.mask().clone(), b = normal.mask();
                assertTrue(java.util.Arrays.equals(a, b), "step " + step);
                List<Integer> allowed = new ArrayList<>();
                for (int id = 0; id < tok.vocabSize(); id++) if (bit(b, id)) allowed.add(id);
                int pick = allowed.get(r.nextInt(allowed.size()));
                assertEquals(normal.allows(pick), small.allows(pick));
                normal.accept(pick);
                small.accept(pick);
                assertEquals(normal.isComplete(), small.isComplete());
            }
        }
    }
}
