package dev.edgebox.engine.lora;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.grammar.Json;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw data. The header is checked completely at open (every
 * range inside the file and of the right size), so reading a tensor afterwards cannot fail.
 */
public final class Safetensors implements AutoCloseable {
    /** Element types we convert to float. */
    public enum Dtype {
        F32(4), F16(2), BF16(2), F64(8);

        public final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }
    }

    /** One tensor: shape outermost first (as PyTorch), data as a slice of the mapped file. */
    public record Tensor(String name, Dtype dtype, long[] shape, MemorySegment data) {
        public long elementCount() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }

        public String shapeText() {
            return java.util.Arrays.toString(shape);
        }
    }

    private static final long MAX_HEADER = 100L << 20;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private Safetensors(Path path, Arena arena, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.path = path;
        this.arena = arena;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static Safetensors open(Path path) {
        if (!Files.isRegularFile(path)) throw new EngineException("safetensors file not found: " + path);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw corrupt(path, "it is " + size + " bytes long, shorter than the 8-byte header length");
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (len.hasRemaining() && ch.read(len, len.position()) > 0) { /* read fully */ }
            long headerLen = len.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw corrupt(path, "the header length is " + Long.toUnsignedString(headerLen) + " bytes but the file has " + size);
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            while (header.hasRemaining() && ch.read(header, 8 + header.position()) > 0) { /* read fully */ }
            String json = new String(header.array(), StandardCharsets.UTF_8);
            long dataStart = 8 + headerLen;
            MemorySegment data = ch.map(FileChannel.MapMode.READ_ONLY, dataStart, size - dataStart, arena);
            return parseHeader(path, json, data, arena);
        } catch (IOException e) {
            arena.close();
            throw new EngineException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static Safetensors parseHeader(Path path, String json, MemorySegment data, Arena arena) {
        Object root;
        try {
            root = Json.parsePlain(json);
        } catch (Json.SyntaxException e) {
            throw corrupt(path, "its JSON header is malformed: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> map)) throw corrupt(path, "its header is not a JSON object");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (var e : map.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                if (e.getValue() instanceof Map<?, ?> md) md.forEach((k, v) -> metadata.put((String) k, String.valueOf(v)));
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> info)) throw corrupt(path, "tensor " + EngineException.quote(name) + " is not described by an object");
            tensors.put(name, tensor(path, name, info, data));
        }
        return new Safetensors(path, arena, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static Tensor tensor(Path path, String name, Map<?, ?> info, MemorySegment data) {
        String q = EngineException.quote(name);
        if (!(info.get("dtype") instanceof String dt)) throw corrupt(path, "tensor " + q + " has no dtype");
        Dtype dtype;
        try {
            dtype = Dtype.valueOf(dt);
        } catch (IllegalArgumentException ex) {
            throw new EngineException(path + ": tensor " + q + " has dtype " + EngineException.quote(dt)
                    + "; adapters must be F32, F16, BF16 or F64");
        }
        if (!(info.get("shape") instanceof List<?> shapeList)) throw corrupt(path, "tensor " + q + " has no shape");
        long[] shape = new long[shapeList.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 0) throw corrupt(path, "tensor " + q + " has a bad shape " + shapeList);
            shape[i] = d;
            if (d > 0 && elements > (1L << 40) / d) throw corrupt(path, "tensor " + q + " has an impossibly large shape " + shapeList);
            elements *= d;
        }
        if (!(info.get("data_offsets") instanceof List<?> off) || off.size() != 2
                || !(off.get(0) instanceof Long begin) || !(off.get(1) instanceof Long end)) {
            throw corrupt(path, "tensor " + q + " has no [begin, end] data_offsets");
        }
        if (begin < 0 || end < begin || end > data.byteSize()) {
            throw corrupt(path, "tensor " + q + " has data_offsets [" + begin + ", " + end + "] outside the " + data.byteSize() + " data bytes");
        }
        if (elements > Long.MAX_VALUE / dtype.bytes || end - begin != elements * dtype.bytes) {
            throw corrupt(path, "tensor " + q + " of shape " + shapeList + " and dtype " + dt + " needs "
                    + elements * dtype.bytes + " bytes but its data_offsets span " + (end - begin));
        }
        return new Tensor(name, dtype, shape, data.asSlice(begin, end - begin));
    }

    private static EngineException corrupt(Path path, String what) {
        return new EngineException(path + " is not a valid safetensors file: " + what);
    }

    public Path path() {
        return path;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The tensor of this name, or null. */
    public Tensor tensor(String name) {
        return tensors.get(name);
    }

    /** The __metadata__ entries (strings), empty when absent. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor's elements converted to float, row-major. */
    public static float[] floats(Tensor t) {
        if (t.elementCount() > Integer.MAX_VALUE - 8) throw new EngineException("tensor " + t.name() + " is too large for an adapter");
        int n = (int) t.elementCount();
        float[] out = new float[n];
        MemorySegment d = t.data();
        switch (t.dtype()) {
            case F32 -> MemorySegment.copy(d, F32, 0, out, 0, n);
            case F16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(d.get(I16, 2L * i));
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((d.get(I16, 2L * i) & 0xffff) << 16);
            }
            case F64 -> {
                for (int i = 0; i < n; i++) out[i] = (float) d.get(F64, 8L * i);
            }
        }
        return out;
    }

    @Override
    public void close() {
        arena.close();
    }
}
