package dev.memsnap.reliability;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default file system seen through a wrapper that fails writes on demand, for where a small real file system cannot
 * be mounted and to fail each step of a save in turn. Two kinds of fault:
 * <ul>
 *   <li>a budget of free bytes, spent by writes and given back by deletes; a write beyond it writes what fits and
 *       fails with {@code No space left on device}, as a full disk does;</li>
 *   <li>a fault at the n-th mutating operation (opening for write, write, fsync, rename, delete, mkdir).</li>
 * </ul>
 * Reads pass through untouched. Paths of this file system wrap default paths; {@link Path#toUri()} and
 * {@link Path#toFile()} give the real file's, so that what a store returns stays usable.
 */
final class FaultyFileSystem extends FileSystem {
    /** The message a full disk gives on Linux (ENOSPC), so that tests of both disks check the same text. */
    static final String NO_SPACE = "No space left on device";

    private final FileSystem real = FileSystems.getDefault();
    private final Provider provider = new Provider();
    private final AtomicInteger operations = new AtomicInteger();
    private final List<String> operationLog = Collections.synchronizedList(new ArrayList<>());
    private long freeBytes = Long.MAX_VALUE;
    private volatile int failAt;

    /**
     * @param realPath a path of the default file system
     * @return the same file seen through this file system
     */
    Path wrap(Path realPath) {
        return new FaultyPath(realPath);
    }

    /** Sets how many bytes writes may add before the disk is full; {@link Long#MAX_VALUE} for no limit. */
    synchronized void setFreeBytes(long bytes) {
        freeBytes = bytes;
    }

    /**
     * Counts mutating operations from zero again and fails the n-th from now.
     *
     * @param n the operation to fail, from 1; 0 for none
     */
    void failOperation(int n) {
        operations.set(0);
        operationLog.clear();
        failAt = n;
    }

    /** @return mutating operations since the last {@link #failOperation} */
    int operationCount() {
        return operations.get();
    }

    /** @return what those operations were, for messages */
    List<String> operationLog() {
        synchronized (operationLog) {
            return List.copyOf(operationLog);
        }
    }

    private void mutating(String operation, Path path) throws IOException {
        int n = operations.incrementAndGet();
        operationLog.add(n + ": " + operation + " " + path.getFileName());
        if (n == failAt) {
            throw new IOException("injected fault at operation " + n + ": " + operation + " " + path);
        }
    }

    /** @return how many of {@code wanted} bytes fit; throws when none does */
    private synchronized int reserve(int wanted) throws IOException {
        if (wanted == 0) {
            return 0;
        }
        if (freeBytes <= 0) {
            throw new IOException(NO_SPACE);
        }
        int granted = (int) Math.min(wanted, freeBytes);
        freeBytes -= granted;
        return granted;
    }

    private synchronized void release(long bytes) {
        freeBytes = freeBytes > Long.MAX_VALUE - bytes ? Long.MAX_VALUE : freeBytes + bytes;
    }

    private static Path unwrap(Path path) {
        if (path instanceof FaultyPath faulty) {
            return faulty.real;
        }
        throw new java.nio.file.ProviderMismatchException("not a path of the faulty file system: " + path);
    }

    private static long sizeIfFile(Path realPath) {
        try {
            return Files.isRegularFile(realPath, LinkOption.NOFOLLOW_LINKS) ? Files.size(realPath) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    // ------------------------------------------------------------------------------------------ FileSystem

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        // the default file system cannot be closed
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return real.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        List<Path> roots = new ArrayList<>();
        real.getRootDirectories().forEach(root -> roots.add(wrap(root)));
        return roots;
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return real.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return real.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return wrap(real.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher matcher = real.getPathMatcher(syntaxAndPattern);
        return path -> matcher.matches(unwrap(path));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return real.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("no watching on the faulty file system");
    }

    // ------------------------------------------------------------------------------------------ Path

    private final class FaultyPath implements Path {
        private final Path real;

        FaultyPath(Path real) {
            this.real = real;
        }

        private Path wrapOrNull(Path p) {
            return p == null ? null : wrap(p);
        }

        @Override
        public FileSystem getFileSystem() {
            return FaultyFileSystem.this;
        }

        @Override
        public boolean isAbsolute() {
            return real.isAbsolute();
        }

        @Override
        public Path getRoot() {
            return wrapOrNull(real.getRoot());
        }

        @Override
        public Path getFileName() {
            return wrapOrNull(real.getFileName());
        }

        @Override
        public Path getParent() {
            return wrapOrNull(real.getParent());
        }

        @Override
        public int getNameCount() {
            return real.getNameCount();
        }

        @Override
        public Path getName(int index) {
            return wrap(real.getName(index));
        }

        @Override
        public Path subpath(int beginIndex, int endIndex) {
            return wrap(real.subpath(beginIndex, endIndex));
        }

        @Override
        public boolean startsWith(Path other) {
            return other instanceof FaultyPath f && real.startsWith(f.real);
        }

        @Override
        public boolean endsWith(Path other) {
            return other instanceof FaultyPath f && real.endsWith(f.real);
        }

        @Override
        public Path normalize() {
            return wrap(real.normalize());
        }

        @Override
        public Path resolve(Path other) {
            return wrap(real.resolve(unwrap(other)));
        }

        @Override
        public Path relativize(Path other) {
            return wrap(real.relativize(unwrap(other)));
        }

        @Override
        public URI toUri() {
            return real.toUri();
        }

        @Override
        public java.io.File toFile() {
            return real.toFile();
        }

        @Override
        public Path toAbsolutePath() {
            return wrap(real.toAbsolutePath());
        }

        @Override
        public Path toRealPath(LinkOption... options) throws IOException {
            return wrap(real.toRealPath(options));
        }

        @Override
        public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
            throw new UnsupportedOperationException("no watching on the faulty file system");
        }

        @Override
        public int compareTo(Path other) {
            return real.compareTo(unwrap(other));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof FaultyPath f && real.equals(f.real);
        }

        @Override
        public int hashCode() {
            return real.hashCode();
        }

        @Override
        public String toString() {
            return real.toString();
        }
    }

    // ------------------------------------------------------------------------------------------ provider

    private final class Provider extends FileSystemProvider {
        @Override
        public String getScheme() {
            return "faulty";
        }

        @Override
        public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileSystem getFileSystem(URI uri) {
            return FaultyFileSystem.this;
        }

        @Override
        public Path getPath(URI uri) {
            return wrap(Path.of(uri));
        }

        @Override
        public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
                                                  FileAttribute<?>... attrs) throws IOException {
            return newFileChannel(path, options, attrs);
        }

        @Override
        public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
                throws IOException {
            Path target = unwrap(path);
            boolean writing = options.contains(StandardOpenOption.WRITE)
                    || options.contains(StandardOpenOption.APPEND);
            if (writing) {
                mutating("open for write", target);
            }
            return new FaultyChannel(FileChannel.open(target, options, attrs), target);
        }

        @Override
        public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
                throws IOException {
            DirectoryStream<Path> stream = Files.newDirectoryStream(unwrap(dir), p -> filter.accept(wrap(p)));
            return new DirectoryStream<>() {
                @Override
                public Iterator<Path> iterator() {
                    Iterator<Path> it = stream.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Path next() {
                            return wrap(it.next());
                        }
                    };
                }

                @Override
                public void close() throws IOException {
                    stream.close();
                }
            };
        }

        @Override
        public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
            mutating("mkdir", unwrap(dir));
            Files.createDirectory(unwrap(dir), attrs);
        }

        @Override
        public void delete(Path path) throws IOException {
            Path target = unwrap(path);
            mutating("delete", target);
            long size = sizeIfFile(target);
            Files.delete(target);
            release(size);
        }

        @Override
        public boolean deleteIfExists(Path path) throws IOException {
            Path target = unwrap(path);
            mutating("delete if exists", target);
            long size = sizeIfFile(target);
            boolean deleted = Files.deleteIfExists(target);
            if (deleted) {
                release(size);
            }
            return deleted;
        }

        @Override
        public void copy(Path source, Path target, CopyOption... options) throws IOException {
            mutating("copy", unwrap(target));
            reserve((int) Math.min(Integer.MAX_VALUE, sizeIfFile(unwrap(source))));
            Files.copy(unwrap(source), unwrap(target), options);
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            Path to = unwrap(target);
            mutating("rename", to);
            long replaced = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING) ? sizeIfFile(to) : 0;
            Files.move(unwrap(source), to, options);
            release(replaced);
        }

        @Override
        public boolean isSameFile(Path path, Path path2) throws IOException {
            return Files.isSameFile(unwrap(path), unwrap(path2));
        }

        @Override
        public boolean isHidden(Path path) throws IOException {
            return Files.isHidden(unwrap(path));
        }

        @Override
        public FileStore getFileStore(Path path) throws IOException {
            return Files.getFileStore(unwrap(path));
        }

        @Override
        public void checkAccess(Path path, AccessMode... modes) throws IOException {
            Path target = unwrap(path);
            target.getFileSystem().provider().checkAccess(target, modes);
        }

        @Override
        public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type,
                                                                    LinkOption... options) {
            return Files.getFileAttributeView(unwrap(path), type, options);
        }

        @Override
        public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
                throws IOException {
            return Files.readAttributes(unwrap(path), type, options);
        }

        @Override
        public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
                throws IOException {
            return Files.readAttributes(unwrap(path), attributes, options);
        }

        @Override
        public void setAttribute(Path path, String attribute, Object value, LinkOption... options)
                throws IOException {
            Files.setAttribute(unwrap(path), attribute, value, options);
        }
    }

    // ------------------------------------------------------------------------------------------ channel

    /** A file channel whose writes spend the free-byte budget and whose writes and fsyncs can be failed. */
    private final class FaultyChannel extends FileChannel {
        private final FileChannel channel;
        private final Path file;

        FaultyChannel(FileChannel channel, Path file) {
            this.channel = channel;
            this.file = file;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            mutating("write", file);
            int wanted = src.remaining();
            int granted = reserve(wanted);
            if (granted < wanted) {
                // A full disk writes what fits; the caller's next write then fails.
                ByteBuffer part = src.slice().limit(granted);
                int written = channel.write(part);
                src.position(src.position() + written);
                return written;
            }
            return channel.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
            }
            return total;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            mutating("write", file);
            reserve(src.remaining());
            return channel.write(src, position);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            mutating("fsync", file);
            channel.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return channel.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            mutating("truncate", file);
            channel.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return channel.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new UnsupportedOperationException("transferFrom would bypass the fault budget");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            if (mode != MapMode.READ_ONLY) {
                throw new UnsupportedOperationException("writable maps would bypass the fault budget");
            }
            return channel.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return channel.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return channel.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }
    }
}
