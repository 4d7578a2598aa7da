package dev.edgebox.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The request fields every API dialect reads alike: "stop" strings and the "messages" of a chat.
 * One parser keeps the dialects' limits and messages from drifting apart; each dialect still
 * renders the resulting 400 in its own error shape.
 */
public final class ChatFields {
    /** More stop strings than this is a client bug, and each one costs a scan of every new token. */
    public static final int MAX_STOP = 16;

    private ChatFields() {}

    /** "stop": a string or an array of at most {@link #MAX_STOP} strings; empty when absent. */
    public static List<String> stops(Fields f) {
        JsonNode v = f.get("stop");
        if (v == null) return List.of();
        if (v.isTextual()) return List.of(v.asText());
        if (!v.isArray()) throw f.invalid("stop", "must be a string or an array of strings, got " + Fields.kind(v));
        if (v.size() > MAX_STOP) throw f.invalid("stop", "may hold at most " + MAX_STOP + " strings, got " + v.size());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) throw f.invalid("stop", "must hold strings only; element " + i + " is " + Fields.kind(v.get(i)));
            out.add(v.get(i).asText());
        }
        return out;
    }

    /**
     * "messages": a non-empty array of objects, each with a "role" from {@code roles}. The rest of a
     * message is the dialect's: {@code read} gets the message (its fields named "messages[i].…") and
     * its checked role, and returns it as the chat template wants it.
     */
    public static List<Map<String, Object>> messages(Fields f, List<String> roles, BiFunction<Fields, String, Map<String, Object>> read) {
        List<JsonNode> list = f.optArray("messages");
        if (list == null) throw f.invalid("messages", "is required: an array of {\"role\", \"content\"} objects");
        if (list.isEmpty()) throw f.invalid("messages", "is empty; send at least one message");
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "messages[" + i + "]";
            JsonNode node = list.get(i);
            if (!node.isObject()) throw f.invalid("messages", "must hold objects; " + path + " is " + Fields.kind(node));
            Fields m = Fields.of(node, path);
            String role = m.string("role");
            if (!roles.contains(role)) {
                throw m.invalid("role", "'" + role + "' is not a role; expected one of " + String.join(", ", roles));
            }
            out.add(read.apply(m, role));
        }
        return out;
    }
}
