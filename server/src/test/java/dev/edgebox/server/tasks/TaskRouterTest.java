package dev.edgebox.server.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The router's first stage and its candidates, without a model. */
class TaskRouterTest {
    static final List<TaskDefinition> BUILT_INS = TaskFiles.builtIns();

    static String rule(String input) {
        var hit = TaskRouter.rules(input, BUILT_INS);
        return hit == null ? null : hit.task().name();
    }

    @Test
    void keywordsInEitherLanguage() {
        assertEquals("translate", rule("Translate to German: good morning"));
        assertEquals("translate", rule("把这句话翻译成英文"));
        assertEquals("summarize", rule("TL;DR of the following article"));
        assertEquals("summarize", rule("请概括下面的内容"));
        assertEquals("sentiment", rule("Is this review positive or negative? The soup was cold."));
        assertEquals("sentiment", rule("判断情感：东西不错"));
        assertEquals("extract", rule("Extract the dates from this contract"));
        assertNull(rule("What a lovely day it is."));
    }

    @Test
    void wholeWordsForLatinScriptAndFirstHitBreaksTies() {
        assertNull(rule("the summaryless report")); // not the word "summary"
        assertEquals("translate", rule("translate this summary")); // one hit each: the earlier wins
        assertEquals("summarize", rule("a summary, then translate"));
        // More hits win over position.
        assertEquals("summarize", rule("translate? no: summarize, a short summary please"));
        assertTrue(TaskRouter.keywordPattern("tl;dr").matcher("tl;dr:").find());
        assertFalse(TaskRouter.keywordPattern("summary").matcher("summarys").find());
    }

    @Test
    void candidatesAreTasksThatCanRunTheCall() {
        TaskRouter router = new TaskRouter(TaskRegistry.builtInOnly(), null);
        assertEquals(List.of("sentiment", "summarize", "translate", "chat"), names(router.candidates(TaskCall.of("x"))));
        assertEquals(List.of("classify"), names(router.candidates(new TaskCall("x", Map.of("labels", List.of("a"))))));
        assertEquals(List.of("translate"), names(router.candidates(new TaskCall("x", Map.of("target", "French", "temperature", 0)))));
        assertEquals(List.of(), names(router.candidates(new TaskCall("x", Map.of("nonsense", 1)))));
    }

    @Test
    void theModelStageChoosesAmongTheCandidatesNames() {
        TaskDefinition route = TaskRouter.routingTask(BUILT_INS.subList(0, 2));
        assertEquals(List.of("sentiment", "classify"), route.output().choices());
        assertTrue(route.system().contains("- sentiment: Whether a text (Chinese or English) is positive, negative or neutral."), route.system());
        assertFalse(route.route().routable());
    }

    static List<String> names(List<TaskDefinition> tasks) {
        return tasks.stream().map(TaskDefinition::name).toList();
    }
}
