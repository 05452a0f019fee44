package dev.memsnap.core.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the steps of saves that must not interleave (a file and its checksum, a manifest and its index line)
 * among threads, store instances and processes sharing one directory: a lock per lock file within this JVM, since
 * Java's file locks are held per JVM, and the file lock across processes.
 */
final class DirectoryLock {
    private static final ConcurrentMap<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    private DirectoryLock() {
    }

    /** Work done under the lock. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws IOException;
    }

    static <T> T holding(Path lockFile, Work<T> work) throws IOException {
        ReentrantLock lock = IN_THIS_JVM.computeIfAbsent(lockFile.toAbsolutePath().normalize(),
                k -> new ReentrantLock());
        lock.lock();
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return work.run();
            }
        } finally {
            lock.unlock();
        }
    }
}
