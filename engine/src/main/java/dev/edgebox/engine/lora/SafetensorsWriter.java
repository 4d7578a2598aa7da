package dev.edgebox.engine.lora;

import dev.edgebox.engine.grammar.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files from float arrays (as F32, F16 or BF16), for PEFT adapter export and
 * test fixtures. The header is padded with spaces to a multiple of 8 bytes, as the reference
 * implementation does; the file appears atomically.
 */
public final class SafetensorsWriter {
    private record Entry(String name, Safetensors.Dtype dtype, long[] shape, float[] values) {}

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds a tensor; shape is outermost first and its product must equal values.length. */
    public SafetensorsWriter add(String name, Safetensors.Dtype dtype, long[] shape, float[] values) {
        long n = 1;
        for (long d : shape) n *= d;
        if (n != values.length) throw new IllegalArgumentException(name + ": shape holds " + n + " values, got " + values.length);
        if (dtype == Safetensors.Dtype.F64) throw new IllegalArgumentException("F64 output is not needed for adapters");
        entries.add(new Entry(name, dtype, shape.clone(), values));
        return this;
    }

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public void write(Path path) throws IOException {
        StringBuilder h = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            h.append("\"__metadata__\":{");
            int i = 0;
            for (var e : metadata.entrySet()) {
                if (i++ > 0) h.append(',');
                h.append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
            }
            h.append('}');
        }
        long offset = 0;
        for (Entry e : entries) {
            if (h.length() > 1) h.append(',');
            long bytes = (long) e.values.length * e.dtype.bytes;
            h.append(Json.quote(e.name)).append(":{\"dtype\":\"").append(e.dtype.name()).append("\",\"shape\":[");
            for (int i = 0; i < e.shape.length; i++) h.append(i > 0 ? "," : "").append(e.shape[i]);
            h.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;

        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(header);
            for (int i = header.length; i < padded; i++) out.write(' ');
            for (Entry e : entries) writeValues(out, e);
        } catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(tmp);
            throw ex;
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeValues(OutputStream out, Entry e) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(e.values.length * e.dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : e.values) {
            switch (e.dtype) {
                case F32 -> b.putFloat(v);
                case F16 -> b.putShort(Float.floatToFloat16(v));
                case BF16 -> b.putShort(toBf16(v));
                case F64 -> throw new AssertionError();
            }
        }
        out.write(b.array());
    }

    /** Round to nearest even, as PyTorch converts float32 to bfloat16. */
    private static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return (short) ((bits >>> 16) | 0x40);
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
