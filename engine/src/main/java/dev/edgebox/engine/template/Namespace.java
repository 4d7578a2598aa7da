package dev.edgebox.engine.template;

import java.util.LinkedHashMap;
import java.util.Map;

/** Jinja's namespace(): the one object a template may assign attributes to, across loop scopes. */
final class Namespace {
    final Map<Object, Object> attributes = new LinkedHashMap<>();
}
