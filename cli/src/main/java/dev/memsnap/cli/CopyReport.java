package dev.memsnap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.tools.SnapshotTools;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What {@code export}, {@code import} and {@code rekey} did: how many snapshots were copied, and which could not be. */
final class CopyReport {
    /**
     * One snapshot that could not be copied.
     *
     * @param source its id, or the file it was to be read from
     * @param detail why (the message names the file)
     */
    record Failure(String source, String detail) {
    }

    int copied;
    final List<Failure> failures = new ArrayList<>();
    /** Whether a failure was the target's (a write), not the source's. */
    boolean writeFailed;

    /**
     * @param result what a copy returned
     * @param target the store it copied into, to tell write failures from read failures
     * @param source what to call a failed snapshot, from its id
     */
    void add(SnapshotTools.CopyResult result, RecordingStore target, java.util.function.UnaryOperator<String> source) {
        copied += result.copied();
        for (var f : result.failures()) {
            failures.add(new Failure(source.apply(f.snapshotId()), f.detail()));
            writeFailed |= target.unwritable().contains(f.snapshotId());
        }
    }

    /**
     * @return the exit code: 5 when the target could not be written, 4 when a snapshot could not be read (damaged,
     *         or a key not given)
     */
    int exitCode() {
        return writeFailed ? ExitCodes.IO : failures.isEmpty() ? ExitCodes.OK : ExitCodes.DAMAGED;
    }

    /** @return the report as JSON, with the target's store, directory and format */
    ObjectNode json(StoreHandle target, SnapshotCodec codec) {
        ObjectNode root = Json.object();
        root.put("copied", copied);
        root.put("store", target.opened().name());
        root.put("directory", target.dir() == null ? null : target.dir().toString());
        root.put("format", codec.suffix());
        root.put("key_id", codec.writeKeyId());
        ArrayNode array = root.putArray("failures");
        for (Failure f : failures) {
            array.addObject().put("source", f.source()).put("detail", f.detail());
        }
        return root;
    }

    /** Prints the failures on stderr, one {@code memsnap: } line each. */
    void printFailures(BaseCommand command, String verb) {
        for (Failure f : failures) {
            command.err().println("memsnap: not " + verb + " " + Text.line(f.source()) + ": " + Text.line(f.detail()));
        }
    }

    /**
     * @param codec a store's codec
     * @return its format for people: {@code plain JSON}, {@code zstd}, {@code gzip, encrypted with key 1a2b...}
     */
    static String describe(SnapshotCodec codec) {
        String format = "plain JSON";
        for (Compression c : Compression.values()) {
            if (c != Compression.NONE && codec.suffix().startsWith(c.suffix())) {
                format = c.name().toLowerCase(Locale.ROOT);
            }
        }
        return codec.writeKeyId() == null ? format : format + ", encrypted with key " + codec.writeKeyId();
    }
}
