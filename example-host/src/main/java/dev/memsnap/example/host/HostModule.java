package dev.memsnap.example.host;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import dev.memsnap.api.event.SnapshotEventListener;

/**
 * The host's own bindings, installed with {@code Memsnap.start(config, new HostModule(feed))}: the host adds an
 * event listener of its own beside memsnap's and the plugins', without touching memsnap or any plugin.
 */
final class HostModule extends AbstractModule {
    private final AutomaticSnapshotFeed feed;

    HostModule(AutomaticSnapshotFeed feed) {
        this.feed = feed;
    }

    @Override
    protected void configure() {
        // toInstance: the feed memsnap publishes to is the one the console drains.
        Multibinder.newSetBinder(binder(), SnapshotEventListener.class).addBinding().toInstance(feed);
    }
}
