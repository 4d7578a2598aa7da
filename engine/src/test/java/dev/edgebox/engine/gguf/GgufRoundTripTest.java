package dev.edgebox.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer and the reader agree on every metadata type, arrays, alignment and tensor data. */
class GgufRoundTripTest {
    @TempDir
    Path tmp;

    @Test
    void everyValueTypeSurvivesARoundTrip() throws IOException {
        GgufWriter w = new GgufWriter();
        w.put("u8", GgufValue.of(GgufValueType.UINT8, 250));
        w.put("i8", GgufValue.of(GgufValueType.INT8, -5));
        w.put("u16", GgufValue.of(GgufValueType.UINT16, 65000));
        w.put("i16", GgufValue.of(GgufValueType.INT16, -300));
        w.put("u32", GgufValue.uint32(4_000_000_000L));
        w.put("i32", GgufValue.int32(-7));
        w.put("f32", GgufValue.float32(1.5f));
        w.put("bool", GgufValue.bool(true));
        w.put("str", GgufValue.string("héllo 你好 🙂"));
        w.put("u64", GgufValue.of(GgufValueType.UINT64, 1L << 40));
        w.put("i64", GgufValue.of(GgufValueType.INT64, -(1L << 40)));
        w.put("f64", GgufValue.of(GgufValueType.FLOAT64, Math.PI));
        w.put("strs", GgufValue.strings("a", "", "ccc"));
        w.put("floats", GgufValue.floats(1f, -2f, Float.MIN_VALUE));
        w.put("ints", GgufValue.int32s(1, -2, 3));
        w.put("bytes", GgufValue.array(GgufValueType.UINT8, new byte[] {1, (byte) 200}));
        w.put("bools", GgufValue.array(GgufValueType.BOOL, new boolean[] {true, false}));
        w.put("nested", GgufValue.array(GgufValueType.ARRAY, new GgufValue[] {GgufValue.int32s(1, 2), GgufValue.strings("x")}));
        w.put("general.alignment", GgufValue.uint32(64));
        float[] data = {1, 2, 3, 4, 5, 6};
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) b.putFloat(f);
        w.addTensor("t.weight", GgmlType.F32, new long[] {3, 2}, b.array());
        w.addTensor("v", GgmlType.F32, new long[] {1}, new byte[4]);
        Path p = tmp.resolve("x.gguf");
        w.write(p);

        try (GgufFile f = GgufFile.open(p)) {
            GgufMetadata m = f.metadata();
            assertEquals(3, f.version());
            assertEquals(250, m.getInt("u8"));
            assertEquals(-5, m.getInt("i8"));
            assertEquals(65000, m.getInt("u16"));
            assertEquals(-300, m.getInt("i16"));
            assertEquals(4_000_000_000L, m.getLong("u32"));
            assertEquals(-7, m.getInt("i32"));
            assertEquals(1.5f, m.getFloat("f32"));
            assertTrue(m.getBool("bool", false));
            assertEquals("héllo 你好 🙂", m.getString("str"));
            assertEquals(1L << 40, m.getLong("u64"));
            assertEquals(-(1L << 40), m.getLong("i64"));
            assertEquals(Math.PI, (double) m.get("f64").value());
            assertArrayEquals(new String[] {"a", "", "ccc"}, m.getStringArray("strs"));
            assertArrayEquals(new float[] {1f, -2f, Float.MIN_VALUE}, m.getFloatArray("floats"));
            assertArrayEquals(new int[] {1, -2, 3}, m.getIntArray("ints"));
            assertArrayEquals(new int[] {1, 200}, m.getIntArray("bytes"));
            assertEquals(GgufValue.array(GgufValueType.BOOL, new boolean[] {true, false}), m.get("bools"));
            GgufValue[] nested = (GgufValue[]) m.get("nested").value();
            assertArrayEquals(new int[] {1, 2}, (int[]) nested[0].value());
            assertEquals(64, f.alignment());
            assertEquals(0, f.dataOffset() % 64);
            TensorInfo t = f.tensor("t.weight");
            assertEquals(3, t.columns());
            assertEquals(2, t.rows());
            float[] back = t.data().toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
            assertArrayEquals(data, back);
            assertEquals(0, f.tensor("v").offset() % 64);
        }
    }

    @Test
    void aTensorThatWritesTheWrongSizeIsRefused() {
        GgufWriter w = new GgufWriter();
        w.addTensor("t", GgmlType.F32, new long[] {4}, new byte[12]);
        Path p = tmp.resolve("bad.gguf");
        assertThrows(IOException.class, () -> w.write(p));
        assertTrue(Files.notExists(p), "no half-written file may be left behind");
    }

    @Test
    void typedAccessorsNameTheKeyAndTheTypes() throws IOException {
        GgufWriter w = new GgufWriter().putString("name", "x");
        Path p = tmp.resolve("m.gguf");
        w.write(p);
        try (GgufFile f = GgufFile.open(p)) {
            EngineException e = assertThrows(EngineException.class, () -> f.metadata().getInt("name"));
            assertTrue(e.getMessage().contains("name") && e.getMessage().contains("string"), e.getMessage());
            e = assertThrows(EngineException.class, () -> f.metadata().getString("missing"));
            assertTrue(e.getMessage().contains("missing"), e.getMessage());
        }
    }

    @Test
    void versionsAndEndiannessAreChecked() throws IOException {
        Path p = tmp.resolve("v.gguf");
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(GgufFile.MAGIC).putInt(1).putLong(0).putLong(0);
        Files.write(p, b.array());
        assertTrue(assertThrows(EngineException.class, () -> GgufFile.open(p)).getMessage().contains("version 1"));
        b.clear();
        b.putInt(GgufFile.MAGIC).putInt(Integer.reverseBytes(3)).putLong(0).putLong(0);
        Files.write(p, b.array());
        assertTrue(assertThrows(EngineException.class, () -> GgufFile.open(p)).getMessage().contains("big-endian"));
        b.clear();
        b.putInt(GgufFile.MAGIC).putInt(2).putLong(0).putLong(0);
        Files.write(p, b.array());
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(2, f.version());
        }
    }
}
