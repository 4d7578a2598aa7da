package dev.edgebox.engine.gguf;

import java.util.Arrays;

/**
 * One metadata value with its GGUF type. Scalars hold a boxed Java value (unsigned types widened so
 * they are never negative: UINT32 as Long, UINT64 as Long bits). Arrays hold a primitive array of
 * the element type (byte[], short[], int[], long[], float[], double[], boolean[], String[]) or, for
 * arrays of arrays, a GgufValue[]; {@code elementType} says which.
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    public static GgufValue of(GgufValueType type, Object value) {
        return new GgufValue(type, null, value);
    }

    public static GgufValue array(GgufValueType elementType, Object array) {
        return new GgufValue(GgufValueType.ARRAY, elementType, array);
    }

    public static GgufValue string(String s) {
        return of(GgufValueType.STRING, s);
    }

    public static GgufValue uint32(long v) {
        return of(GgufValueType.UINT32, v);
    }

    public static GgufValue int32(int v) {
        return of(GgufValueType.INT32, v);
    }

    public static GgufValue float32(float v) {
        return of(GgufValueType.FLOAT32, v);
    }

    public static GgufValue bool(boolean v) {
        return of(GgufValueType.BOOL, v);
    }

    public static GgufValue strings(String... values) {
        return array(GgufValueType.STRING, values);
    }

    public static GgufValue floats(float... values) {
        return array(GgufValueType.FLOAT32, values);
    }

    public static GgufValue int32s(int... values) {
        return array(GgufValueType.INT32, values);
    }

    /** Number of elements of an array value. */
    public int length() {
        if (type != GgufValueType.ARRAY) throw new IllegalStateException("not an array: " + type);
        return java.lang.reflect.Array.getLength(value);
    }

    /** A short human readable form: arrays are summarised, long strings cut. */
    public String describe() {
        if (type == GgufValueType.ARRAY) {
            int n = length();
            StringBuilder sb = new StringBuilder("[").append(elementType.name().toLowerCase()).append(" x ").append(n);
            if (n > 0 && elementType != GgufValueType.ARRAY) {
                sb.append(": ");
                for (int i = 0; i < Math.min(n, 5); i++) {
                    if (i > 0) sb.append(", ");
                    Object e = java.lang.reflect.Array.get(value, i);
                    sb.append(e instanceof String s ? quote(s, 24) : e);
                }
                if (n > 5) sb.append(", ...");
            }
            return sb.append("]").toString();
        }
        return value instanceof String s ? quote(s, 80) : String.valueOf(value);
    }

    private static String quote(String s, int max) {
        String t = s.length() > max ? s.substring(0, max) + "..." : s;
        return '"' + t.replace("\n", "\\n") + '"';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufValue v && type == v.type && elementType == v.elementType
                && Arrays.deepEquals(new Object[] {value}, new Object[] {v.value});
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {type, elementType, value});
    }
}
