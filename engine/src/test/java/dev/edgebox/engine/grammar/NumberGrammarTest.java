package dev.edgebox.engine.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NumberGrammarTest {

    static Grammar grammar(Expr e) {
        return Grammar.of(Map.of("root", e), "root");
    }

    @Test
    void integerRangesAcceptExactlyTheirMembers() {
        Random r = new Random(3);
        for (int round = 0; round < 150; round++) {
            BigInteger lo = r.nextInt(5) == 0 ? null : BigInteger.valueOf(r.nextInt(2400) - 1200);
            BigInteger hi = r.nextInt(5) == 0 ? null : BigInteger.valueOf(r.nextInt(2400) - 1200);
            if (lo != null && hi != null && lo.compareTo(hi) > 0) {
                BigInteger l = lo, h = hi;
                assertThrows(JsonSchemaException.class, () -> NumberGrammar.integer(l, h));
                continue;
            }
            Grammar g = grammar(NumberGrammar.integer(lo, hi));
            for (int n = -1500; n <= 1500; n += 1 + r.nextInt(3)) {
                BigInteger v = BigInteger.valueOf(n);
                boolean in = (lo == null || v.compareTo(lo) >= 0) && (hi == null || v.compareTo(hi) <= 0);
                assertEquals(in, g.matches(Integer.toString(n)), n + " in [" + lo + ", " + hi + "]");
            }
            assertFalse(g.matches("-0"));
            assertFalse(g.matches("007"));
            assertFalse(g.matches(""));
        }
    }

    @Test
    void bigAndOpenIntegerBounds() {
        Grammar g = grammar(NumberGrammar.integer(new BigInteger("99999999999999999999"), null));
        assertTrue(g.matches("99999999999999999999"));
        assertTrue(g.matches("100000000000000000000"));
        assertFalse(g.matches("99999999999999999998"));
        Grammar open = grammar(NumberGrammar.integer(null, null));
        assertTrue(open.matches("-123456789012345678"));
        assertFalse(open.matches("1234567890123456789012345"), "open bounds stop at a digit cap");
    }

    @Test
    void decimalRangesAcceptExactlyTheirMembers() {
        Random r = new Random(4);
        int checked = 0;
        for (int round = 0; round < 300; round++) {
            BigDecimal lo = r.nextInt(5) == 0 ? null : randomDecimal(r);
            BigDecimal hi = r.nextInt(5) == 0 ? null : randomDecimal(r);
            boolean loEx = r.nextBoolean(), hiEx = r.nextBoolean();
            if (lo != null && hi != null) {
                int c = lo.compareTo(hi);
                if (c > 0 || c == 0 && (loEx || hiEx)) {
                    BigDecimal l = lo, h = hi;
                    assertThrows(JsonSchemaException.class, () -> NumberGrammar.decimal(l, loEx, h, hiEx));
                    continue;
                }
            }
            Grammar g = grammar(NumberGrammar.decimal(lo, loEx, hi, hiEx));
            for (int k = 0; k < 400; k++) {
                BigDecimal v = k % 4 == 0 && lo != null ? lo.add(BigDecimal.valueOf(r.nextInt(3) - 1, 3)) : randomDecimal(r);
                String text = v.toPlainString();
                if (r.nextInt(4) == 0 && !text.contains(".")) text += ".0";
                if (r.nextInt(4) == 0 && text.contains(".")) text += "00";
                boolean in = (lo == null || (loEx ? v.compareTo(lo) > 0 : v.compareTo(lo) >= 0))
                        && (hi == null || (hiEx ? v.compareTo(hi) < 0 : v.compareTo(hi) <= 0));
                boolean negativeZero = text.startsWith("-") && v.signum() == 0;
                String t = text;
                assertEquals(in && !negativeZero, g.matches(text),
                        () -> t + " in " + (loEx ? "(" : "[") + lo + ", " + hi + (hiEx ? ")" : "]"));
                checked++;
            }
        }
        assertTrue(checked > 50_000);
    }

    static BigDecimal randomDecimal(Random r) {
        int scale = r.nextInt(4);
        return BigDecimal.valueOf(r.nextInt(6000) - 3000, scale);
    }

    @Test
    void tinyExclusiveRangeStillHasMembers() {
        Grammar g = grammar(NumberGrammar.decimal(BigDecimal.ZERO, true, new BigDecimal("0.0000000000000000001"), true));
        assertTrue(g.matches("0.00000000000000000005"));
        assertFalse(g.matches("0"));
        assertFalse(g.matches("0.0000000000000000001"));
    }
}
