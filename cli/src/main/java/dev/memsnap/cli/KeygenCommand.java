package dev.memsnap.cli;

import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/** {@code memsnap keygen}: a new random key in a file only its owner can read. */
@Command(name = "keygen", header = "Write a new random key file (mode 0600).",
        description = {
                "Writes a new random 256-bit key to FILE, as base64, readable by its owner only (mode 0600). "
                        + "Refuses to overwrite an existing file (exit 2): replacing a key loses every snapshot "
                        + "encrypted with it.",
                "The key is never printed; only its id (a fingerprint that reveals nothing of it), which encrypted "
                        + "files carry in their header.",
        })
final class KeygenCommand extends BaseCommand {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @Parameters(paramLabel = "FILE", description = "Where to write the key. Must not exist.")
    Path file;

    @Override
    int run() throws IOException {
        Path target = context().resolve(file);
        byte[] key = KeyRing.generateKey();
        byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        String keyId = SnapshotCodec.plain().withKeys(KeyRing.ofKey(key)).writeKeyId();
        Arrays.fill(key, (byte) 0);
        try {
            write(target, text);
        } catch (FileAlreadyExistsException e) {
            throw usage(target + " already exists; refusing to overwrite it (if it is a key, snapshots encrypted "
                    + "with it would be lost)");
        } finally {
            Arrays.fill(text, (byte) 0);
        }
        out().println("wrote a new 256-bit key to " + Text.line(target.toString()) + " (key id " + keyId + ")");
        out().println("use it with memory.encryption.key_file: " + Text.line(target.toString())
                + " (or --key-file), and keep a copy somewhere safe: what it encrypts cannot be read without it");
        return ExitCodes.OK;
    }

    /** Creates the file owner-only from the start, so the key is never readable by others, even for a moment. */
    private static void write(Path target, byte[] content) throws IOException {
        boolean posix = target.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        boolean complete = false;
        try (FileChannel channel = FileChannel.open(target,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
            try {
                if (posix) {
                    Files.setPosixFilePermissions(target, OWNER_ONLY); // the umask may have narrowed it further
                }
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
                complete = true;
            } finally {
                if (!complete) {
                    Files.deleteIfExists(target); // never leave a truncated key behind
                }
            }
        }
    }
}
