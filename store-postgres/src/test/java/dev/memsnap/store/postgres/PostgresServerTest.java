package dev.memsnap.store.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test server's own promises: without PostgreSQL the tests fail and say how to fix it, never skip. */
class PostgresServerTest {
    @TempDir
    Path base;

    @Test
    void withoutPostgresqlInstalledTheTestsFailSayingHowToInstallIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PostgresServer.findBinaries(base));
        assertTrue(e.getMessage().startsWith("PostgreSQL is not installed: no " + base + "/<version>/bin/initdb"),
                e.getMessage());
        assertTrue(e.getMessage().contains(".ci/postgres.sh"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> PostgresServer.findBinaries(base.resolve("absent")));
    }

    @Test
    void theNewestInstalledVersionIsUsed() throws IOException {
        for (String version : new String[] {"9.6", "15", "13"}) {
            Path initdb = Files.createDirectories(base.resolve(version).resolve("bin")).resolve("initdb");
            Files.createFile(initdb,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.createDirectories(base.resolve("16/bin"));
        assertEquals(base.resolve("15/bin"), PostgresServer.findBinaries(base));
    }
}
