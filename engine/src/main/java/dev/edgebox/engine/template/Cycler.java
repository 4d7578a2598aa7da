package dev.edgebox.engine.template;

import java.util.List;

/** Jinja's cycler(a, b, ...): {@code next()} returns the items in turn, {@code current} the one due next. */
final class Cycler {
    private final List<Object> items;
    private int position;

    Cycler(List<Object> items) {
        if (items.isEmpty()) {
            throw JinjaError.type("at least one item has to be provided");
        }
        this.items = items;
    }

    Object attribute(String name) {
        return switch (name) {
            case "current" -> items.get(position);
            case "next" -> new BoundMethod(this, name, (args, kwargs) -> {
                Object current = items.get(position);
                position = (position + 1) % items.size();
                return current;
            });
            case "reset" -> new BoundMethod(this, name, (args, kwargs) -> {
                position = 0;
                return null;
            });
            default -> Undefined.member(this, name);
        };
    }
}
