package dev.memsnap.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private, throwaway PostgreSQL cluster for the command line's tests, in the manner of store-postgres' own
 * {@code PostgresServer} (which is not published as a test-jar): {@code initdb} into a temporary directory, the
 * server on a free port of 127.0.0.1 only, with {@code trust} authentication (no password to keep), and a fresh
 * database per caller. It uses the binaries of Debian's {@code postgresql} package ({@code .ci/postgres.sh}
 * installs them), or {@code MEMSNAP_PG_BIN}, and fails, never skips, when they are missing. As root (as CI runs),
 * every command runs as the {@code postgres} user, which PostgreSQL requires. Stopped by a shutdown hook.
 */
final class PostgresCluster {
    /** The superuser the tests and the stores connect as. */
    static final String USER = "postgres";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresCluster shared;

    private final Path bin;
    private final Path root;
    private final Path data;
    private int port;

    private PostgresCluster(Path bin, Path root) {
        this.bin = bin;
        this.root = root;
        this.data = root.resolve("data");
    }

    /** @return the cluster every test shares, started on first use and stopped when the JVM exits */
    static synchronized PostgresCluster shared() {
        if (shared == null) {
            PostgresCluster cluster = new PostgresCluster(binaries(), temporaryRoot());
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::destroy, "stop test PostgreSQL"));
            cluster.initdb();
            cluster.startOnFreePort();
            shared = cluster;
        }
        return shared;
    }

    /** @return the name of a new, empty database */
    String createDatabase() {
        String name = "memsnap_cli_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, null);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return name;
    }

    /** @return the JDBC URL of a database of this cluster */
    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void initdb() {
        run("initdb", List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust",
                "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"));
    }

    private void startOnFreePort() {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) { // another process may take the port meanwhile
            port = freePort();
            try {
                run("pg_ctl start", List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                        root.resolve("server.log").toString(), "-w", "-t", "60", "-o", "-p " + port + " -k " + root
                                + " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", "start"));
                return;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private synchronized void destroy() {
        try {
            run("pg_ctl stop", List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
                    "-w", "-t", "30", "stop"));
        } catch (RuntimeException e) {
            System.err.println("Could not stop the test PostgreSQL cluster in " + root + ": " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("Could not remove " + root + ": " + e);
        }
    }

    private void run(String what, List<String> command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Path output = Files.createTempFile("memsnap-cli-pg-", ".txt");
            try {
                Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile())
                        .start();
                if (!p.waitFor(90, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(what + " timed out: " + full);
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(what + " failed (exit " + p.exitValue() + "):\n"
                            + Files.readString(output, StandardCharsets.UTF_8));
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + full, e);
        }
    }

    private static Path temporaryRoot() {
        try {
            Path root = Files.createTempDirectory("memsnap-cli-pg-");
            if (isRoot()) {
                UserPrincipal postgres = root.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName("postgres");
                Files.setOwner(root, postgres);
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a directory for the test PostgreSQL cluster", e);
        }
    }

    /** @return {@code MEMSNAP_PG_BIN}, or the newest {@code /usr/lib/postgresql/<version>/bin} */
    private static Path binaries() {
        String override = System.getenv("MEMSNAP_PG_BIN");
        if (override != null && Files.isExecutable(Path.of(override, "initdb"))) {
            return Path.of(override);
        }
        Path base = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(base) ? Files.list(base) : Stream.empty()) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingDouble(v -> version(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed: no " + base
                            + "/<version>/bin/initdb. Run .ci/postgres.sh, or set MEMSNAP_PG_BIN to a directory "
                            + "holding initdb and pg_ctl."));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double version(String name) {
        try {
            return Double.parseDouble(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
