package dev.edgebox.engine.tensor;

import dev.edgebox.engine.EngineException;
import java.util.EnumMap;
import java.util.Map;

/** The registry of weight types we can compute with: one line per type. */
public final class TensorTypes {
    private TensorTypes() {}

    private static final Map<GgmlType, TensorType> TYPES = new EnumMap<>(GgmlType.class);

    private static void register(TensorType t) {
        TYPES.put(t.ggml(), t);
    }

    static {
        register(new F32Type());
        register(new F16Type());
        register(new Bf16Type());
        register(new Q8_0Type());
        register(new Q4_0Type());
        register(new Q4_1Type());
        register(new Q5_0Type());
        register(new Q5_1Type());
        register(new Q2_KType());
        register(new Q3_KType());
        register(new Q4_KType());
        register(new Q5_KType());
        register(new Q6_KType());
    }

    public static boolean isSupported(GgmlType type) {
        return TYPES.containsKey(type);
    }

    /** The implementation of a type, or an EngineException naming the tensor and listing what works. */
    public static TensorType of(GgmlType type, String tensorName) {
        TensorType t = TYPES.get(type);
        if (t == null) {
            throw new EngineException("tensor " + tensorName + " has type " + type.displayName()
                    + ", which edgebox does not support yet (supported: " + supportedList() + ")");
        }
        return t;
    }

    public static TensorType of(GgmlType type) {
        return of(type, "?");
    }

    public static String supportedList() {
        return String.join(", ", TYPES.keySet().stream().map(GgmlType::displayName).toList());
    }
}
