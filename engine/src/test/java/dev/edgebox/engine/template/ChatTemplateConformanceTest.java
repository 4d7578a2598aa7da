package dev.edgebox.engine.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real models' chat templates (Qwen2.5, Qwen3, Llama 3/3.1/3.2, SmolLM2, Mistral Nemo, Phi-3.5,
 * DeepSeek-R1-Distill) rendered over conversations with system prompts, several turns, tools, tool
 * calls, reasoning and unicode, compared byte for byte with Jinja2 3.1 as transformers configures it
 * (see template/generate_expected.py).
 */
class ChatTemplateConformanceTest {
    /** The instant generate_expected.py gives strftime_now. */
    static final Clock FIXED_CLOCK = Clock.fixed(Instant.parse("2025-03-14T09:26:53Z"), ZoneOffset.UTC);

    static Stream<Arguments> cases() {
        return Fixtures.cases("chat_cases.json").stream()
                .map(c -> Arguments.of(c.get("template") + " / " + c.get("name"), c));
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersLikeJinja2(String name, Map<String, Object> c) {
        ChatTemplate template = ChatTemplate.parse(Fixtures.text("templates/" + c.get("template"))).withClock(FIXED_CLOCK);
        List<Map<String, Object>> messages = (List<Map<String, Object>>) c.get("messages");
        boolean addGenerationPrompt = (Boolean) c.get("add_generation_prompt");
        String bos = (String) c.get("bos_token");
        String eos = (String) c.get("eos_token");
        Map<String, Object> extra = (Map<String, Object>) c.get("extra");
        if (c.containsKey("expected_file")) {
            String expected = Fixtures.text((String) c.get("expected_file"));
            assertEquals(expected, template.apply(messages, addGenerationPrompt, bos, eos, extra));
        } else {
            Map<String, Object> error = (Map<String, Object>) c.get("error");
            TemplateException e = assertThrows(TemplateException.class,
                    () -> template.apply(messages, addGenerationPrompt, bos, eos, extra));
            assertEquals("TemplateError".equals(error.get("type")), e.raisedByTemplate(), e.getMessage());
            assertEquals(error.get("message"), e.templateMessage());
        }
    }
}
