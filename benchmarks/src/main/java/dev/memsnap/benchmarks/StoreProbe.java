package dev.memsnap.benchmarks;

import dev.memsnap.api.Memory;

import java.nio.file.Path;

/**
 * Finds out whether this core gives an incremental store for {@code memory.store: incremental}. Until that store
 * exists the key is ignored and the configuration silently gives the plain file store, so the benchmarks must not
 * take the answer on trust: the store counts as incremental when its class name or description says so, or when it
 * behaves so (a save after adding {@value #ADDED} of {@value #MEMORIES} memories writes less than half of a full
 * save).
 *
 * @param available   whether the incremental benchmarks can run
 * @param description the store the configuration gave, or why there was none
 * @param named       whether the store's name says incremental
 * @param fullBytes   bytes of the first save
 * @param deltaBytes  bytes of the save after the additions
 */
public record StoreProbe(boolean available, String description, boolean named, long fullBytes, long deltaBytes) {
    static final int MEMORIES = 500;
    static final int ADDED = 5;

    /** @return what {@code memory.store: incremental} gives in this core */
    public static StoreProbe run() {
        Path dir = BenchEnv.newDir("probe");
        MemsnapSubject subject;
        try {
            subject = MemsnapSubject.start(dir, true);
        } catch (RuntimeException e) {
            BenchEnv.deleteTree(dir);
            return new StoreProbe(false, "memsnap refused memory.store: incremental: " + e.getMessage(), false, 0, 0);
        }
        try {
            boolean named = subject.storeIsIncremental();
            DataGenerator generator = new DataGenerator();
            for (int i = 0; i < MEMORIES; i++) {
                add(subject, generator.memory(i));
            }
            long before = BenchEnv.directorySize(dir);
            subject.save(subject.createSnapshot());
            long full = BenchEnv.directorySize(dir) - before;
            for (int i = 0; i < ADDED; i++) {
                add(subject, generator.memory(MEMORIES + i));
            }
            before = BenchEnv.directorySize(dir);
            subject.save(subject.createSnapshot());
            long delta = BenchEnv.directorySize(dir) - before;
            boolean behaves = full > 0 && delta < full / 2;
            return new StoreProbe(named || behaves, subject.storeDescription(), named, full, delta);
        } finally {
            subject.close();
            BenchEnv.deleteTree(dir);
        }
    }

    private static void add(Subject subject, Memory m) {
        subject.addMemory(m.content(), m.sourceType(), m.importance(), m.topics());
    }

    /** @return one line for the report */
    public String summary() {
        if (fullBytes == 0 && deltaBytes == 0) {
            return description;
        }
        String behaviour = "a save after adding " + ADDED + " of " + MEMORIES + " memories wrote " + deltaBytes
                + " bytes, a full save " + fullBytes;
        return description + (available ? " (" : " (not incremental: ") + behaviour + ")";
    }
}
