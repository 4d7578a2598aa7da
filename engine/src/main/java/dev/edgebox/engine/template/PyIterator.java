package dev.edgebox.engine.template;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-shot iterator such as the generators returned by select, map or items, or the reversed list
 * from reverse. Unlike a list it is always true, has no length and is empty once consumed: Jinja2
 * templates that test {@code messages|selectattr(...)} for truth see it so.
 */
final class PyIterator {
    private final List<Object> items;
    private final String typeName;
    private int position;

    PyIterator(List<Object> items, String typeName) {
        this.items = items;
        this.typeName = typeName;
    }

    static PyIterator generator(List<Object> items) {
        return new PyIterator(items, "generator");
    }

    String typeName() {
        return typeName;
    }

    boolean hasNext() {
        return position < items.size();
    }

    Object next() {
        return items.get(position++);
    }

    /** The items not yet consumed; consumes them. */
    List<Object> drain() {
        List<Object> rest = new ArrayList<>(items.subList(position, items.size()));
        position = items.size();
        return rest;
    }
}
