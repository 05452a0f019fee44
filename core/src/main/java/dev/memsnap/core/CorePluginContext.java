package dev.memsnap.core;

import com.google.inject.Key;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Lifecycle;
import dev.memsnap.api.format.SnapshotEncoding;
import dev.memsnap.api.format.SnapshotFormat;
import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.api.plugin.PluginRuntime;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotIds;
import dev.memsnap.core.format.SnapshotJson;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Optional;

/** Core's offerings to plugins, each an {@code api} view of core's own part. */
@Singleton
final class CorePluginContext implements PluginContext, PluginRuntime {
    private final Clock clock;
    private final SnapshotCodec codec;
    private final SnapshotJson json;
    private final com.google.inject.Injector injector;

    @Inject
    CorePluginContext(Clock clock, SnapshotCodec codec, SnapshotJson json, com.google.inject.Injector injector) {
        this.clock = clock;
        this.codec = codec;
        this.json = json;
        this.injector = injector;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public SnapshotEncoding encoding() {
        return codec;
    }

    @Override
    public SnapshotFormat format() {
        return json;
    }

    @Override
    public boolean isValidSnapshotId(String snapshotId) {
        return SnapshotIds.isValid(snapshotId);
    }

    @Override
    public PluginRuntime runtime() {
        return this;
    }

    @Override
    public EnhancedMemoryManager manager() {
        return injector.getInstance(EnhancedMemoryManager.class);
    }

    @Override
    public dev.memsnap.api.MemoryManagers memories() {
        return injector.getInstance(dev.memsnap.api.MemoryManagers.class);
    }

    @Override
    public SnapshotStore store() {
        return injector.getInstance(SnapshotStore.class);
    }

    @Override
    public <T> Optional<T> service(Class<T> type) {
        if (injector.getExistingBinding(Key.get(PluginParts.class)) != null) {
            for (PluginParts.Part<Lifecycle> part : injector.getInstance(PluginParts.class).services()) {
                if (type.isInstance(part.instance())) {
                    return Optional.of(type.cast(part.instance()));
                }
            }
        }
        for (Lifecycle service : injector.getInstance(Key.get(MemsnapLifecycle.SERVICES_TYPE,
                MemsnapLifecycle.SERVICES))) {
            if (type.isInstance(service)) {
                return Optional.of(type.cast(service));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "memsnap plugin context";
    }
}
