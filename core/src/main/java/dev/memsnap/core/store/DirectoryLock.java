package dev.memsnap.core.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the steps of saves that must not interleave (a file and its checksum, a manifest and its index line)
 * among threads, store instances and processes sharing one directory: a lock per lock file within this JVM, since
 * Java's file locks are held per JVM, and the file lock across processes.
 */
final class DirectoryLock {
    /**
     * Striped rather than one per lock file, so that a host with a directory per memory id, millions of them, keeps
     * a fixed number of locks; two files that share a stripe only wait for each other within this JVM.
     */
    private static final ReentrantLock[] IN_THIS_JVM = new ReentrantLock[256];

    static {
        for (int i = 0; i < IN_THIS_JVM.length; i++) {
            IN_THIS_JVM[i] = new ReentrantLock();
        }
    }

    private DirectoryLock() {
    }

    /** Work done under the lock. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws IOException;
    }

    static <T> T holding(Path lockFile, Work<T> work) throws IOException {
        ReentrantLock lock = IN_THIS_JVM[Math.floorMod(lockFile.toAbsolutePath().normalize().hashCode(),
                IN_THIS_JVM.length)];
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
