package dev.edgebox.engine.template;

import java.util.List;
import java.util.Map;

/** A Python method looked up on a value, such as {@code content.startswith}, ready to be called. */
record BoundMethod(Object self, String name, TemplateFunction body) implements TemplateFunction {
    @Override
    public Object call(List<Object> args, Map<String, Object> kwargs) {
        return body.call(args, kwargs);
    }
}
