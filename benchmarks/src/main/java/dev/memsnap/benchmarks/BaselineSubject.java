package dev.memsnap.benchmarks;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The naive baseline behind the benchmarks' interface. */
public final class BaselineSubject implements Subject {
    private final NaiveMemoryManager manager;

    public BaselineSubject(Path dir) {
        this.manager = new NaiveMemoryManager(dir);
    }

    /** @return the baseline manager */
    public NaiveMemoryManager manager() {
        return manager;
    }

    @Override
    public Path dir() {
        return manager.dir();
    }

    @Override
    public String storeDescription() {
        return "whole JSON files[" + manager.dir() + "]";
    }

    @Override
    public void populate(Path seedFile) {
        String id = manager.loadSnapshot(seedFile);
        manager.applySnapshot(id);
    }

    @Override
    public String createSnapshot() {
        return manager.createSnapshot();
    }

    @Override
    public Object save(String snapshotId) {
        return manager.saveSnapshot(snapshotId);
    }

    @Override
    public String load(Object location) {
        return manager.loadSnapshot((Path) location);
    }

    @Override
    public boolean apply(String snapshotId) {
        return manager.applySnapshot(snapshotId);
    }

    @Override
    public int list() {
        return manager.listSnapshots().size();
    }

    @Override
    public void addTurn(String role, String content) {
        manager.addTurn(role, content);
    }

    @Override
    public String addMemory(String content, String sourceType, double importance, List<String> topics) {
        return manager.addMemory(content, sourceType, importance, topics);
    }

    @Override
    public void enableAutoSnapshot(int interval) {
        manager.enableAutoSnapshot(interval);
    }

    @Override
    public int pendingAutomaticSaves() {
        return 0;
    }

    @Override
    public long[] automaticCounters() {
        return new long[]{0, 0, 0, 0}; // saved synchronously: nothing to count
    }

    @Override
    public void deleteStored() {
        if (!Files.isDirectory(dir())) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir(), "snapshot_*.json")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void forget(String snapshotId) {
        manager.forget(snapshotId);
    }

    @Override
    public boolean forgetAll() {
        manager.forgetAll();
        return true;
    }

    @Override
    public void close() {
        // nothing runs in the background
    }

    @Override
    public String toString() {
        return "baseline";
    }
}
