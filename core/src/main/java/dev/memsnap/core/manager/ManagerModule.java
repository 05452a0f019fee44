package dev.memsnap.core.manager;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Names;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.api.memory.LongTermMemory;
import dev.memsnap.api.memory.ShortTermMemory;

import java.time.Clock;
import java.util.function.UnaryOperator;

/**
 * Binds the memory managers and their defaults: {@link dev.memsnap.api.MemoryManagers}, one manager per memory id
 * (the default memory's is {@link EnhancedMemoryManager}), and {@link dev.memsnap.api.memory.MemoryFactory}, which
 * makes the memories of ids other than the default (kept in the heap unless a host binds its own). Each default is an {@link OptionalBinder} default a host replaces with
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

    /**
     * The set of decorators of the manager, applied in binding order to {@link #CORE_MANAGER} to make the default
     * {@link EnhancedMemoryManager}; plugins' decorators join it through core's {@code PluginModule}.
     */
    public static final Key<java.util.Set<UnaryOperator<EnhancedMemoryManager>>> DECORATORS =
            Key.get(new TypeLiteral<java.util.Set<UnaryOperator<EnhancedMemoryManager>>>() { });
    /** The element type of {@link #DECORATORS}, for {@code Multibinder.newSetBinder(binder(), DECORATOR)}. */
    public static final TypeLiteral<UnaryOperator<EnhancedMemoryManager>> DECORATOR = new TypeLiteral<>() { };

    @Override
    protected void configure() {
        bind(DefaultMemoryManagers.class).in(Singleton.class);
        bind(dev.memsnap.api.MemoryManagers.class).to(DefaultMemoryManagers.class);
        bind(CORE_MANAGER).toProvider(CoreDefaultManager.class);
        Multibinder.newSetBinder(binder(), DECORATOR);
        OptionalBinder.newOptionalBinder(binder(), EnhancedMemoryManager.class).setDefault()
                .toProvider(DecoratedManager.class);
        OptionalBinder.newOptionalBinder(binder(), dev.memsnap.api.memory.MemoryFactory.class).setDefault()
                .to(InMemoryMemoryFactory.class);
        OptionalBinder.newOptionalBinder(binder(), ShortTermMemory.class).setDefault()
                .to(InMemoryShortTermMemory.class).in(Singleton.class);
        OptionalBinder.newOptionalBinder(binder(), LongTermMemory.class).setDefault()
                .to(InMemoryLongTermMemory.class).in(Singleton.class);
        OptionalBinder.newOptionalBinder(binder(), Clock.class).setDefault().toInstance(Clock.systemUTC());
        Multibinder.newSetBinder(binder(), SnapshotEventListener.class).addBinding().to(LoggingEventListener.class);
    }

    /** The default memory's manager, wrapped by every bound decorator in order: what a host gets. */
    static final class DecoratedManager implements jakarta.inject.Provider<EnhancedMemoryManager> {
        private final DefaultMemoryManagers memories;

        @jakarta.inject.Inject
        DecoratedManager(DefaultMemoryManagers memories) {
            this.memories = memories;
        }

        @Override
        public EnhancedMemoryManager get() {
            return memories.get(dev.memsnap.api.MemoryManagers.DEFAULT);
        }
    }

    /** The default memory's own manager, undecorated. */
    static final class CoreDefaultManager implements jakarta.inject.Provider<EnhancedMemoryManager> {
        private final DefaultMemoryManagers memories;

        @jakarta.inject.Inject
        CoreDefaultManager(DefaultMemoryManagers memories) {
            this.memories = memories;
        }

        @Override
        public EnhancedMemoryManager get() {
            return memories.core(dev.memsnap.api.MemoryManagers.DEFAULT);
        }
    }
}
