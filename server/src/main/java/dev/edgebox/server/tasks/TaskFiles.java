package dev.edgebox.server.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.edgebox.engine.grammar.GrammarException;
import dev.edgebox.engine.grammar.Json;
import dev.edgebox.engine.grammar.StructuredOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads task definitions from YAML or JSON (one task per file; the built-ins are such files in the
 * jar). Every key is checked, and every mistake is reported with the file and the key
 * ("tasks/review.yaml: 'output.choices' must be a list of strings"); a fixed output format is
 * compiled and the examples checked against it, so a task that loads can run.
 */
public final class TaskFiles {
    public static final String BUILT_IN = "built-in";
    /** The built-in tasks, in the order they are listed. */
    public static final List<String> BUILT_IN_NAMES = List.of("sentiment", "classify", "extract", "summarize", "translate", "chat");
    /** Names a task may not take: "auto" asks the router to choose. */
    public static final Set<String> RESERVED_NAMES = Set.of("auto");
    /** Call parameters that set sampling rather than fill the prompt. */
    public static final Set<String> SAMPLING_KEYS = Set.of("temperature", "top_k", "top_p", "min_p", "repeat_penalty", "seed", "max_tokens");

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Set<String> KEYS = Set.of("name", "description", "system", "template", "output", "variables", "examples",
            "sampling", "route");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskFiles() {}

    /** Whether the file is one the tasks directory reads (.yaml, .yml, .json). */
    public static boolean isTaskFile(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    /** Reads one task file; its name defaults to the file name without the extension. */
    public static TaskDefinition read(Path file) {
        String where = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TaskException(where + ": cannot read the file: " + e.getMessage());
        }
        String fileName = file.getFileName().toString();
        String stem = fileName.substring(0, fileName.lastIndexOf('.'));
        return parse(bytes, fileName.toLowerCase(Locale.ROOT).endsWith(".json"), stem, where);
    }

    /** The built-in tasks (resources next to this class). */
    public static List<TaskDefinition> builtIns() {
        List<TaskDefinition> out = new ArrayList<>();
        for (String name : BUILT_IN_NAMES) {
            try (InputStream in = TaskFiles.class.getResourceAsStream("builtin/" + name + ".yaml")) {
                if (in == null) throw new IllegalStateException("built-in task " + name + " is missing from the jar");
                out.add(parse(in.readAllBytes(), false, name, BUILT_IN));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /**
     * Parses one task.
     *
     * @param defaultName the name when the text gives none
     * @param source      "built-in" or the file, for messages and listings
     */
    public static TaskDefinition parse(byte[] text, boolean json, String defaultName, String source) {
        Object root;
        try {
            root = (json ? JSON : YAML).readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new TaskException(source + ": not valid " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new TaskException(source + ": cannot read: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> map)) throw new TaskException(source + ": a task file must be a mapping of keys to values");
        return new Reader(source).task(map, defaultName);
    }

    /** Reads one mapping, naming the file and the key in every complaint. */
    private record Reader(String source) {
        TaskException error(String key, String message) {
            return new TaskException(source + ": '" + key + "' " + message);
        }

        TaskDefinition task(Map<?, ?> m, String defaultName) {
            for (Object k : m.keySet()) {
                if (!KEYS.contains(String.valueOf(k))) {
                    throw error(String.valueOf(k), "is not a task key; known keys: " + String.join(", ", sorted(KEYS)));
                }
            }
            String name = string(m, "name", defaultName);
            if (!NAME.matcher(name).matches()) {
                throw error("name", "must be lower-case letters, digits, '-' and '_' (at most 64, starting with a letter or digit), got '" + name + "'");
            }
            if (RESERVED_NAMES.contains(name)) throw error("name", "'" + name + "' is reserved (it asks the router to choose a task)");
            String description = string(m, "description", "");
            String system = string(m, "system", "");
            String template = string(m, "template", "{{input}}");
            OutputSpec output = output(m.get("output"));
            Map<String, String> variables = variables(m.get("variables"), output);
            checkPlaceholders("system", system, variables, output);
            checkPlaceholders("template", template, variables, output);
            if (!Templates.names(template).contains("input") && !Templates.names(system).contains("input")) {
                throw error("template", "must show the input somewhere: put {{input}} in the template (or the system prompt)");
            }
            StructuredOutput fixed = fixedFormat(output);
            List<TaskDefinition.Example> examples = examples(m.get("examples"), output, fixed);
            TaskSampling sampling = sampling(m.get("sampling"));
            RouteRules route = route(m.get("route"));
            return new TaskDefinition(name, description, system, template, output, variables, examples, sampling, route, source);
        }

        private String string(Map<?, ?> m, String key, String fallback) {
            Object v = m.get(key);
            if (v == null) return fallback;
            return text(key, v);
        }

        /** A scalar as text; YAML's yes/no/on/off booleans are refused, since the author meant words. */
        private String text(String key, Object v) {
            return switch (v) {
                case String s -> s;
                case Number n -> n.toString();
                case Boolean b -> throw error(key, "must be text, got the boolean " + b
                        + " (YAML reads bare yes/no/on/off/true/false as booleans: quote the word)");
                default -> throw error(key, "must be text, got " + kind(v));
            };
        }

        private OutputSpec output(Object v) {
            if (v == null) return OutputSpec.TEXT;
            if (v instanceof String s) {
                return switch (s) {
                    case "text" -> OutputSpec.TEXT;
                    case "json" -> new OutputSpec(OutputSpec.Kind.JSON, null, null, null);
                    default -> throw error("output", "must be text, json, or a mapping with one of choices, schema, regex, grammar; got '" + s + "'");
                };
            }
            if (!(v instanceof Map<?, ?> m) || m.size() != 1) {
                throw error("output", "must be text, json, or a mapping with exactly one of choices, schema, regex, grammar");
            }
            String kind = String.valueOf(m.keySet().iterator().next());
            Object value = m.values().iterator().next();
            String key = "output." + kind;
            return switch (kind) {
                case "choices" -> {
                    if (value instanceof String s && Templates.soleParam(s) != null) {
                        yield new OutputSpec(OutputSpec.Kind.CHOICES, null, null, param(key, Templates.soleParam(s)));
                    }
                    if (!(value instanceof List<?> list) || list.isEmpty()) {
                        throw error(key, "must be a non-empty list of strings, or \"{{param}}\" to take them from each call");
                    }
                    List<String> choices = new ArrayList<>();
                    for (Object c : list) choices.add(text(key, c));
                    if (new LinkedHashSet<>(choices).size() != choices.size()) throw error(key, "lists a choice twice: " + choices);
                    yield new OutputSpec(OutputSpec.Kind.CHOICES, choices, null, null);
                }
                case "schema" -> {
                    if (value instanceof String s && Templates.soleParam(s) != null) {
                        yield new OutputSpec(OutputSpec.Kind.SCHEMA, null, null, param(key, Templates.soleParam(s)));
                    }
                    if (!(value instanceof Map<?, ?>)) throw error(key, "must be a JSON Schema (a mapping), or \"{{param}}\" to take it from each call");
                    yield new OutputSpec(OutputSpec.Kind.SCHEMA, null, Json.write(value), null);
                }
                case "regex", "grammar" -> {
                    String s = text(key, value);
                    if (s.isEmpty()) throw error(key, "is empty");
                    yield new OutputSpec(kind.equals("regex") ? OutputSpec.Kind.REGEX : OutputSpec.Kind.GRAMMAR, null, s, null);
                }
                default -> throw error("output", "must hold one of choices, schema, regex, grammar; got '" + kind + "'");
            };
        }

        private String param(String key, String name) {
            if (name.equals("input") || SAMPLING_KEYS.contains(name)) throw error(key, "cannot take its value from '" + name + "'");
            return name;
        }

        private Map<String, String> variables(Object v, OutputSpec output) {
            Map<String, String> out = new LinkedHashMap<>();
            if (v == null) return out;
            if (!(v instanceof Map<?, ?> m)) throw error("variables", "must be a mapping of names to default values");
            for (var e : m.entrySet()) {
                String name = String.valueOf(e.getKey());
                String key = "variables." + name;
                if (!Templates.PLACEHOLDER.matcher("{{" + name + "}}").matches()) throw error(key, "is not a usable name (letters, digits, _)");
                if (name.equals("input") || SAMPLING_KEYS.contains(name) || name.equals(output.param())) {
                    throw error(key, "is a reserved name (input, the output's parameter and the sampling keys " + sorted(SAMPLING_KEYS) + ")");
                }
                if (e.getValue() == null) throw error(key, "needs a default value (use \"\" for none)");
                out.put(name, text(key, e.getValue()));
            }
            return out;
        }

        private void checkPlaceholders(String key, String text, Map<String, String> variables, OutputSpec output) {
            for (String name : Templates.names(text)) {
                if (name.equals("input") || variables.containsKey(name) || name.equals(output.param())) continue;
                throw error(key, "uses {{" + name + "}}, which is neither input, a declared variable"
                        + (output.param() == null ? "" : ", nor the output's parameter " + output.param())
                        + "; declare it under 'variables' with a default");
            }
        }

        private StructuredOutput fixedFormat(OutputSpec output) {
            try {
                return switch (output.kind()) {
                    case TEXT -> null;
                    case JSON -> StructuredOutput.json(true);
                    case CHOICES -> output.param() == null ? StructuredOutput.choices(output.choices()) : null;
                    case SCHEMA -> output.param() == null ? StructuredOutput.jsonSchema(output.text()) : null;
                    case REGEX -> StructuredOutput.regex(output.text());
                    case GRAMMAR -> StructuredOutput.grammar(output.text());
                };
            } catch (GrammarException e) {
                throw error("output." + output.kind().apiName(), "cannot be used: " + e.getMessage());
            }
        }

        private List<TaskDefinition.Example> examples(Object v, OutputSpec output, StructuredOutput fixed) {
            List<TaskDefinition.Example> out = new ArrayList<>();
            if (v == null) return out;
            if (!(v instanceof List<?> list)) throw error("examples", "must be a list of {input, output}");
            for (int i = 0; i < list.size(); i++) {
                String key = "examples[" + i + "]";
                if (!(list.get(i) instanceof Map<?, ?> m) || !m.containsKey("input") || !m.containsKey("output") || m.size() != 2) {
                    throw error(key, "must be a mapping with exactly the keys input and output");
                }
                String input = text(key + ".input", m.get("input"));
                Object answer = m.get("output");
                String text = output.json() && !(answer instanceof String) ? Json.write(answer) : text(key + ".output", answer);
                if (fixed != null) {
                    String why = fixed.check(text);
                    if (why != null) throw error(key + ".output", "does not fit the task's output: " + why);
                }
                out.add(new TaskDefinition.Example(input, text));
            }
            return out;
        }

        private TaskSampling sampling(Object v) {
            if (v == null) return TaskSampling.NONE;
            if (!(v instanceof Map<?, ?> m)) throw error("sampling", "must be a mapping such as {temperature: 0, max_tokens: 16}");
            for (Object k : m.keySet()) {
                if (!SAMPLING_KEYS.contains(String.valueOf(k))) {
                    throw error("sampling." + k, "is not a sampling key; known: " + String.join(", ", sorted(SAMPLING_KEYS)));
                }
            }
            try {
                return Params.sampling(m, "sampling");
            } catch (TaskException e) {
                throw new TaskException(source + ": " + e.getMessage());
            }
        }

        private RouteRules route(Object v) {
            if (v == null) return RouteRules.NONE;
            if (!(v instanceof Map<?, ?> m)) throw error("route", "must be a mapping with keywords, patterns, routable");
            List<String> keywords = new ArrayList<>();
            List<Pattern> patterns = new ArrayList<>();
            boolean routable = true;
            for (var e : m.entrySet()) {
                String key = "route." + e.getKey();
                switch (String.valueOf(e.getKey())) {
                    case "keywords" -> {
                        if (!(e.getValue() instanceof List<?> l)) throw error(key, "must be a list of words or phrases");
                        for (Object k : l) {
                            String s = text(key, k).strip();
                            if (s.isEmpty()) throw error(key, "holds an empty keyword");
                            keywords.add(s);
                        }
                    }
                    case "patterns" -> {
                        if (!(e.getValue() instanceof List<?> l)) throw error(key, "must be a list of regular expressions");
                        for (Object p : l) {
                            try {
                                patterns.add(Pattern.compile(text(key, p), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
                            } catch (PatternSyntaxException x) {
                                throw error(key, "holds a bad regular expression: " + x.getDescription() + " in '" + p + "'");
                            }
                        }
                    }
                    case "routable" -> {
                        if (!(e.getValue() instanceof Boolean b)) throw error(key, "must be true or false");
                        routable = b;
                    }
                    default -> throw error(key, "is not a route key; known: keywords, patterns, routable");
                }
            }
            return new RouteRules(keywords, patterns, routable);
        }
    }

    static String kind(Object v) {
        return switch (v) {
            case null -> "nothing";
            case Map<?, ?> m -> "a mapping";
            case List<?> l -> "a list";
            case String s -> "text";
            case Number n -> "a number";
            case Boolean b -> "a boolean";
            default -> v.getClass().getSimpleName();
        };
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
