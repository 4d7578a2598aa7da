package dev.edgebox.engine.gguf;

import dev.edgebox.engine.tensor.GgmlType;
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
 * Writes GGUF version 3 files. Metadata is collected first; tensor data is streamed from
 * {@link TensorData} callbacks at {@link #write(Path)} time, so multi-gigabyte files never sit in
 * memory. The file appears atomically (written to a temporary name, then moved).
 */
public final class GgufWriter {

    /** Produces the raw bytes of one tensor; it must write exactly the tensor's byte size. */
    @FunctionalInterface
    public interface TensorData {
        void writeTo(OutputStream out) throws IOException;
    }

    private record PendingTensor(String name, GgmlType type, long[] dims, long bytes, TensorData data) {}

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private int alignment = GgufFile.DEFAULT_ALIGNMENT;

    public GgufWriter put(String key, GgufValue value) {
        if (key.equals("general.alignment")) alignment = Math.toIntExact(((Number) value.value()).longValue());
        metadata.put(key, value);
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValue.string(value));
    }

    public GgufWriter putUint32(String key, long value) {
        return put(key, GgufValue.uint32(value));
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValue.float32(value));
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValue.bool(value));
    }

    /** Copies every metadata entry of another file (used when re-writing a model). */
    public GgufWriter putAll(GgufMetadata other) {
        other.asMap().forEach(this::put);
        return this;
    }

    /** Adds a tensor; dims[0] is the row length, as in {@link TensorInfo}. */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, TensorData data) {
        long elements = 1;
        for (long d : dims) elements *= d;
        tensors.add(new PendingTensor(name, type, dims.clone(), type.bytesFor(elements), data));
        return this;
    }

    /** Adds a tensor whose bytes are already in memory. */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, byte[] bytes) {
        return addTensor(name, type, dims, out -> out.write(bytes));
    }

    public void write(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (CountingStream out = new CountingStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
            out.i32(GgufFile.MAGIC);
            out.i32(3);
            out.i64(tensors.size());
            out.i64(metadata.size());
            for (var e : metadata.entrySet()) {
                out.string(e.getKey());
                out.i32(e.getValue().type().id);
                writeValue(out, e.getValue());
            }
            long offset = 0;
            for (PendingTensor t : tensors) {
                out.string(t.name);
                out.i32(t.dims.length);
                for (long d : t.dims) out.i64(d);
                out.i32(t.type.id);
                out.i64(offset);
                offset = GgufFile.align(offset + t.bytes, alignment);
            }
            out.pad(alignment);
            for (PendingTensor t : tensors) {
                long start = out.count;
                t.data.writeTo(out);
                long written = out.count - start;
                if (written != t.bytes) {
                    throw new IOException("tensor " + t.name + " wrote " + written + " bytes, expected " + t.bytes);
                }
                out.pad(alignment);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeValue(CountingStream out, GgufValue v) throws IOException {
        if (v.type() == GgufValueType.ARRAY) {
            out.i32(v.elementType().id);
            Object a = v.value();
            int n = java.lang.reflect.Array.getLength(a);
            out.i64(n);
            for (int i = 0; i < n; i++) {
                Object e = java.lang.reflect.Array.get(a, i);
                if (e instanceof GgufValue nested) {
                    writeValue(out, nested);
                } else {
                    writeScalar(out, v.elementType(), e);
                }
            }
        } else {
            writeScalar(out, v.type(), v.value());
        }
    }

    private static void writeScalar(CountingStream out, GgufValueType type, Object v) throws IOException {
        switch (type) {
            case UINT8, INT8 -> out.write(((Number) v).intValue());
            case UINT16, INT16 -> out.i16(((Number) v).intValue());
            case UINT32, INT32 -> out.i32((int) ((Number) v).longValue());
            case UINT64, INT64 -> out.i64(((Number) v).longValue());
            case FLOAT32 -> out.i32(Float.floatToRawIntBits(((Number) v).floatValue()));
            case FLOAT64 -> out.i64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
            case BOOL -> out.write((Boolean) v ? 1 : 0);
            case STRING -> out.string((String) v);
            case ARRAY -> throw new IllegalArgumentException("nested array must be a GgufValue");
        }
    }

    /** Little-endian output that counts its bytes (for offsets and padding). */
    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        private final ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        void i16(int v) throws IOException {
            buf.clear();
            buf.putShort((short) v);
            write(buf.array(), 0, 2);
        }

        void i32(int v) throws IOException {
            buf.clear();
            buf.putInt(v);
            write(buf.array(), 0, 4);
        }

        void i64(long v) throws IOException {
            buf.clear();
            buf.putLong(v);
            write(buf.array(), 0, 8);
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            write(b, 0, b.length);
        }

        void pad(int alignment) throws IOException {
            while (count % alignment != 0) write(0);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
