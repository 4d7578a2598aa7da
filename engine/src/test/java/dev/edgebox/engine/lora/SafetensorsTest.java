package dev.edgebox.engine.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.grammar.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our safetensors reader against bytes laid out by hand, and our writer against our reader. */
class SafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void readsAHandBuiltFile() throws IOException {
        // Header as the Python library writes it (keys in any order, __metadata__, space padding), then F16, BF16, F32 data.
        String header = "{\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]},"
                + "\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F16\",\"shape\":[2,1],\"data_offsets\":[0,4]},"
                + "\"c\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[12,12]}}   ";
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3c00).putShort((short) 0xc000);   // f16 1.0, -2.0
        data.putShort((short) 0x3fc0).putShort((short) 0x4049);   // bf16 1.5, 3.140625
        data.putFloat(0.1f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        out.write(data.array());
        Path f = tmp.resolve("hand.safetensors");
        Files.write(f, out.toByteArray());

        try (Safetensors st = Safetensors.open(f)) {
            assertEquals(List.of("b", "a", "c", "e"), List.copyOf(st.tensors().keySet()));
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertArrayEquals(new long[] {2, 1}, st.tensor("a").shape());
            assertArrayEquals(new float[] {1f, -2f}, Safetensors.floats(st.tensor("a")));
            assertArrayEquals(new float[] {1.5f, 3.140625f}, Safetensors.floats(st.tensor("b")));
            assertArrayEquals(new float[] {0.1f}, Safetensors.floats(st.tensor("c")));
            assertEquals(0, Safetensors.floats(st.tensor("e")).length);
        }
    }

    @Test
    void writerRoundTripsEveryDtype() throws IOException {
        float[] v = {0f, -0f, 1f, -1.5f, 3.14159f, 65504f, 1e-3f, 1e30f, Float.MIN_NORMAL};
        Path f = tmp.resolve("rt.safetensors");
        new SafetensorsWriter()
                .add("f32", Safetensors.Dtype.F32, new long[] {3, 3}, v)
                .add("f16", Safetensors.Dtype.F16, new long[] {9}, v)
                .add("bf16 \"quoted\"", Safetensors.Dtype.BF16, new long[] {9}, v)
                .metadata("format", "pt")
                .write(f);
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, headerLength % 8, "header padded to 8 bytes");
        try (Safetensors st = Safetensors.open(f)) {
            assertArrayEquals(v, Safetensors.floats(st.tensor("f32")));
            float[] f16 = Safetensors.floats(st.tensor("f16"));
            for (int i = 0; i < v.length; i++) assertEquals(Float.float16ToFloat(Float.floatToFloat16(v[i])), f16[i], 0f);
            float[] bf = Safetensors.floats(st.tensor("bf16 \"quoted\""));
            assertEquals(3.140625f, bf[4], 0f); // 3.14159 rounds to nearest even in bf16
            assertEquals(1e30f, bf[7], 1e30f * 1e-2f);
        }
    }

    @Test
    void jsonReader() {
        Object v = Json.parsePlain(" {\"a\": [1, -2.5e3, true, false, null], \"b\": \"x\\u00e9\\n\\\"\"} ");
        assertEquals(Map.of("a", java.util.Arrays.asList(1L, -2500.0, true, false, null), "b", "xé\n\""), v);
        for (String bad : List.of("{", "{\"a\" 1}", "[1,]", "{\"a\":1,\"a\":2}", "\"\\x\"", "01x", "[1] 2", "")) {
            assertThrows(Json.SyntaxException.class, () -> Json.parsePlain(bad), bad);
        }
        assertThrows(EngineException.class, () -> Safetensors.open(tmp.resolve("missing.safetensors")));
    }
}
