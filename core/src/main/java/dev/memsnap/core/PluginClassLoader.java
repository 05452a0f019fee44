package dev.memsnap.core;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one plugin jar. memsnap's {@code api} and SLF4J (and the JDK) always come from the host, so
 * that a plugin's types are the host's; nothing else of memsnap's is shared: a plugin compiles against {@code api}
 * alone. Everything else is looked up in the jar first, so a plugin may bring its own
 * versions of libraries without clashing with the host's. Service files are read from the jar alone, so a plugin
 * jar never rediscovers the host's plugins.
 */
final class PluginClassLoader extends URLClassLoader {
    private static final List<String> SHARED = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "dev.memsnap.api.", "org.slf4j.");
    private static final String SERVICES = "META-INF/services/";

    static {
        registerAsParallelCapable();
    }

    private final Path jar;

    PluginClassLoader(Path jar, ClassLoader host) throws IOException {
        super("memsnap-plugin:" + jar.getFileName(), new URL[] {jar.toUri().toURL()}, host);
        this.jar = jar;
    }

    Path jar() {
        return jar;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (SHARED.stream().anyMatch(name::startsWith)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException notInJar) {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (name.startsWith(SERVICES)) {
            return findResources(name);
        }
        List<URL> all = Collections.list(findResources(name));
        all.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(all);
    }
}
