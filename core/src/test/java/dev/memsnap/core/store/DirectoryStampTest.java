package dev.memsnap.core.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a directory's stamp may be trusted to say that its entries are as they were. */
class DirectoryStampTest {
    @TempDir
    Path dir;

    @Test
    void aStampIsSettledOnlyWhenItsLaterTimeIsAtLeastTheSettlingTimeBeforeItWasRead() {
        DirectoryStamp stamp = new DirectoryStamp(1_000, 5_000, "k");
        long settling = 2_000;
        assertTrue(stamp.settledBefore(7_001, settling));
        assertFalse(stamp.settledBefore(7_000, settling), "the change time counts, not only the modification time");
        assertFalse(new DirectoryStamp(5_000, 1_000, "k").settledBefore(7_000, settling));
    }

    @Test
    void restoringTheModificationTimeAfterAChangeStillChangesTheStamp() throws IOException {
        FileTime modified = Files.getLastModifiedTime(dir);
        DirectoryStamp before = DirectoryStamp.of(dir);
        Files.writeString(dir.resolve("new"), "x");
        Files.setLastModifiedTime(dir, modified); // as rsync -t or touch -d would
        DirectoryStamp after = DirectoryStamp.of(dir);
        assertNotEquals(before, after, "the change time, which no one can set back, tells");
    }
}
