package dev.edgebox.engine.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.EngineException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The public API: error reporting, plain Java inputs, and sharing one parsed template. */
class ChatTemplateApiTest {
    @Test
    void syntaxErrorNamesLineAndColumn() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> ChatTemplate.parse("line one\n{% if x %}\n  {{ x + }}\n{% endif %}"));
        assertEquals(3, e.line());
        assertEquals(10, e.column());
        assertTrue(e.getMessage().startsWith("chat template syntax error at line 3, column 10: "), e.getMessage());
        assertFalse(e.raisedByTemplate());
    }

    @Test
    void unclosedBlockIsReportedAtTheEnd() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> ChatTemplate.parse("{% for m in messages %}\n{{ m }}\n"));
        assertTrue(e.getMessage().contains("'for' needs 'endfor' or 'else'"), e.getMessage());
    }

    @Test
    void unknownCharacterIsReportedWhereItIs() {
        TemplateException e = assertThrows(TemplateException.class, () -> ChatTemplate.parse("ab\n  {{ a ? b }}"));
        assertEquals(2, e.line());
        assertEquals(8, e.column());
    }

    @Test
    void raiseExceptionSurfacesTheTemplatesOwnMessage() {
        ChatTemplate t = ChatTemplate.parse("{% for m in messages %}\n{% if m.role not in ['user', 'assistant'] %}\n"
                + "{{ raise_exception('Unsupported role: ' ~ m.role) }}\n{% endif %}\n{% endfor %}");
        TemplateException e = assertThrows(TemplateException.class,
                () -> t.apply(List.of(Map.of("role", "robot", "content", "beep")), true, "", "", Map.of()));
        assertTrue(e.raisedByTemplate());
        assertEquals("Unsupported role: robot", e.templateMessage());
        assertEquals(3, e.line());
        assertEquals("chat template rejected the input at line 3: Unsupported role: robot", e.getMessage());
        assertTrue(e instanceof EngineException);
    }

    @Test
    void runtimeErrorNamesTheLineAndJinjasMessage() {
        ChatTemplate t = ChatTemplate.parse("{% for m in messages %}\n{{ m.content + '!' }}\n{% endfor %}");
        TemplateException e = assertThrows(TemplateException.class,
                () -> t.apply(List.of(Map.of("role", "user")), false, "", "", Map.of()));
        assertFalse(e.raisedByTemplate());
        assertEquals(2, e.line());
        assertEquals("chat template error at line 2: UndefinedError: 'dict object' has no attribute 'content'", e.getMessage());
    }

    @Test
    void acceptsPlainJavaValues() {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "user");
        message.put("content", "hi");
        message.put("n", 3); // Integer, as callers write it
        message.put("ratio", 0.5f);
        message.put("tags", new String[] {"a", "b"});
        message.put("missing", null);
        String out = ChatTemplate.parse("{{ messages[0].n + 1 }} {{ messages[0].ratio }} {{ messages[0].tags|join('+') }} "
                + "{{ messages[0].missing is none }} {{ messages[0]|tojson }} {{ tools is none }} {{ documents is defined }}")
                .apply(List.of(message), false, "", "", null);
        assertEquals("4 0.5 a+b True {\"role\": \"user\", \"content\": \"hi\", \"n\": 3, \"ratio\": 0.5, "
                + "\"tags\": [\"a\", \"b\"], \"missing\": null} True True", out);
    }

    @Test
    void extraVariablesOverrideDefaultsAndCallablesWork() {
        ChatTemplate t = ChatTemplate.parse("{{ tools|length }} {{ enable_thinking }} {{ shout('hi') }}");
        TemplateFunction shout = (args, kwargs) -> ((String) args.getFirst()).toUpperCase() + "!";
        String out = t.apply(List.of(), true, "", "", Map.of("tools", List.of(Map.of("type", "function")),
                "enable_thinking", false, "shout", shout));
        assertEquals("1 False HI!", out);
    }

    @Test
    void renderingNeverModifiesTheCallersData() {
        List<Object> items = new ArrayList<>(List.of(1, 2));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("items", items);
        TemplateException e = assertThrows(TemplateException.class,
                () -> ChatTemplate.parse("{% set _ = items.append(3) %}").render(context));
        assertEquals("access to attribute 'append' of 'list' object is unsafe.", e.templateMessage());
        assertEquals(List.of(1, 2), items);
    }

    @Test
    void hugeRepetitionIsRefusedInsteadOfExhaustingMemory() {
        // Jinja2 would try; a chat server must not let a template take all memory
        TemplateException e = assertThrows(TemplateException.class,
                () -> ChatTemplate.parse("{{ ('x' * 60000000)|length }}").render(Map.of()));
        assertTrue(e.getMessage().contains("MemoryError: repetition would produce 60000000 items"), e.getMessage());
    }

    @Test
    void oneParsedTemplateRendersConcurrently() throws Exception {
        ChatTemplate t = ChatTemplate.parse(Fixtures.text("templates/qwen3.jinja"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String text = "message " + i;
                results.add(pool.submit(() -> t.apply(List.of(Map.of("role", "user", "content", text)), true, "", "",
                        Map.of("enable_thinking", false))));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals("<|im_start|>user\nmessage " + i + "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
                        results.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
    }
}
