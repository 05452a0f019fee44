package dev.memsnap.reliability;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.KeySource;
import dev.memsnap.core.format.SnapshotIds;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The child JVM of the crash test: saves {@link SequencedSnapshots} in a loop until it is killed, and after each save
 * returns appends the id to an acknowledgement file and fsyncs it, so that the parent knows the last save that was
 * promised durable. Every fourth save also replaces an earlier, already acknowledged snapshot (in another encoding in
 * {@code mixed} mode), so that kills also land inside a replacement.
 * <pre>
 * java -cp CLASSPATH dev.memsnap.reliability.CrashWriter DIR MODE ACK_FILE [KEY_FILE]
 * </pre>
 * MODE is a {@link Layers} name in lower case ({@code plain}, {@code gzip}, {@code zstd}, {@code encrypted},
 * {@code gzip_encrypted}, {@code zstd_encrypted}) or {@code mixed} (every encoding in turn), for the file store; or
 * {@code incremental} or {@code incremental_<layers>} for the incremental store. KEY_FILE holds the key of the
 * encrypted modes. The loop is bounded in count and time, so a writer whose parent died ends by itself.
 */
public final class CrashWriter {
    /** The most saves one writer makes before it stops by itself. */
    static final int MAX_SAVES = 20_000;
    /** The longest one writer runs before it stops by itself. */
    static final long MAX_RUN_NANOS = 120_000_000_000L;

    private CrashWriter() {
    }

    /**
     * @param mode a mode name
     * @return the encodings the writer uses in that mode, in turn
     */
    static List<Layers> layersOf(String mode) {
        if (mode.equals("incremental")) {
            return List.of(Layers.PLAIN);
        }
        if (mode.startsWith("incremental_")) {
            return layersOf(mode.substring("incremental_".length()));
        }
        if (mode.equals("mixed")) {
            return Arrays.asList(Layers.values());
        }
        return List.of(Layers.valueOf(mode.toUpperCase(Locale.ROOT)));
    }

    /**
     * @param mode a mode name
     * @return the store the writer saves into in that mode
     */
    static Stores.Kind storeOf(String mode) {
        return mode.startsWith("incremental") ? Stores.Kind.INCREMENTAL : Stores.Kind.FILE;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: CrashWriter DIR MODE ACK_FILE [KEY_FILE]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<Layers> layers = layersOf(args[1]);
        Path ack = Path.of(args[2]);
        KeyRing keys = args.length > 3
                ? KeyRing.of(new KeySource.KeyFile(Path.of(args[3])), List.of(), Map.of())
                : null;
        List<SnapshotStore> stores = new ArrayList<>();
        for (Layers layer : layers) {
            stores.add(Stores.started(storeOf(args[1]), dir, layer.codec(keys)));
        }

        long seq = lastAcknowledged(ack);
        try (FileChannel acks = FileChannel.open(ack, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            if (acks.size() > 0 && !endsWithNewline(ack)) {
                // A kill tore the last acknowledgement: end it, so the next one starts on its own line.
                acks.write(ByteBuffer.wrap(new byte[] {'\n'}));
            }
            long deadline = System.nanoTime() + MAX_RUN_NANOS;
            for (int i = 0; i < MAX_SAVES && System.nanoTime() - deadline < 0; i++) {
                seq++;
                stores.get((int) (seq % stores.size())).save(SequencedSnapshots.snapshot(seq));
                acks.write(ByteBuffer.wrap((SequencedSnapshots.idOf(seq) + "\n").getBytes(StandardCharsets.US_ASCII)));
                acks.force(true);
                if (seq % 4 == 0 && seq > 3) {
                    long old = seq - 3;
                    stores.get((int) ((old + 1) % stores.size())).save(SequencedSnapshots.snapshot(old));
                }
            }
        }
    }

    /**
     * @param ack the acknowledgement file
     * @return the ids acknowledged in it, in order; a torn last line is left out
     * @throws IOException when it cannot be read
     */
    static List<String> acknowledged(Path ack) throws IOException {
        if (!Files.exists(ack)) {
            return List.of();
        }
        String text = Files.readString(ack, StandardCharsets.US_ASCII);
        List<String> ids = new ArrayList<>();
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
            String line = text.substring(start, end);
            // A torn acknowledgement, ended by the next writer, is no id: its save was never promised.
            if (SnapshotIds.isValid(line)) {
                ids.add(line);
            }
        }
        return ids;
    }

    private static long lastAcknowledged(Path ack) throws IOException {
        List<String> ids = acknowledged(ack);
        long last = 0;
        for (String id : ids) {
            last = Math.max(last, SequencedSnapshots.seqOf(id));
        }
        return last;
    }

    private static boolean endsWithNewline(Path ack) throws IOException {
        byte[] bytes = Files.readAllBytes(ack);
        return bytes.length == 0 || bytes[bytes.length - 1] == '\n';
    }
}
