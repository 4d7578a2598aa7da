package dev.edgebox.knowledge.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    @Test
    void englishSentencesEndAtStopsBeforeACapitalOrEnd() {
        assertEquals(List.of("The pump failed.", "Replace the seal!", "Is it fixed?", "Yes."),
                SentenceSplitter.split("The pump failed. Replace the seal! Is it fixed? Yes."));
    }

    @Test
    void abbreviationsDecimalsAndInitialsDoNotEndSentences() {
        assertEquals(List.of("Pay U.S. dollars, e.g. by wire, within 3.5 days to J. Smith.", "Then stop."),
                SentenceSplitter.split("Pay U.S. dollars, e.g. by wire, within 3.5 days to J. Smith. Then stop."));
    }

    @Test
    void chineseSentencesEndAtFullWidthStopsWithoutSpaces() {
        assertEquals(List.of("设备每周保养一次。", "发现异常怎么办？", "立即停机！", "联系厂家；", "记录故障。"),
                SentenceSplitter.split("设备每周保养一次。发现异常怎么办？立即停机！联系厂家；记录故障。"));
    }

    @Test
    void closingQuotesStayWithTheirSentence() {
        assertEquals(List.of("He said “stop.”", "我说：“好。”", "Done."), SentenceSplitter.split("He said “stop.” 我说：“好。”Done."));
    }

    @Test
    void mixedLanguages() {
        assertEquals(List.of("The manual says: 请先断电。", "Then open the cover.", "完成后 close it.", "OK"),
                SentenceSplitter.split("The manual says: 请先断电。Then open the cover. 完成后 close it. OK"));
    }
}
