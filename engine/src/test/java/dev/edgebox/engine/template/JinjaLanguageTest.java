package dev.edgebox.engine.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    @SuppressWarnings("unchecked")
    static Stream<Arguments> expressions() {
        Map<String, Object> corpus = (Map<String, Object>) TestJson.parse(Fixtures.text("expression_cases.json"));
        Object context = corpus.get("context");
        return ((java.util.List<Map<String, Object>>) corpus.get("cases")).stream().map(c -> {
            Map<String, Object> withContext = new java.util.HashMap<>(c);
            withContext.put("context", context);
            return Arguments.of(c.get("template"), withContext);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expressions")
    void evaluatesExpressionsLikeJinja2(String source, Map<String, Object> c) {
        behavesLikeJinja2(source, c);
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
