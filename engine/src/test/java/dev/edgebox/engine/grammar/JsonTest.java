package dev.edgebox.engine.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {
    static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void parsesWhatJacksonParsesToTheSameValues() throws Exception {
        for (String text : List.of("{\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\\\"\"], \"b\": {}}", " [ ] ", "\"\\ud83d\\ude00\"",
                "0", "-0.0", "1E+2", "{\"k\":{\"k\":{\"k\":[[[]]]}}}", "\"\\/\\b\\f\\r\\t\"")) {
            Object ours = Json.parse(text);
            JsonNode theirs = JACKSON.readTree(text);
            assertTrue(SchemaDocument.jsonEquals(ours, Json.parse(JACKSON.writeValueAsString(theirs))), text);
            assertTrue(SchemaDocument.jsonEquals(ours, Json.parse(JACKSON.writeValueAsString(JACKSON.readTree(Json.write(ours))))), text);
        }
        Map<?, ?> m = (Map<?, ?>) Json.parse("{\"a\":1,\"b\":2,\"a\":3}");
        assertEquals(new BigDecimal("3"), m.get("a"), "a repeated name keeps the last value, as JavaScript does");
        assertEquals(Json.NULL, Json.parse("null"));
    }

    @Test
    void refusesWhatJsonForbids() {
        for (String bad : List.of("", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "NaN", "'a'", "{a:1}", "\"tab\there\"",
                "\"\\x41\"", "\"\\u12\"", "[1] x", "tru", "-", "1e", "{\"a\" 1}", "[1 2]")) {
            assertThrows(Json.SyntaxException.class, () -> Json.parse(bad), bad);
        }
        var e = assertThrows(Json.SyntaxException.class, () -> Json.parse("{\n  \"a\": [1,,2]\n}"));
        assertTrue(e.getMessage().contains("line 2, column 11"), e.getMessage());
        assertThrows(Json.SyntaxException.class, () -> Json.parse("[".repeat(5000)));
    }

    @Test
    void plainReadingGivesJavaValuesAndRefusesRepeatedNames() {
        Map<String, Object> expected = new java.util.LinkedHashMap<>();
        expected.put("n", java.util.Arrays.asList(1L, -2500.0, 0.5, 92233720368547758070.0, null));
        expected.put("s", "x");
        assertEquals(expected, Json.parsePlain("{\"n\": [1, -2.5e3, 0.5, 92233720368547758070, null], \"s\": \"x\"}"));
        var e = assertThrows(Json.SyntaxException.class, () -> Json.parsePlain("{\"r\": 4,\n \"r\": 8}"));
        assertTrue(e.getMessage().contains("line 2, column 2: duplicate key \"r\""), e.getMessage());
        for (String bad : List.of("01", "1.", "[1,]", "\"\\u+abc\"", "{\"a\":{\"b\":1,\"b\":1}}")) {
            assertThrows(Json.SyntaxException.class, () -> Json.parsePlain(bad), bad);
        }
    }

    @Test
    void writesAndReadsBackRandomValues() {
        Random r = new Random(2);
        for (int i = 0; i < 2000; i++) {
            Object v = random(r, 0);
            String text = Json.write(v);
            assertTrue(SchemaDocument.jsonEquals(v, Json.parse(text)), text);
        }
    }

    static Object random(Random r, int depth) {
        int k = r.nextInt(depth > 3 ? 5 : 7);
        return switch (k) {
            case 0 -> Json.NULL;
            case 1 -> r.nextBoolean();
            case 2 -> BigDecimal.valueOf(r.nextLong() % 100000, r.nextInt(5));
            case 3, 4 -> {
                StringBuilder b = new StringBuilder();
                int n = r.nextInt(6);
                for (int j = 0; j < n; j++) b.appendCodePoint(r.nextInt(4) == 0 ? r.nextInt(0x20) : r.nextInt(3) == 0 ? 0x1F600 : 'a' + r.nextInt(3));
                yield b.toString();
            }
            case 5 -> {
                java.util.List<Object> l = new java.util.ArrayList<>();
                for (int j = r.nextInt(4); j > 0; j--) l.add(random(r, depth + 1));
                yield l;
            }
            default -> {
                java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
                for (int j = r.nextInt(4); j > 0; j--) o.put("k" + r.nextInt(5), random(r, depth + 1));
                yield o;
            }
        };
    }
}
