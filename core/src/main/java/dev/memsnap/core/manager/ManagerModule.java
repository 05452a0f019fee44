package dev.memsnap.core.manager;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Names;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.api.memory.LongTermMemory;
import dev.memsnap.api.memory.ShortTermMemory;

import java.time.Clock;

/**
 * Binds the memory manager and its defaults. Each default is an {@link OptionalBinder} default a host replaces with
 * {@code setBinding()}:
 * <ul>
 *   <li>{@link EnhancedMemoryManager}: core's manager ({@link #CORE_MANAGER}); a decorator such as the websocket
 *       module's wraps {@link #CORE_MANAGER} and binds itself here;</li>
 *   <li>{@link ShortTermMemory} and {@link LongTermMemory}: kept in memory;</li>
 *   <li>{@link Clock}: UTC system time.</li>
 * </ul>
 * Event backends are a {@link Multibinder} set of {@link SnapshotEventListener}: every bound listener receives every
 * event; core contributes one that logs at DEBUG. Needs a bound {@link dev.memsnap.core.MemoryConfig} and
 * {@link dev.memsnap.api.store.SnapshotStore}.
 */
public final class ManagerModule extends AbstractModule {
    /** The {@code @Named} name of {@link #CORE_MANAGER}, for {@code @Provides} parameters of decorators. */
    public static final String CORE_MANAGER_NAME = "memsnap.core";
    /** Core's own manager, before any decoration. */
    public static final Key<EnhancedMemoryManager> CORE_MANAGER =
            Key.get(EnhancedMemoryManager.class, Names.named(CORE_MANAGER_NAME));

    @Override
    protected void configure() {
        bind(CORE_MANAGER).to(DefaultEnhancedMemoryManager.class);
        bind(DefaultEnhancedMemoryManager.class).in(Singleton.class);
        OptionalBinder.newOptionalBinder(binder(), EnhancedMemoryManager.class).setDefault().to(CORE_MANAGER);
        OptionalBinder.newOptionalBinder(binder(), ShortTermMemory.class).setDefault()
                .to(InMemoryShortTermMemory.class).in(Singleton.class);
        OptionalBinder.newOptionalBinder(binder(), LongTermMemory.class).setDefault()
                .to(InMemoryLongTermMemory.class).in(Singleton.class);
        OptionalBinder.newOptionalBinder(binder(), Clock.class).setDefault().toInstance(Clock.systemUTC());
        Multibinder.newSetBinder(binder(), SnapshotEventListener.class).addBinding().to(LoggingEventListener.class);
    }
}
