package dev.edgebox.engine.gguf;

import dev.edgebox.engine.EngineException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The key-value metadata of a GGUF file, in file order, with typed accessors. */
public final class GgufMetadata {
    private final Map<String, GgufValue> values;

    public GgufMetadata(Map<String, GgufValue> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Map<String, GgufValue> asMap() {
        return values;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public GgufValue get(String key) {
        return values.get(key);
    }

    public String getString(String key) {
        GgufValue v = require(key);
        if (v.type() != GgufValueType.STRING) throw wrongType(key, v, "a string");
        return (String) v.value();
    }

    public String getString(String key, String fallback) {
        return has(key) ? getString(key) : fallback;
    }

    /** An integer of any GGUF integer type; unsigned 64-bit values above Long.MAX_VALUE are an error. */
    public long getLong(String key) {
        GgufValue v = require(key);
        if (!v.type().isInteger()) throw wrongType(key, v, "an integer");
        long x = ((Number) v.value()).longValue();
        if (v.type() == GgufValueType.UINT64 && x < 0) throw wrongType(key, v, "an integer below 2^63");
        return x;
    }

    public long getLong(String key, long fallback) {
        return has(key) ? getLong(key) : fallback;
    }

    public int getInt(String key) {
        long x = getLong(key);
        if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
            throw new EngineException("metadata " + key + " = " + x + " is out of range for a 32-bit integer");
        }
        return (int) x;
    }

    public int getInt(String key, int fallback) {
        return has(key) ? getInt(key) : fallback;
    }

    /** A float; integers are accepted too since writers differ. */
    public float getFloat(String key) {
        GgufValue v = require(key);
        if (v.type() == GgufValueType.FLOAT32 || v.type() == GgufValueType.FLOAT64 || v.type().isInteger()) {
            return ((Number) v.value()).floatValue();
        }
        throw wrongType(key, v, "a number");
    }

    public float getFloat(String key, float fallback) {
        return has(key) ? getFloat(key) : fallback;
    }

    public boolean getBool(String key, boolean fallback) {
        if (!has(key)) return fallback;
        GgufValue v = require(key);
        if (v.type() != GgufValueType.BOOL) throw wrongType(key, v, "a bool");
        return (Boolean) v.value();
    }

    public String[] getStringArray(String key) {
        return (String[]) requireArray(key, GgufValueType.STRING);
    }

    public float[] getFloatArray(String key) {
        GgufValue v = require(key);
        if (v.type() == GgufValueType.ARRAY && v.value() instanceof float[] f) return f;
        if (v.type() == GgufValueType.ARRAY && v.value() instanceof double[] d) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
            return f;
        }
        throw wrongType(key, v, "an array of floats");
    }

    /** An array of any integer element type, widened to int. */
    public int[] getIntArray(String key) {
        GgufValue v = require(key);
        if (v.type() != GgufValueType.ARRAY) throw wrongType(key, v, "an array of integers");
        Object a = v.value();
        if (a instanceof int[] i) return i;
        int n = java.lang.reflect.Array.getLength(a);
        int[] out = new int[n];
        boolean unsigned = v.elementType() == GgufValueType.UINT8 || v.elementType() == GgufValueType.UINT16;
        switch (a) {
            case byte[] b -> { for (int i = 0; i < n; i++) out[i] = unsigned ? b[i] & 0xff : b[i]; }
            case short[] s -> { for (int i = 0; i < n; i++) out[i] = unsigned ? s[i] & 0xffff : s[i]; }
            case long[] l -> { for (int i = 0; i < n; i++) out[i] = Math.toIntExact(l[i]); }
            default -> throw wrongType(key, v, "an array of integers");
        }
        return out;
    }

    /** The first of the keys that is present, or null. */
    public String firstPresent(String... keys) {
        for (String k : keys) if (has(k)) return k;
        return null;
    }

    private Object requireArray(String key, GgufValueType element) {
        GgufValue v = require(key);
        if (v.type() != GgufValueType.ARRAY || v.elementType() != element) {
            throw wrongType(key, v, "an array of " + element.name().toLowerCase());
        }
        return v.value();
    }

    private GgufValue require(String key) {
        GgufValue v = values.get(key);
        if (v == null) throw new EngineException("metadata key " + key + " is missing");
        return v;
    }

    private static EngineException wrongType(String key, GgufValue v, String expected) {
        String actual = v.type() == GgufValueType.ARRAY
                ? "an array of " + v.elementType().name().toLowerCase()
                : v.type().name().toLowerCase();
        return new EngineException("metadata " + key + " is " + actual + ", expected " + expected);
    }
}
