package dev.edgebox.engine.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** dict.keys(), dict.values() or dict.items(): a live, sized view that prints as dict_items([...]). */
record DictView(Map<Object, Object> map, Kind kind) {
    enum Kind { KEYS, VALUES, ITEMS }

    List<Object> elements() {
        List<Object> out = new ArrayList<>(map.size());
        for (Map.Entry<Object, Object> e : map.entrySet()) {
            out.add(switch (kind) {
                case KEYS -> e.getKey();
                case VALUES -> e.getValue();
                case ITEMS -> new PyTuple(e.getKey(), e.getValue());
            });
        }
        return out;
    }

    String typeName() {
        return "dict_" + kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
