package dev.memsnap.example.host;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The audit plugin as a jar, to drop into a plugin directory. Maven's dependency plugin tells where plugin-example's
 * build put it (the system property {@value #PROPERTY}, see this module's pom): the packaged jar under
 * {@code mvn verify}, or the classes directory under {@code mvn test}, which is then packed here the way the jar
 * plugin would, services file included.
 */
final class PluginJar {
    static final String PROPERTY = "memsnap.test.plugin";

    private PluginJar() {
    }

    /** @return where plugin-example's build output is */
    static Path built() {
        String location = System.getProperty(PROPERTY);
        if (location == null || location.isBlank() || location.startsWith("${")) {
            throw new IllegalStateException("run the tests through Maven, which sets " + PROPERTY);
        }
        return Path.of(location);
    }

    /**
     * @param target the jar file to write
     * @return {@code target}
     */
    static Path copyTo(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path built = built();
        if (Files.isRegularFile(built)) {
            return Files.copy(built, target);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(built)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream file = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(file)) {
            for (Path f : files) {
                jar.putNextEntry(new JarEntry(built.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, jar);
                jar.closeEntry();
            }
        }
        return target;
    }
}
