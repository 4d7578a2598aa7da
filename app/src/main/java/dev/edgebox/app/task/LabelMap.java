package dev.edgebox.app.task;

import dev.edgebox.engine.EngineException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a data set's labels read as the task's: "1=positive,0=negative". Without a map the labels are
 * taken as they are; with one, every label in the data must be mapped (a typo would otherwise count
 * every such item wrong).
 */
final class LabelMap {
    private final Map<String, String> map;

    private LabelMap(Map<String, String> map) {
        this.map = map;
    }

    static LabelMap parse(String spec) {
        Map<String, String> m = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) return new LabelMap(m);
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new EngineException("--labels must be a list of DATA=TASK pairs such as 1=positive,0=negative; '" + pair + "' is not one");
            }
            String from = pair.substring(0, eq).strip(), to = pair.substring(eq + 1).strip();
            if (m.put(from, to) != null) throw new EngineException("--labels maps '" + from + "' twice");
        }
        return new LabelMap(m);
    }

    String apply(String label, String where) {
        if (map.isEmpty()) return label;
        String to = map.get(label);
        if (to == null) throw new EngineException(where + " has the label '" + label + "', which --labels does not map (it maps " + map.keySet() + ")");
        return to;
    }
}
