package dev.memsnap.benchmarks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The JSON peer of issue #17: plain Jackson databind of the snapshot format into Java records, with nothing
 * memsnap-specific (no validation, timestamps kept as strings, metadata and statistics as maps), indented as memsnap
 * writes. Component names are the format's field names, so no naming strategy or annotation is needed; unknown
 * fields are ignored.
 */
public final class JacksonRecords {
    /** A snapshot document. */
    public record Snapshot(String snapshot_id, String timestamp, ShortTerm short_term, LongTerm long_term,
                           Map<String, Object> memory_stats) {
    }

    /** Short-term memory. */
    public record ShortTerm(List<TurnRecord> turns, int turn_count, String session_start) {
    }

    /** One turn. */
    public record TurnRecord(String role, String content) {
    }

    /** Long-term memory. */
    public record LongTerm(Map<String, MemoryRecord> memories, List<String> topics, int memory_count) {
    }

    /** One memory. */
    public record MemoryRecord(String content, String timestamp, double importance, Map<String, Object> metadata) {
    }

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** @return the document read into records */
    public Snapshot read(byte[] bytes) {
        try {
            return mapper.readValue(bytes, Snapshot.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the records as a document. */
    public void write(Snapshot snapshot, OutputStream out) throws IOException {
        mapper.writeValue(out, snapshot);
    }

    /** @return the records as a document */
    public byte[] toBytes(Snapshot snapshot) {
        try {
            return mapper.writeValueAsBytes(snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
