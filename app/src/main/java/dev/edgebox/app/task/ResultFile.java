package dev.edgebox.app.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgebox.engine.EngineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The output of a batch: JSON lines, appended one result at a time and forced to disk, each naming
 * the input line it answers ({@code "line"}). Opening an existing file reads which lines are done,
 * so an interrupted run resumes where it stopped; a last line cut off mid-write (the process was
 * killed) is dropped and its item done again. Results are written in the order they finish.
 */
final class ResultFile implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final Map<Integer, JsonNode> done;

    private ResultFile(Path path, FileChannel channel, Map<Integer, JsonNode> done) {
        this.path = path;
        this.channel = channel;
        this.done = done;
    }

    /**
     * Opens (or creates) the file and reads the results already in it.
     *
     * @param inputLines lines of the input; a result for a line beyond it means the file belongs to another input
     */
    static ResultFile open(Path path, int inputLines) throws IOException {
        if (path.getParent() != null) Files.createDirectories(path.getParent());
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            byte[] bytes = Files.readAllBytes(path);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') end--; // a line without its newline was cut off mid-write
            if (end < bytes.length) ch.truncate(end);
            Map<Integer, JsonNode> done = new HashMap<>();
            int start = 0, number = 0;
            for (int i = 0; i < end; i++) {
                if (bytes[i] != '\n') continue;
                number++;
                String text = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
                if (text.isBlank()) continue;
                JsonNode r = parse(text);
                if (r == null || !r.path("line").canConvertToInt() || !r.path("line").isIntegralNumber()) {
                    throw new EngineException(path + " line " + number + " is not a result of edgebox task (JSON with a \"line\" number);"
                            + " choose another --out or move the file away");
                }
                int line = r.path("line").asInt();
                if (line < 1 || line > inputLines) {
                    throw new EngineException(path + " holds a result for input line " + line + " but the input has " + inputLines
                            + " lines: it belongs to another input; choose another --out");
                }
                done.put(line, r);
            }
            ch.position(end);
            return new ResultFile(path, ch, done);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    Path path() {
        return path;
    }

    /** The results already in the file, by input line. */
    Map<Integer, JsonNode> done() {
        return done;
    }

    /** Appends one result and forces it to disk before returning: once written, a result survives a crash. */
    synchronized void append(JsonNode result) {
        try {
            ByteBuffer b = ByteBuffer.wrap((JSON.writeValueAsString(result) + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) channel.write(b);
            channel.force(false);
            done.put(result.path("line").asInt(), result);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
