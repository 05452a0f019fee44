package dev.memsnap.core.store;

import dev.memsnap.api.format.DataKeyStorage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The memories' wrapped data keys as files: {@code snapshot_dir/.memsnap/keys/<name>.key}, one per memory, created
 * once (under a lock, so that two processes never give one memory two keys), replaced atomically, destroyed by
 * overwriting, deleting and syncing the directory. Files are made owner-only where POSIX permissions exist.
 */
final class KeyFiles implements DataKeyStorage {
    static final String KEYS_DIR = "keys";
    private static final String SUFFIX = ".key";
    private static final String LOCK = ".lock";
    private static final int MAX_KEY_FILE_BYTES = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    /** @param snapshotDir the root of a directory store: its keys are in its hidden folder */
    KeyFiles(Path snapshotDir) {
        this.dir = snapshotDir.toAbsolutePath().normalize().resolve(FileSnapshotStore.META_DIR).resolve(KEYS_DIR);
    }

    private Path fileOf(String name) {
        if (!name.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("not a data key name: " + name);
        }
        return dir.resolve(name + SUFFIX);
    }

    @Override
    public Optional<byte[]> read(String name) throws IOException {
        Path file = fileOf(name);
        try {
            if (Files.isSymbolicLink(file) || Files.size(file) > MAX_KEY_FILE_BYTES) {
                throw new IOException(file + " is not a data key file (a link, or too large)");
            }
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        }
    }

    @Override
    public byte[] createIfAbsent(String name, byte[] wrapped) throws IOException {
        Path file = fileOf(name);
        prepare();
        return DirectoryLock.holding(dir.resolve(LOCK), () -> {
            Optional<byte[]> existing = read(name);
            if (existing.isPresent()) {
                return existing.get();
            }
            AtomicFiles.write(file, out -> out.write(wrapped));
            ownerOnly(file);
            return wrapped;
        });
    }

    @Override
    public void replace(String name, byte[] wrapped) throws IOException {
        Path file = fileOf(name);
        prepare();
        DirectoryLock.holding(dir.resolve(LOCK), () -> {
            AtomicFiles.write(file, out -> out.write(wrapped));
            ownerOnly(file);
            return null;
        });
    }

    @Override
    public boolean destroy(String name) throws IOException {
        Path file = fileOf(name);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        return DirectoryLock.holding(dir.resolve(LOCK), () -> {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            if (!Files.isSymbolicLink(file)) {
                // Overwritten in place first, so that the bytes do not linger in the freed blocks of a simple file
                // system; on copy-on-write file systems and SSDs only the deletion is sure, which is why the key
                // never leaves this file and backups of it are the caller's to exclude.
                long size = Files.size(file);
                byte[] noise = new byte[(int) Math.min(size, MAX_KEY_FILE_BYTES)];
                RANDOM.nextBytes(noise);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.write(java.nio.ByteBuffer.wrap(noise), 0);
                    channel.force(true);
                }
            }
            Files.delete(file);
            AtomicFiles.fsyncDirectory(dir);
            return true;
        });
    }

    @Override
    public List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                name = name.substring(0, name.length() - SUFFIX.length());
                if (name.matches("[0-9a-f]{32}")) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    @Override
    public String describe() {
        return dir.toString();
    }

    /**
     * Reads a key from the first of several key folders that holds it: for a snapshot file read by path, whose store
     * is not known for certain. Writes go to the first.
     */
    static final class FirstHolding implements DataKeyStorage {
        private final List<KeyFiles> places;

        FirstHolding(List<KeyFiles> places) {
            this.places = List.copyOf(places);
        }

        @Override
        public Optional<byte[]> read(String name) throws IOException {
            for (KeyFiles place : places) {
                Optional<byte[]> key = place.read(name);
                if (key.isPresent()) {
                    return key;
                }
            }
            return Optional.empty();
        }

        @Override
        public byte[] createIfAbsent(String name, byte[] wrapped) throws IOException {
            return places.get(0).createIfAbsent(name, wrapped);
        }

        @Override
        public void replace(String name, byte[] wrapped) throws IOException {
            for (KeyFiles place : places) {
                if (place.read(name).isPresent()) {
                    place.replace(name, wrapped);
                    return;
                }
            }
            places.get(0).replace(name, wrapped);
        }

        @Override
        public boolean destroy(String name) throws IOException {
            boolean destroyed = false;
            for (KeyFiles place : places) {
                destroyed |= place.destroy(name);
            }
            return destroyed;
        }

        @Override
        public List<String> names() throws IOException {
            return places.get(0).names();
        }

        @Override
        public String describe() {
            return places.stream().map(KeyFiles::describe).distinct().collect(java.util.stream.Collectors.joining(
                    " or "));
        }
    }

    private void prepare() throws IOException {
        TagFiles.requireNotALink(dir.getParent());
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a symbolic link; memsnap keeps data keys only in its own folder");
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            ownerOnly(dir);
            AtomicFiles.fsyncDirectory(dir.getParent());
        }
    }

    private static void ownerOnly(Path path) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                    Files.isDirectory(path) ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // no POSIX permissions here
        }
    }
}
