package dev.memsnap.dashboard;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The browser tests find Chromium and its driver on PATH or by system property, not at Debian's paths only. */
class BrowserLookupTest {
    private static final String PROPERTY = "memsnap.test.lookup";

    @TempDir
    Path first;
    @TempDir
    Path second;

    @AfterEach
    void clear() {
        System.clearProperty(PROPERTY);
    }

    private static Path executable(Path dir, String name) throws IOException {
        Path file = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void theFirstNameFoundOnPathWinsInPathOrder() throws IOException {
        Files.writeString(first.resolve("chromium"), "not executable");
        Path chrome = executable(first, "google-chrome");
        executable(second, "chromium");
        String path = first + File.pathSeparator + second;
        assertEquals(chrome, Browser.find(PROPERTY, path, Browser.CHROMIUM_NAMES));
        assertEquals(second.resolve("chromium"), Browser.find(PROPERTY, second.toString(), Browser.CHROMIUM_NAMES));
    }

    @Test
    void theSystemPropertyWins() throws IOException {
        Path mine = executable(first, "my-chromedriver");
        executable(second, "chromedriver");
        System.setProperty(PROPERTY, mine.toString());
        assertEquals(mine, Browser.find(PROPERTY, second.toString(), Browser.CHROMEDRIVER_NAMES));
        System.setProperty(PROPERTY, first.resolve("missing").toString());
        AssertionError wrong = assertThrows(AssertionError.class,
                () -> Browser.find(PROPERTY, second.toString(), Browser.CHROMEDRIVER_NAMES));
        assertTrue(wrong.getMessage().contains("is not an executable file"), wrong.getMessage());
    }

    @Test
    void missingEverywhereFailsNamingWhereItLooked() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Browser.find(PROPERTY, first.toString(), List.of("chromedriver")));
        assertTrue(e.getMessage().contains("on PATH") && e.getMessage().contains("-D" + PROPERTY)
                && e.getMessage().contains(".ci/chromium.sh"), e.getMessage());
    }
}
