package dev.memsnap.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a directory's own inode says about its entries: its modification and change times and its identity. Creating,
 * deleting or renaming an entry sets both times (whoever does it: this store, another process, a person with
 * {@code cp}, {@code mv} or {@code rm}); restoring the modification time afterwards ({@code rsync -t},
 * {@code touch -d}) still sets the change time, which no one can set back. So while a directory's stamp is unchanged,
 * its list of names is too, <em>provided</em> the stamp was read long enough after its last change: a file system
 * keeps these times at a coarse granularity (a clock tick of a few milliseconds on ext4, one or two seconds on
 * HFS+, FAT and some network file systems, whose server clock may also differ from ours), and two changes within one
 * such step leave the same stamp. {@link #settledBefore} is that rule: a stamp counts as settled only if its later
 * time is at least {@link #SETTLING} before the moment it was read.
 *
 * <p>The stamp says nothing about a file rewritten in place (same name, same inode: {@code cp} onto an existing file,
 * {@code truncate}); that changes the file, not the directory.
 *
 * @param modifiedNanos the directory's modification time, nanoseconds since the epoch
 * @param changedNanos  its change time where the platform tells it (Linux, macOS), else its creation time
 * @param key           its identity (device and inode) where the platform tells it, else empty
 */
record DirectoryStamp(long modifiedNanos, long changedNanos, String key) {
    /**
     * How long after its last change a stamp must have been read to be trusted while unchanged: more than the
     * coarsest time granularity of a file system in use (FAT's two seconds) plus a modest clock difference between a
     * network file system's server and this machine.
     */
    static final long SETTLING = TimeUnit.SECONDS.toNanos(2);

    /**
     * @param dir a directory
     * @return its stamp now
     * @throws IOException when it cannot be read (a missing directory included)
     */
    static DirectoryStamp of(Path dir) throws IOException {
        try {
            Map<String, Object> unix = Files.readAttributes(dir, "unix:lastModifiedTime,ctime,dev,ino");
            return new DirectoryStamp(nanos((FileTime) unix.get("lastModifiedTime")), nanos((FileTime) unix.get("ctime")),
                    unix.get("dev") + "/" + unix.get("ino"));
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            BasicFileAttributes basic = Files.readAttributes(dir, BasicFileAttributes.class);
            return new DirectoryStamp(nanos(basic.lastModifiedTime()), nanos(basic.creationTime()),
                    String.valueOf(basic.fileKey() == null ? "" : basic.fileKey()));
        }
    }

    /** @return the current time as this class counts it, nanoseconds since the epoch, for {@link #settledBefore} */
    static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Written out rather than a record's generated equality, whose first call in a process spins method handles
     * (about 15 ms): a fresh process's first listing compares two stamps.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof DirectoryStamp o && modifiedNanos == o.modifiedNanos && changedNanos == o.changedNanos
                && key.equals(o.key);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(modifiedNanos) * 31 + Long.hashCode(changedNanos) * 17 + key.hashCode();
    }

    private static long nanos(FileTime time) {
        return time.to(TimeUnit.NANOSECONDS);
    }

    /**
     * @param readAtNanos when the stamp was read (taken just before reading it, by {@link #nowNanos()})
     * @param settling    how far before that its last change must be: {@link #SETTLING}, or less in tests
     * @return whether any later change of the directory is bound to change this stamp
     */
    boolean settledBefore(long readAtNanos, long settling) {
        return Math.max(modifiedNanos, changedNanos) < readAtNanos - settling;
    }
}
