package dev.memsnap.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Files a store leaves in its directory besides snapshots: temporary files of interrupted saves; and cleaning up. */
final class TempFiles {
    private TempFiles() {
    }

    /**
     * @param dir a snapshot directory
     * @return the temporary files of interrupted saves ({@code .<name>.<hex>.tmp}) anywhere under it: the file store
     *         keeps them beside snapshots and in {@code .memsnap}, the incremental store in its chunk, manifest and
     *         tag folders
     */
    static List<Path> in(Path dir) throws IOException {
        List<Path> temps = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir, 4)) {
                files.filter(f -> f.getFileName().toString().startsWith(".")
                        && f.getFileName().toString().endsWith(".tmp")).forEach(temps::add);
            }
        }
        return temps;
    }

    /** Deletes a directory and everything in it; nothing when it is not there. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
