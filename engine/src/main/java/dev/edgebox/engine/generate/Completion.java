package dev.edgebox.engine.generate;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.sampling.LogitProcessor;
import dev.edgebox.engine.sampling.Sampler;
import dev.edgebox.engine.sampling.TokenConstraint;
import dev.edgebox.engine.sampling.TokenHistory;
import dev.edgebox.engine.tokenizer.StreamDecoder;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * The generated side of one sequence, one token at a time: samples the next token from the
 * model's logits, turns tokens into text that never shows a stop string or half a character, and
 * decides when generation ends. The single-sequence {@link Generator} and the server's scheduler
 * both drive it, so the same prompt and settings give the same output in both.
 *
 * <p>The caller runs the model: after {@link #accept} it feeds {@link #lastToken()} at
 * {@link #lastPosition()} to get the next logits, until {@link #finished()}. Not thread-safe.
 */
public final class Completion {
    private final Tokenizer tokenizer;
    private final GenerationRequest request;
    private final int promptLength;
    private final int contextLength;
    private final int vocab;
    private final int limit;
    private final Sampler sampler;
    private final TokenHistory history;
    private final StreamDecoder detokenizer;
    private final StopStrings stops;
    private final List<LogitProcessor> processors;
    private int[] tokens = new int[16];
    private int count;
    private FinishReason finish;

    /**
     * @param prompt        the prompt's token ids (penalties look at them too)
     * @param contextLength positions the sequence may hold; generation ends when it is full
     * @param vocab         logits per row (the model's vocabulary size)
     */
    public Completion(Tokenizer tokenizer, GenerationRequest request, int[] prompt, int contextLength, int vocab,
                      List<LogitProcessor> processors) {
        if (prompt.length == 0) throw new EngineException("the prompt is empty");
        if (prompt.length >= contextLength) {
            throw new EngineException("the prompt has " + prompt.length + " tokens but the context holds " + contextLength
                    + " (leave room to generate; raise the context with -c/--ctx)");
        }
        this.tokenizer = tokenizer;
        this.request = request;
        this.promptLength = prompt.length;
        this.contextLength = contextLength;
        this.vocab = vocab;
        this.limit = request.maxTokens() < 0 ? Integer.MAX_VALUE : request.maxTokens();
        this.sampler = new Sampler(request.sampling());
        processors.forEach(sampler::addProcessor);
        this.history = new TokenHistory(prompt);
        this.detokenizer = tokenizer.newStreamDecoder(false);
        this.stops = new StopStrings(request.stop());
        this.processors = List.copyOf(processors);
        // A grammar that allows nothing at all ends the output before it starts.
        if (constraintComplete()) finish = FinishReason.STOP;
        else if (limit == 0) finish = FinishReason.LENGTH;
    }

    /**
     * Samples the next token from {@code logits[offset .. offset + vocab)} (which may be changed) and
     * returns the text that may be shown now, often empty.
     */
    public String accept(float[] logits, int offset) {
        if (finish != null) throw new IllegalStateException("generation has finished (" + finish + ")");
        int token = sampler.sample(logits, offset, vocab, history);
        if (count == tokens.length) tokens = Arrays.copyOf(tokens, count * 2);
        tokens[count++] = token;
        history.add(token);
        if (!request.ignoreEos() && tokenizer.isEndOfGeneration(token)) {
            finish = FinishReason.STOP;
            return "";
        }
        String shown = stops.add(detokenizer.feed(token));
        if (stops.stopped() || constraintComplete()) finish = FinishReason.STOP;
        else if (count >= limit || lastPosition() >= contextLength) finish = FinishReason.LENGTH;
        return shown;
    }

    /** Whether a constraint (a grammar) says the output is finished: it allows no further token. */
    private boolean constraintComplete() {
        for (LogitProcessor p : processors) if (p instanceof TokenConstraint c && c.isComplete()) return true;
        return false;
    }

    /** Ends generation early (client gone, deadline); {@link #flush()} then shows nothing more. */
    public void cancel() {
        if (finish == null) finish = FinishReason.CANCELLED;
    }

    /** Ends generation early with {@link FinishReason#LENGTH}: a budget other than tokens ran out (time). */
    public void truncate() {
        if (finish == null) finish = FinishReason.LENGTH;
    }

    public boolean finished() {
        return finish != null;
    }

    /** Why generation ended, or null while it goes on. */
    public FinishReason finishReason() {
        return finish;
    }

    /** The text still held back once generation has ended normally (a possible stop string that never completed). */
    public String flush() {
        if (finish == FinishReason.CANCELLED || stops.stopped()) return "";
        return stops.add(detokenizer.flush()) + stops.flush();
    }

    /** The token sampled last; the next forward pass stores it. */
    public int lastToken() {
        if (count == 0) throw new IllegalStateException("no token sampled yet");
        return tokens[count - 1];
    }

    /** The position of {@link #lastToken()} in the sequence. */
    public int lastPosition() {
        return promptLength + count - 1;
    }

    /** Tokens generated so far (including a final end-of-generation token). */
    public int generated() {
        return count;
    }

    public int[] tokens() {
        return Arrays.copyOf(tokens, count);
    }

    /** The generated text so far, without stop strings. */
    public String text() {
        return stops.text();
    }

    public long seed() {
        return sampler.seed();
    }

    public GenerationResult result(int cachedTokens, long prefillNanos, long decodeNanos) {
        return new GenerationResult(tokens(), text(), finish == null ? FinishReason.LENGTH : finish, promptLength, cachedTokens,
                prefillNanos, decodeNanos, seed());
    }
}
