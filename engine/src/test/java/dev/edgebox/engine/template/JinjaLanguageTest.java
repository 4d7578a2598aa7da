package dev.edgebox.engine.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The template language case by case (whitespace control, loops, scoping, namespace, slicing,
 * filters, tests, macros, Python value semantics, errors) against outputs and error messages of
 * Jinja2 3.1 with transformers' settings (see template/generate_expected.py).
 */
class JinjaLanguageTest {
    private static final Set<String> SYNTAX_ERRORS = Set.of("TemplateSyntaxError", "TemplateAssertionError", "SyntaxError");

    static Stream<Arguments> cases() {
        return Fixtures.cases("language_cases.json").stream().map(c -> Arguments.of(c.get("name"), c));
    }

    /** A seeded corpus of random nested expressions: operators, filters, tests and methods combined. */
    static Stream<Arguments> expressions() {
        return corpus("expression_cases.json");
    }

    /** A seeded corpus of random programs: whitespace control, nesting, scoping, macros, loop controls. */
    static Stream<Arguments> programs() {
        return corpus("program_cases.json");
    }

    /** Cases sharing one context, and a prelude put before each template when there is one. */
    @SuppressWarnings("unchecked")
    private static Stream<Arguments> corpus(String file) {
        Map<String, Object> corpus = (Map<String, Object>) TestJson.parse(Fixtures.text(file));
        String prelude = (String) corpus.getOrDefault("prelude", "");
        return ((List<Map<String, Object>>) corpus.get("cases")).stream().map(c -> {
            Map<String, Object> complete = new HashMap<>(c);
            complete.put("template", prelude + c.get("template"));
            complete.put("context", corpus.get("context"));
            return Arguments.of(c.get("name"), complete);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expressions")
    void evaluatesExpressionsLikeJinja2(String name, Map<String, Object> c) {
        behavesLikeJinja2(name, c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void runsProgramsLikeJinja2(String name, Map<String, Object> c) {
        behavesLikeJinja2(name, c);
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void behavesLikeJinja2(String name, Map<String, Object> c) {
        String source = (String) c.get("template");
        Map<String, Object> context = (Map<String, Object>) c.get("context");
        if (c.containsKey("expected")) {
            ChatTemplate template = ChatTemplate.parse(source).withClock(ChatTemplateConformanceTest.FIXED_CLOCK);
            assertEquals(c.get("expected"), template.render(context));
            return;
        }
        Map<String, Object> error = (Map<String, Object>) c.get("error");
        String type = (String) error.get("type");
        if (SYNTAX_ERRORS.contains(type)) {
            TemplateException e = assertThrows(TemplateException.class, () -> ChatTemplate.parse(source));
            if (error.get("line") != null) {
                assertEquals(((Long) error.get("line")).intValue(), e.line(), e.getMessage());
            }
            return;
        }
        ChatTemplate template = ChatTemplate.parse(source);
        TemplateException e = assertThrows(TemplateException.class, () -> template.render(context));
        assertEquals(type.equals("TemplateError"), e.raisedByTemplate(), e.getMessage());
        assertEquals(error.get("message"), e.templateMessage(), e.getMessage());
    }
}
