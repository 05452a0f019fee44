package dev.memsnap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An empty path (an unset shell variable, say) never silently means the working directory. */
class EmptyPathTest {
    @TempDir
    Path dir;

    @Test
    void everyPathOptionAndParameterRefusesTheEmptyString() throws Exception {
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        for (List<String> args : List.of(
                List.of("list", "--dir", ""),
                List.of("export", "--dir", store.toString(), "--to", ""),
                List.of("import", "", "--dir", store.toString()),
                List.of("list", "--config", ""),
                List.of("list", "--dir", store.toString(), "--key-file", ""),
                List.of("keygen", ""))) {
            Cli.Result result = new Cli().workDir(dir).run(args.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, result.code(), args + ": " + result);
            assertTrue(result.err().contains("an empty path"), args + ": " + result);
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(store), files.toList(), "nothing written in the working directory");
        }
    }
}
