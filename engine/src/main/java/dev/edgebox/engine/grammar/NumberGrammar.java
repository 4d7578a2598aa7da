package dev.edgebox.engine.grammar;

import static dev.edgebox.engine.grammar.Expr.chars;
import static dev.edgebox.engine.grammar.Expr.lit;
import static dev.edgebox.engine.grammar.Expr.repeat;
import static dev.edgebox.engine.grammar.Expr.seq;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Numbers within bounds, as grammar rules over their decimal digits: exactly the JSON numbers
 * (without exponent) in the range. A value's integer part and fraction are compared with the
 * bounds digit by digit: the grammar follows a bound's digits while they are equal ("tight") and
 * allows any digits once it has gone strictly inside. Digits stay bounded:
 * {@link JsonGrammar#MAX_INT_DIGITS} integer digits where a side is open, and
 * {@link JsonGrammar#MAX_FRACTION_DIGITS} fraction digits (more when a bound needs them).
 */
final class NumberGrammar {
    private NumberGrammar() {}

    /** Integers in [lo, hi]; null for an open side. */
    static Expr integer(BigInteger lo, BigInteger hi) {
        if (lo != null && hi != null && lo.compareTo(hi) > 0) throw unsatisfiable("integer", lo, hi);
        List<Expr> options = new ArrayList<>();
        if (lo == null || lo.signum() < 0) {
            BigInteger from = hi == null || hi.signum() >= 0 ? BigInteger.ONE : hi.negate();
            options.add(seq(lit("-"), lo == null ? atLeast(from.toString(), digitCap(from)) : between(from.toString(), lo.negate().toString())));
        }
        if (hi == null || hi.signum() >= 0) {
            BigInteger from = lo == null || lo.signum() < 0 ? BigInteger.ZERO : lo;
            options.add(hi == null ? atLeast(from.toString(), digitCap(from)) : between(from.toString(), hi.toString()));
        }
        return Expr.alt(options);
    }

    /** Decimal numbers (integer part, optional fraction) with inclusive or exclusive bounds; null for an open side. */
    static Expr decimal(BigDecimal lo, boolean loExclusive, BigDecimal hi, boolean hiExclusive) {
        if (lo != null && hi != null) {
            int c = lo.compareTo(hi);
            if (c > 0 || c == 0 && (loExclusive || hiExclusive)) throw unsatisfiable("number", lo, hi);
        }
        List<Expr> options = new ArrayList<>();
        if (lo == null || lo.signum() < 0) {
            // -m with m > 0 (zero is written without a sign below).
            boolean hiOpen = hi == null || hi.signum() >= 0;
            Expr m = magnitude(hiOpen ? BigDecimal.ZERO : hi.negate(), hiOpen || hiExclusive,
                    lo == null ? null : lo.negate(), loExclusive);
            if (m != null) options.add(seq(lit("-"), m));
        }
        if (hi == null || hi.signum() > 0 || hi.signum() == 0 && !hiExclusive) {
            boolean loOpen = lo == null || lo.signum() < 0;
            Expr m = magnitude(loOpen ? BigDecimal.ZERO : lo, !loOpen && loExclusive, hi, hiExclusive);
            if (m != null) options.add(m);
        }
        if (options.isEmpty()) throw unsatisfiable("number", lo, hi);
        return Expr.alt(options);
    }

    /** Non-negative decimals m with lo &lt;(=) m &lt;(=) hi (hi null: no upper bound); null if there are none. */
    private static Expr magnitude(BigDecimal lo, boolean loEx, BigDecimal hi, boolean hiEx) {
        BigInteger li = intPart(lo);
        String lf = fractionDigits(lo);
        String hf = hi == null ? "" : fractionDigits(hi);
        int cap = Math.max(JsonGrammar.MAX_FRACTION_DIGITS, Math.max(lf.length(), hf.length()) + 1);
        List<Expr> options = new ArrayList<>();
        if (hi == null) {
            add(options, lit(li.toString()), new Fraction(lf, loEx, null, false, cap).expr());
            BigInteger next = li.add(BigInteger.ONE);
            options.add(seq(atLeast(next.toString(), digitCap(next)), anyFraction(cap)));
        } else {
            BigInteger hiInt = intPart(hi);
            if (li.equals(hiInt)) {
                add(options, lit(li.toString()), new Fraction(lf, loEx, hf, hiEx, cap).expr());
            } else {
                add(options, lit(li.toString()), new Fraction(lf, loEx, null, false, cap).expr());
                BigInteger from = li.add(BigInteger.ONE), to = hiInt.subtract(BigInteger.ONE);
                if (from.compareTo(to) <= 0) options.add(seq(between(from.toString(), to.toString()), anyFraction(cap)));
                add(options, lit(hiInt.toString()), new Fraction(null, false, hf, hiEx, cap).expr());
            }
        }
        return options.isEmpty() ? null : Expr.alt(options);
    }

    private static void add(List<Expr> options, Expr intPart, Expr fraction) {
        if (fraction != null) options.add(seq(intPart, fraction));
    }

    private static Expr anyFraction(int cap) {
        return Expr.optional(seq(lit("."), repeat(chars('0', '9'), 1, cap)));
    }

    private static BigInteger intPart(BigDecimal v) {
        return v.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
    }

    /** The digits after the point, without trailing zeros ("" for an integer). */
    private static String fractionDigits(BigDecimal v) {
        BigDecimal f = v.subtract(new BigDecimal(intPart(v)));
        if (f.signum() == 0) return "";
        String s = f.stripTrailingZeros().toPlainString();
        return s.substring(s.indexOf('.') + 1);
    }

    private static int digitCap(BigInteger from) {
        return Math.max(JsonGrammar.MAX_INT_DIGITS, from.toString().length() + 1);
    }

    private static GrammarException unsatisfiable(String what, Object lo, Object hi) {
        return new JsonSchemaException("no " + what + " lies within the bounds " + lo + " .. " + hi);
    }

    /**
     * The optional fraction ("" or "." digits) of a number whose integer part equals the bounds'
     * integer parts: 0.d compared with the lower digits a and upper digits c (null: no bound).
     */
    private record Fraction(String a, boolean aEx, String c, boolean cEx, int cap) {
        Expr expr() {
            List<Expr> options = new ArrayList<>();
            if (canEnd(0, a != null, c != null)) options.add(Expr.EMPTY);
            Expr digits = nonEmpty(0, a != null, c != null);
            if (digits != null) options.add(seq(lit("."), digits));
            return options.isEmpty() ? null : Expr.alt(options);
        }

        /** Digit strings from position pos on, possibly empty; null if none. */
        private Expr rest(int pos, boolean aTight, boolean cTight) {
            List<Expr> options = new ArrayList<>();
            if (canEnd(pos, aTight, cTight)) options.add(Expr.EMPTY);
            Expr more = nonEmpty(pos, aTight, cTight);
            if (more != null) options.add(more);
            return options.isEmpty() ? null : Expr.alt(options);
        }

        /** Whether the digits may stop at pos: the value is then the digits so far, padded with zeros. */
        private boolean canEnd(int pos, boolean aTight, boolean cTight) {
            // Bound digits carry no trailing zeros, so "the rest of the bound is zero" means "nothing is left of it".
            if (aTight && (pos < a.length() || aEx)) return false;
            return !(cTight && cEx && pos >= c.length());
        }

        private Expr nonEmpty(int pos, boolean aTight, boolean cTight) {
            if (pos >= cap) return null;
            int lo = aTight ? digit(a, pos) : 0;
            int hi = cTight ? digit(c, pos) : 9;
            if (lo > hi) return null;
            List<Expr> options = new ArrayList<>();
            if (aTight && cTight && lo == hi) {
                Expr r = rest(pos + 1, true, true);
                if (r != null) options.add(seq(lit(Integer.toString(lo)), r));
            } else {
                if (aTight) addDigit(options, lo, rest(pos + 1, true, false));
                int freeLo = aTight ? lo + 1 : lo, freeHi = cTight ? hi - 1 : hi;
                if (freeLo <= freeHi) options.add(seq(chars('0' + freeLo, '0' + freeHi), repeat(chars('0', '9'), 0, cap - pos - 1)));
                if (cTight) addDigit(options, hi, rest(pos + 1, false, true));
            }
            return options.isEmpty() ? null : Expr.alt(options);
        }

        private static void addDigit(List<Expr> options, int d, Expr rest) {
            if (rest != null) options.add(seq(lit(Integer.toString(d)), rest));
        }

        private static int digit(String s, int pos) {
            return pos < s.length() ? s.charAt(pos) - '0' : 0;
        }
    }

    // Non-negative integers as digit strings without leading zeros.

    /** n >= lo, with at most maxDigits digits. */
    static Expr atLeast(String lo, int maxDigits) {
        List<Expr> options = new ArrayList<>();
        options.add(sameLengthAtLeast(lo, 0));
        if (lo.length() < maxDigits) options.add(seq(chars('1', '9'), repeat(chars('0', '9'), lo.length(), maxDigits - 1)));
        return Expr.alt(options);
    }

    /** lo <= n <= hi. */
    static Expr between(String lo, String hi) {
        if (lo.length() == hi.length()) return sameLengthBetween(lo, hi, 0);
        List<Expr> options = new ArrayList<>();
        options.add(sameLengthAtLeast(lo, 0));
        if (lo.length() + 1 <= hi.length() - 1) options.add(seq(chars('1', '9'), repeat(chars('0', '9'), lo.length(), hi.length() - 2)));
        options.add(sameLengthAtMost(hi, 0));
        return Expr.alt(options);
    }

    private static Expr sameLengthAtLeast(String s, int i) {
        if (i == s.length()) return Expr.EMPTY;
        int d = s.charAt(i) - '0', k = s.length() - i - 1;
        List<Expr> options = new ArrayList<>();
        if (d < 9) options.add(seq(chars('0' + d + 1, '9'), repeat(chars('0', '9'), k, k)));
        options.add(seq(lit(Integer.toString(d)), sameLengthAtLeast(s, i + 1)));
        return Expr.alt(options);
    }

    private static Expr sameLengthAtMost(String s, int i) {
        if (i == s.length()) return Expr.EMPTY;
        int d = s.charAt(i) - '0', k = s.length() - i - 1;
        int low = i == 0 && s.length() > 1 ? 1 : 0; // no leading zero
        List<Expr> options = new ArrayList<>();
        if (low <= d - 1) options.add(seq(chars('0' + low, '0' + d - 1), repeat(chars('0', '9'), k, k)));
        options.add(seq(lit(Integer.toString(d)), sameLengthAtMost(s, i + 1)));
        return Expr.alt(options);
    }

    private static Expr sameLengthBetween(String a, String b, int i) {
        if (i == a.length()) return Expr.EMPTY;
        int x = a.charAt(i) - '0', y = b.charAt(i) - '0', k = a.length() - i - 1;
        if (x == y) return seq(lit(Integer.toString(x)), sameLengthBetween(a, b, i + 1));
        List<Expr> options = new ArrayList<>();
        options.add(seq(lit(Integer.toString(x)), sameLengthAtLeast(a, i + 1)));
        if (x + 1 <= y - 1) options.add(seq(chars('0' + x + 1, '0' + y - 1), repeat(chars('0', '9'), k, k)));
        options.add(seq(lit(Integer.toString(y)), sameLengthAtMost(b, i + 1)));
        return Expr.alt(options);
    }
}
