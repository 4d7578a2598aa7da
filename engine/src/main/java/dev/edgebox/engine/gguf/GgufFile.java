package dev.edgebox.engine.gguf;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF file (versions 2 and 3) mapped into memory. Metadata and tensor infos are parsed at open;
 * tensor data stays in the mapping and is handed out as slices, so weights are never copied onto
 * the heap. Every read is bounds-checked: a truncated or corrupted file gives a one-line
 * {@link EngineException} naming the offset, never a crash.
 */
public final class GgufFile implements AutoCloseable {
    public static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian int
    public static final int DEFAULT_ALIGNMENT = 32;
    private static final int MAX_DIMS = 4;
    private static final int MAX_ARRAY_NESTING = 8;

    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final int version;
    private final GgufMetadata metadata;
    private final Map<String, TensorInfo> tensors;
    private final int alignment;
    private final long dataOffset;

    private GgufFile(Path path, Arena arena, MemorySegment file, int version, GgufMetadata metadata,
                     Map<String, TensorInfo> tensors, int alignment, long dataOffset) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
        this.alignment = alignment;
        this.dataOffset = dataOffset;
    }

    /** Maps and parses a GGUF file. The mapping lives until {@link #close()}. */
    public static GgufFile open(Path path) {
        if (!Files.exists(path)) throw new EngineException("model file not found: " + path);
        if (Files.isDirectory(path)) throw new EngineException("expected a GGUF file, got a directory: " + path);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            MemorySegment seg = size == 0 ? MemorySegment.NULL.reinterpret(0) : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return parse(path, arena, seg);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new EngineException("model file not found: " + path);
        } catch (IOException e) {
            arena.close();
            throw new EngineException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static GgufFile parse(Path path, Arena arena, MemorySegment seg) {
        Reader r = new Reader(seg, path);
        if (seg.byteSize() < 4 || r.i32() != MAGIC) {
            throw new EngineException(path + " is not a GGUF file (it does not start with the bytes 'GGUF')");
        }
        int version = r.i32();
        if (version == 1) throw new EngineException(path + " is GGUF version 1, which is obsolete; convert it again with a current llama.cpp");
        if (version != 2 && version != 3) {
            if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
                throw new EngineException(path + " is a big-endian GGUF file; only little-endian files are supported");
            }
            throw new EngineException(path + " has GGUF version " + Integer.toUnsignedString(version) + "; supported are 2 and 3");
        }
        long tensorCount = r.u64("tensor count");
        long kvCount = r.u64("metadata count");
        // Each key-value pair takes at least 12 bytes, each tensor info at least 28: reject absurd counts early.
        r.checkCount(kvCount, 12, "metadata entries");
        Map<String, GgufValue> kv = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = r.name("metadata key #" + i, 1 << 16);
            int typeId = r.i32();
            GgufValueType type = GgufValueType.byId(typeId);
            if (type == null) throw r.corrupt("metadata " + key + " has unknown value type " + typeId);
            kv.put(key, r.value(key, type, 0));
        }
        GgufMetadata metadata = new GgufMetadata(kv);

        int alignment = DEFAULT_ALIGNMENT;
        if (metadata.has("general.alignment")) {
            long a = metadata.getLong("general.alignment");
            if (a <= 0 || a > (1 << 20) || Long.bitCount(a) != 1) {
                throw r.corrupt("general.alignment is " + a + ", expected a power of two");
            }
            alignment = (int) a;
        }

        r.checkCount(tensorCount, 28, "tensor infos");
        record RawInfo(String name, long[] dims, GgmlType type, long offset) {}
        RawInfo[] raws = new RawInfo[(int) tensorCount];
        for (int i = 0; i < tensorCount; i++) {
            String name = r.name("tensor name #" + i, 1024);
            int nDims = r.i32();
            if (nDims < 1 || nDims > MAX_DIMS) throw r.corrupt("tensor " + name + " has " + nDims + " dimensions, expected 1 to " + MAX_DIMS);
            long[] dims = new long[nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++) {
                dims[d] = r.u64("dimension of tensor " + name);
                if (dims[d] <= 0 || dims[d] > (1L << 40)) throw r.corrupt("tensor " + name + " has dimension " + Long.toUnsignedString(dims[d]));
                elements = Math.multiplyExact(elements, dims[d]);
                if (elements > (1L << 42)) throw r.corrupt("tensor " + name + " is impossibly large " + java.util.Arrays.toString(dims));
            }
            int typeId = r.i32();
            GgmlType type = GgmlType.byId(typeId);
            if (type == null) throw r.corrupt("tensor " + name + " has unknown type id " + typeId);
            if (dims[0] % type.blockSize != 0) {
                throw r.corrupt("tensor " + name + " of type " + type.displayName() + " has row length " + dims[0]
                        + ", not a multiple of its block size " + type.blockSize);
            }
            long offset = r.u64("offset of tensor " + name);
            raws[i] = new RawInfo(name, dims, type, offset);
        }
        long dataOffset = align(r.pos, alignment);

        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (RawInfo raw : raws) {
            long bytes = raw.type.bytesFor(elementsOf(raw.dims));
            if (raw.offset < 0 || raw.offset % alignment != 0) {
                throw r.corrupt("tensor " + raw.name + " has data offset " + Long.toUnsignedString(raw.offset) + ", not aligned to " + alignment);
            }
            long start = dataOffset + raw.offset;
            if (start > seg.byteSize() || bytes > seg.byteSize() - start) {
                throw new EngineException(path + " is truncated: tensor " + raw.name + " needs bytes " + start + ".." + (start + bytes)
                        + " but the file has " + seg.byteSize() + " bytes");
            }
            TensorInfo info = new TensorInfo(raw.name, raw.dims, raw.type, raw.offset, seg.asSlice(start, bytes));
            if (tensors.put(raw.name, info) != null) throw r.corrupt("tensor " + raw.name + " appears twice");
        }
        return new GgufFile(path, arena, seg, version, metadata, Collections.unmodifiableMap(tensors), alignment, dataOffset);
    }

    private static long elementsOf(long[] dims) {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    static long align(long x, int alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public List<TensorInfo> tensorList() {
        return List.copyOf(tensors.values());
    }

    /** The tensor of this name, or null. */
    public TensorInfo tensor(String name) {
        return tensors.get(name);
    }

    public int alignment() {
        return alignment;
    }

    public long dataOffset() {
        return dataOffset;
    }

    public long fileSize() {
        return file.byteSize();
    }

    @Override
    public void close() {
        arena.close();
    }

    /** A bounds-checked little-endian cursor over the mapped file. */
    private static final class Reader {
        private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

        final MemorySegment seg;
        final Path path;
        long pos;

        Reader(MemorySegment seg, Path path) {
            this.seg = seg;
            this.path = path;
        }

        void need(long n, String what) {
            if (n < 0 || n > seg.byteSize() - pos) {
                throw new EngineException(path + " is truncated: reading " + what + " at byte " + pos
                        + " needs " + Long.toUnsignedString(n) + " bytes but the file has " + seg.byteSize());
            }
        }

        void checkCount(long count, long minBytesEach, String what) {
            if (count < 0 || count > (seg.byteSize() - pos) / minBytesEach) {
                throw corrupt("header claims " + Long.toUnsignedString(count) + " " + what + ", more than the file can hold");
            }
        }

        EngineException corrupt(String what) {
            return new EngineException(path + " is corrupt: " + what);
        }

        int i32() {
            need(4, "a 32-bit value");
            int v = seg.get(I32, pos);
            pos += 4;
            return v;
        }

        long u64(String what) {
            need(8, what);
            long v = seg.get(I64, pos);
            pos += 8;
            return v;
        }

        /** A key or tensor name: bounded in length and shown printable in messages if corrupt. */
        String name(String what, int maxBytes) {
            long at = pos;
            String s = string(what);
            if (s.length() > maxBytes) throw corrupt(what + " at byte " + at + " is " + s.length() + " bytes long");
            for (int i = 0; i < s.length(); i++) {
                if (Character.isISOControl(s.charAt(i)) || s.charAt(i) == '\uFFFD') {
                    throw corrupt(what + " at byte " + at + " is not text: " + EngineException.quote(s));
                }
            }
            return s;
        }

        String string(String what) {
            long len = u64("length of " + what);
            need(len, what);
            if (len > Integer.MAX_VALUE - 8) throw corrupt(what + " is " + Long.toUnsignedString(len) + " bytes long");
            byte[] b = new byte[(int) len];
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, b, 0, (int) len);
            pos += len;
            return new String(b, StandardCharsets.UTF_8);
        }

        GgufValue value(String key, GgufValueType type, int depth) {
            if (type == GgufValueType.ARRAY) {
                if (depth >= MAX_ARRAY_NESTING) throw corrupt("metadata " + key + " nests arrays too deeply");
                int elemId = i32();
                GgufValueType elem = GgufValueType.byId(elemId);
                if (elem == null) throw corrupt("metadata " + key + " is an array of unknown type " + elemId);
                long n = u64("length of array " + key);
                checkCount(n, Math.max(1, elem.size == 0 ? 8 : elem.size), "elements in " + key);
                return GgufValue.array(elem, arrayOf(key, elem, (int) n, depth));
            }
            need(type == GgufValueType.STRING ? 8 : type.size, "metadata " + key);
            Object v = switch (type) {
                case UINT8 -> (int) seg.get(ValueLayout.JAVA_BYTE, pos) & 0xff;
                case INT8 -> (int) seg.get(ValueLayout.JAVA_BYTE, pos);
                case UINT16 -> (int) seg.get(I16, pos) & 0xffff;
                case INT16 -> (int) seg.get(I16, pos);
                case UINT32 -> (long) seg.get(I32, pos) & 0xffffffffL;
                case INT32 -> seg.get(I32, pos);
                case FLOAT32 -> seg.get(F32, pos);
                case BOOL -> seg.get(ValueLayout.JAVA_BYTE, pos) != 0;
                case UINT64, INT64 -> seg.get(I64, pos);
                case FLOAT64 -> seg.get(F64, pos);
                case STRING -> null;
                case ARRAY -> throw new AssertionError();
            };
            if (type == GgufValueType.STRING) return GgufValue.string(string("metadata " + key));
            pos += type.size;
            return GgufValue.of(type, v);
        }

        private Object arrayOf(String key, GgufValueType elem, int n, int depth) {
            if (elem != GgufValueType.STRING && elem != GgufValueType.ARRAY) need((long) n * elem.size, "array " + key);
            Object out;
            switch (elem) {
                case UINT8, INT8, BOOL -> {
                    byte[] a = new byte[n];
                    MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, a, 0, n);
                    if (elem == GgufValueType.BOOL) {
                        boolean[] b = new boolean[n];
                        for (int i = 0; i < n; i++) b[i] = a[i] != 0;
                        out = b;
                    } else {
                        out = a;
                    }
                }
                case UINT16, INT16 -> {
                    short[] a = new short[n];
                    MemorySegment.copy(seg, I16, pos, a, 0, n);
                    out = a;
                }
                case UINT32, INT32 -> {
                    int[] a = new int[n];
                    MemorySegment.copy(seg, I32, pos, a, 0, n);
                    out = a;
                }
                case UINT64, INT64 -> {
                    long[] a = new long[n];
                    MemorySegment.copy(seg, I64, pos, a, 0, n);
                    out = a;
                }
                case FLOAT32 -> {
                    float[] a = new float[n];
                    MemorySegment.copy(seg, F32, pos, a, 0, n);
                    out = a;
                }
                case FLOAT64 -> {
                    double[] a = new double[n];
                    MemorySegment.copy(seg, F64, pos, a, 0, n);
                    out = a;
                }
                case STRING -> {
                    String[] a = new String[n];
                    for (int i = 0; i < n; i++) a[i] = string("element " + i + " of " + key);
                    return a;
                }
                case ARRAY -> {
                    GgufValue[] a = new GgufValue[n];
                    for (int i = 0; i < n; i++) a[i] = value(key, GgufValueType.ARRAY, depth + 1);
                    return a;
                }
                default -> throw new AssertionError(elem);
            }
            pos += (long) n * elem.size;
            return out;
        }
    }
}
