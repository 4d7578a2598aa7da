package dev.edgebox.engine.template;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Splits template source into tokens the way Jinja2's lexer does with Hugging Face's settings
 * (trim_blocks and lstrip_blocks on, keep_trailing_newline off). Whitespace control is applied here:
 * {@code {%-} strips the text before a tag, {@code -%}} the whitespace after it, trim_blocks drops the
 * newline after a block or comment, and lstrip_blocks drops the indentation before one.
 */
final class Lexer {
    private final String src;
    private final int[] lineStarts;
    private final List<Token> tokens = new ArrayList<>();
    private final Deque<Character> closers = new ArrayDeque<>();
    private int pos;
    /** Whether the last thing consumed ended a line, so text before the next tag starts at a line start. */
    private boolean lineStarting = true;

    private Lexer(String source) {
        this.src = source;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    static List<Token> tokenize(String source) {
        Lexer lexer = new Lexer(normalizeNewlines(source));
        lexer.run();
        return lexer.tokens;
    }

    /** \r\n and \r become \n, and one trailing newline is dropped (keep_trailing_newline=False). */
    static String normalizeNewlines(String source) {
        String s = source.replace("\r\n", "\n").replace('\r', '\n');
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    // ---- positions ---------------------------------------------------------------------------------

    private int lineOf(int position) {
        int i = Arrays.binarySearch(lineStarts, position);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    private int columnOf(int position) {
        return position - lineStarts[lineOf(position) - 1] + 1;
    }

    private TemplateException error(String message, int position) {
        return TemplateException.syntax(message, lineOf(position), columnOf(position));
    }

    private void emit(Token.Kind kind, String text, Object value, int start) {
        tokens.add(new Token(kind, text, value, lineOf(start), columnOf(start)));
    }

    private void emitData(String text, int start) {
        if (!text.isEmpty()) {
            emit(Token.Kind.DATA, text, text, start);
        }
    }

    private int skipSpaces(int p) {
        while (p < src.length() && PyStrings.isSpace(src.charAt(p))) {
            p++;
        }
        return p;
    }

    // ---- template text and tags --------------------------------------------------------------------

    private void run() {
        int n = src.length();
        while (pos < n) {
            int tag = nextTagStart(pos);
            if (tag < 0) {
                emitData(src.substring(pos), pos);
                pos = n;
                break;
            }
            char kind = src.charAt(tag + 1);
            if (kind == '%' && lexRaw(tag)) {
                continue;
            }
            int after = tag + 2;
            char sign = after < n && (src.charAt(after) == '-' || src.charAt(after) == '+') ? src.charAt(after) : 0;
            if (sign != 0) {
                after++;
            }
            emitData(controlWhitespace(src.substring(pos, tag), sign, kind != '{'), pos);
            if (kind == '#') {
                pos = skipComment(after, tag);
                continue;
            }
            boolean variable = kind == '{';
            emit(variable ? Token.Kind.VARIABLE_BEGIN : Token.Kind.BLOCK_BEGIN, src.substring(tag, after), null, tag);
            pos = after;
            lexTag(variable);
        }
        emit(Token.Kind.EOF, "", null, n);
    }

    private int nextTagStart(int from) {
        for (int i = src.indexOf('{', from); i >= 0 && i + 1 < src.length(); i = src.indexOf('{', i + 1)) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    /** The text before a tag after '-' stripping or lstrip_blocks (blocks and comments only, not '+'). */
    private String controlWhitespace(String text, char sign, boolean blockOrComment) {
        if (sign == '-') {
            return PyStrings.strip(text, null, false, true);
        }
        if (sign != '+' && blockOrComment) {
            int lineStart = text.lastIndexOf('\n') + 1;
            if ((lineStart > 0 || lineStarting) && lineStart < text.length()) {
                for (int i = lineStart; i < text.length(); i++) {
                    if (!PyStrings.isSpace(text.charAt(i))) {
                        return text;
                    }
                }
                return text.substring(0, lineStart);
            }
        }
        return text;
    }

    private int skipComment(int from, int start) {
        int close = src.indexOf("#}", from);
        if (close < 0) {
            throw error("Missing end of comment tag", start);
        }
        int end;
        char before = close - 1 >= from ? src.charAt(close - 1) : 0;
        if (before == '+') {
            end = close + 2;
        } else if (before == '-') {
            end = skipSpaces(close + 2);
        } else {
            end = close + 2;
            if (end < src.length() && src.charAt(end) == '\n') {
                end++;
            }
        }
        lineStarting = src.charAt(end - 1) == '\n';
        return end;
    }

    /** Handles {@code {% raw %}...{% endraw %}} starting at tag, if that is what is there. */
    private boolean lexRaw(int tag) {
        int[] begin = matchRawTag(tag, "raw", false);
        if (begin == null) {
            return false;
        }
        emitData(controlWhitespace(src.substring(pos, tag), (char) begin[1], true), pos);
        lineStarting = src.charAt(begin[0] - 1) == '\n';
        for (int i = src.indexOf("{%", begin[0]); i >= 0; i = src.indexOf("{%", i + 1)) {
            int[] end = matchRawTag(i, "endraw", true);
            if (end != null) {
                emitData(controlWhitespace(src.substring(begin[0], i), (char) end[1], true), begin[0]);
                pos = end[0];
                lineStarting = src.charAt(pos - 1) == '\n';
                return true;
            }
        }
        throw error("Missing end of raw directive", tag);
    }

    /** Matches {@code {%[-+] word [-+]%}} at p; returns {end, sign} or null. */
    private int[] matchRawTag(int p, String word, boolean trimNewline) {
        int i = p + 2;
        char sign = 0;
        if (i < src.length() && (src.charAt(i) == '-' || src.charAt(i) == '+')) {
            sign = src.charAt(i++);
        }
        i = skipSpaces(i);
        if (!src.startsWith(word, i)) {
            return null;
        }
        i = skipSpaces(i + word.length());
        if (trimNewline && src.startsWith("+%}", i)) {
            return new int[] {i + 3, sign};
        }
        if (src.startsWith("-%}", i)) {
            return new int[] {skipSpaces(i + 3), sign};
        }
        if (src.startsWith("%}", i)) {
            int end = i + 2;
            if (trimNewline && end < src.length() && src.charAt(end) == '\n') {
                end++;
            }
            return new int[] {end, sign};
        }
        return null;
    }

    // ---- inside {{ }} and {% %} --------------------------------------------------------------------

    private void lexTag(boolean variable) {
        while (true) {
            if (closers.isEmpty()) {
                int end = matchTagEnd(variable);
                if (end >= 0) {
                    emit(variable ? Token.Kind.VARIABLE_END : Token.Kind.BLOCK_END, src.substring(pos, end), null, pos);
                    lineStarting = src.charAt(end - 1) == '\n';
                    pos = end;
                    return;
                }
            }
            if (pos >= src.length()) {
                return; // the parser reports the unexpected end of template
            }
            int cp = src.codePointAt(pos);
            if (PyStrings.isSpace(cp)) {
                pos++;
            } else if (cp >= '0' && cp <= '9') {
                lexNumber();
            } else if (cp == '_' || Character.isUnicodeIdentifierStart(cp)) {
                lexName();
            } else if (cp == '\'' || cp == '"') {
                lexString((char) cp);
            } else {
                lexOperator();
            }
        }
    }

    private int matchTagEnd(boolean variable) {
        if (variable) {
            if (src.startsWith("-}}", pos)) {
                return skipSpaces(pos + 3);
            }
            return src.startsWith("}}", pos) ? pos + 2 : -1;
        }
        if (src.startsWith("+%}", pos)) {
            return pos + 3;
        }
        if (src.startsWith("-%}", pos)) {
            return skipSpaces(pos + 3);
        }
        if (src.startsWith("%}", pos)) {
            return pos + 2 < src.length() && src.charAt(pos + 2) == '\n' ? pos + 3 : pos + 2;
        }
        return -1;
    }

    private void lexName() {
        int start = pos;
        pos += Character.charCount(src.codePointAt(pos));
        while (pos < src.length()) {
            int cp = src.codePointAt(pos);
            if (!Character.isUnicodeIdentifierPart(cp) || Character.isIdentifierIgnorable(cp)) {
                break;
            }
            pos += Character.charCount(cp);
        }
        String name = src.substring(start, pos);
        emit(Token.Kind.NAME, name, name, start);
    }

    /** End of a run of digits separated by single underscores, as in (\d+_)*\d+, or -1. */
    private int digitsEnd(int p) {
        if (p >= src.length() || !isDigit(src.charAt(p))) {
            return -1;
        }
        while (true) {
            while (p < src.length() && isDigit(src.charAt(p))) {
                p++;
            }
            if (p + 1 < src.length() && src.charAt(p) == '_' && isDigit(src.charAt(p + 1))) {
                p++;
            } else {
                return p;
            }
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private int exponentEnd(int p) {
        if (p >= src.length() || (src.charAt(p) != 'e' && src.charAt(p) != 'E')) {
            return -1;
        }
        p++;
        if (p < src.length() && (src.charAt(p) == '+' || src.charAt(p) == '-')) {
            p++;
        }
        return digitsEnd(p);
    }

    private void lexNumber() {
        int start = pos;
        if (start == 0 || src.charAt(start - 1) != '.') {
            int whole = digitsEnd(start);
            int end = -1;
            int fraction = whole < src.length() && src.charAt(whole) == '.' ? digitsEnd(whole + 1) : -1;
            int exponent = exponentEnd(fraction > 0 ? fraction : whole);
            if (exponent > 0) {
                end = exponent;
            } else if (fraction > 0) {
                end = fraction;
            }
            if (end > 0) {
                String text = src.substring(start, end);
                emit(Token.Kind.FLOAT, text, Double.parseDouble(text.replace("_", "")), start);
                pos = end;
                return;
            }
        }
        int end;
        int radix = 10;
        String digits;
        char prefix = start + 1 < src.length() ? Character.toLowerCase(src.charAt(start + 1)) : 0;
        int prefixed = src.charAt(start) == '0' && (prefix == 'b' || prefix == 'o' || prefix == 'x')
                ? radixDigitsEnd(start + 2, prefix == 'b' ? 2 : prefix == 'o' ? 8 : 16) : -1;
        if (prefixed > 0) {
            radix = prefix == 'b' ? 2 : prefix == 'o' ? 8 : 16;
            end = prefixed;
            digits = src.substring(start + 2, end);
        } else if (src.charAt(start) != '0') {
            end = digitsEnd(start);
            digits = src.substring(start, end);
        } else {
            end = start + 1; // 0(_?0)*
            while (end < src.length() && (src.charAt(end) == '0'
                    || (src.charAt(end) == '_' && end + 1 < src.length() && src.charAt(end + 1) == '0'))) {
                end += src.charAt(end) == '_' ? 2 : 1;
            }
            digits = "0";
        }
        String text = src.substring(start, end);
        try {
            emit(Token.Kind.INTEGER, text, Long.parseLong(digits.replace("_", ""), radix), start);
        } catch (NumberFormatException e) {
            throw error("integer literal " + text + " does not fit in 64 bits", start);
        }
        pos = end;
    }

    /** (_?[digit])+ for the given radix; -1 if there is not at least one digit. */
    private int radixDigitsEnd(int p, int radix) {
        int end = -1;
        while (true) {
            int q = p < src.length() && src.charAt(p) == '_' ? p + 1 : p;
            if (q < src.length() && Character.digit(src.charAt(q), radix) >= 0) {
                p = q + 1;
                end = p;
            } else {
                return end;
            }
        }
    }

    private void lexString(char quote) {
        int start = pos;
        int i = pos + 1;
        while (i < src.length() && src.charAt(i) != quote) {
            i += src.charAt(i) == '\\' ? 2 : 1;
        }
        if (i >= src.length()) {
            throw error("unterminated string literal", start);
        }
        String text = src.substring(start, i + 1);
        emit(Token.Kind.STRING, text, unescape(src.substring(start + 1, i), start), start);
        pos = i + 1;
    }

    /** Python's {@code .encode("ascii", "backslashreplace").decode("unicode-escape")}, as Jinja2 does. */
    private String unescape(String body, int start) {
        StringBuilder ascii = new StringBuilder(body.length());
        body.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                ascii.append((char) cp);
            } else if (cp <= 0xff) {
                ascii.append(String.format("\\x%02x", cp));
            } else if (cp <= 0xffff) {
                ascii.append(String.format("\\u%04x", cp));
            } else {
                ascii.append(String.format("\\U%08x", cp));
            }
        });
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if (c != '\\' || i + 1 >= ascii.length()) {
                out.append(c);
                continue;
            }
            char e = ascii.charAt(++i);
            switch (e) {
                case '\n' -> { }
                case '\\', '\'', '"' -> out.append(e);
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x', 'u', 'U' -> {
                    int length = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    int cp = hex(ascii, i + 1, length);
                    if (cp < 0) {
                        throw error("truncated \\" + e + " escape in string literal", start);
                    }
                    if (cp > Character.MAX_CODE_POINT) {
                        throw error("illegal Unicode character in string literal", start);
                    }
                    out.appendCodePoint(cp);
                    i += length;
                }
                case 'N' -> {
                    int close = ascii.indexOf("}", i);
                    if (i + 1 >= ascii.length() || ascii.charAt(i + 1) != '{' || close < 0) {
                        throw error("malformed \\N character escape in string literal", start);
                    }
                    try {
                        out.appendCodePoint(Character.codePointOf(ascii.substring(i + 2, close)));
                    } catch (IllegalArgumentException ex) {
                        throw error("unknown Unicode character name in string literal", start);
                    }
                    i = close;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int value = e - '0';
                        for (int k = 0; k < 2 && i + 1 < ascii.length() && ascii.charAt(i + 1) >= '0'
                                && ascii.charAt(i + 1) <= '7'; k++) {
                            value = value * 8 + (ascii.charAt(++i) - '0');
                        }
                        out.appendCodePoint(value);
                    } else {
                        out.append('\\').append(e);
                    }
                }
            }
        }
        return out.toString();
    }

    private static int hex(CharSequence s, int from, int length) {
        if (from + length > s.length()) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + length; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            value = value * 16 + d;
        }
        return value;
    }

    private static final String[] TWO_CHAR_OPERATORS = {"//", "**", "==", "!=", ">=", "<="};
    private static final String ONE_CHAR_OPERATORS = "+-/*%~[](){}><=.:|,;";

    private void lexOperator() {
        int start = pos;
        String op = null;
        for (String two : TWO_CHAR_OPERATORS) {
            if (src.startsWith(two, pos)) {
                op = two;
                break;
            }
        }
        if (op == null && ONE_CHAR_OPERATORS.indexOf(src.charAt(pos)) >= 0) {
            op = String.valueOf(src.charAt(pos));
        }
        if (op == null) {
            throw error("unexpected char " + Py.repr(Character.toString(src.codePointAt(pos))), pos);
        }
        switch (op) {
            case "(" -> closers.push(')');
            case "[" -> closers.push(']');
            case "{" -> closers.push('}');
            case ")", "]", "}" -> {
                if (closers.isEmpty()) {
                    throw error("unexpected '" + op + "'", pos);
                }
                char expected = closers.pop();
                if (expected != op.charAt(0)) {
                    throw error("unexpected '" + op + "', expected '" + expected + "'", pos);
                }
            }
            default -> {
            }
        }
        pos += op.length();
        emit(Token.Kind.OPERATOR, op, op, start);
    }
}
