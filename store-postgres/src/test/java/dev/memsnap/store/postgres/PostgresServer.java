package dev.memsnap.store.postgres;

import dev.memsnap.core.codec.SnapshotCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private, throwaway PostgreSQL cluster for the tests: {@code initdb} into a temporary directory, the server on a
 * free port of 127.0.0.1 with its socket in that directory, a {@value #USER} role whose password is the value of
 * {@value #PASSWORD_ENV}, and a fresh database per caller. It uses the binaries of Debian's {@code postgresql}
 * package ({@code .ci/postgres.sh} installs them) and fails, never skips, when they are missing.
 *
 * <p>PostgreSQL refuses to run as root, so as root (as CI runs) every command runs as the {@code postgres} user the
 * package creates, through {@code runuser}; anyone else runs them as themselves. The server is stopped when closed
 * and by a shutdown hook, and a cluster left by a test JVM that was killed is stopped and removed when the next run
 * starts.
 *
 * <p>Shipped in store-postgres' test-jar, so that every module whose tests need a real PostgreSQL server (the cli,
 * the framework integrations) starts it the same way; such a module sets {@value #PASSWORD_ENV} in its surefire
 * configuration.
 */
public final class PostgresServer implements AutoCloseable {
    /** The role the stores connect as. */
    public static final String USER = "memsnap";
    /** The environment variable holding {@value #USER}'s password; the module's surefire configuration sets it. */
    public static final String PASSWORD_ENV = "MEMSNAP_TEST_PG_PASSWORD";

    private static final String DIR_PREFIX = "memsnap-pg-";
    private static final String OWNER_FILE = "owner.pid";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final Path bin;
    private final Path root;
    private final Path data;
    private final Path sockets;
    private final Path serverLog;
    private final String superPassword = UUID.randomUUID().toString();
    private final Thread shutdownHook;
    private int port;
    private volatile boolean running;

    private PostgresServer(Path bin, Path root) {
        this.bin = bin;
        this.root = root;
        this.data = root.resolve("data");
        this.sockets = root.resolve("sockets");
        this.serverLog = root.resolve("server.log");
        this.shutdownHook = new Thread(this::destroy, "stop test PostgreSQL " + root);
    }

    /** @return the cluster every test class shares, started on first use */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** @return a new cluster of the caller's own, for tests that stop and restart the server */
    public static PostgresServer start() {
        Path bin = findBinaries();
        reapLeftovers();
        Path root;
        try {
            root = Files.createTempDirectory(DIR_PREFIX);
            Files.writeString(root.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            Files.createDirectory(root.resolve("sockets"));
            if (isRoot()) {
                UserPrincipal postgres = root.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName("postgres");
                Files.setOwner(root, postgres);
                Files.setOwner(root.resolve("sockets"), postgres);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a directory for the test PostgreSQL cluster", e);
        }
        PostgresServer server = new PostgresServer(bin, root);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.initdb();
            server.startOnFreePort();
            server.createRole();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** @return the password of {@value #USER}, from {@value #PASSWORD_ENV} */
    public static String password() {
        return Objects.requireNonNull(System.getenv(PASSWORD_ENV), PASSWORD_ENV
                + " is not set: run the tests through Maven, whose surefire configuration sets it");
    }

    /** @return the name of a new, empty database owned by {@value #USER} */
    public String createDatabase() {
        String name = "memsnap_test_" + DATABASES.incrementAndGet();
        try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " OWNER " + USER);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return name;
    }

    /** @return the JDBC URL of a database of this cluster */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** @return a configuration for {@value #USER} on a database and schema, failing fast when the server is down */
    PostgresStoreConfig config(String database, String schema) {
        return new PostgresStoreConfig(url(database), USER, PASSWORD_ENV, 4, schema, "5s", true);
    }

    /** @return a store, not started, that reads its password from the environment as a host's does */
    static PostgresSnapshotStore store(PostgresStoreConfig config, SnapshotCodec codec) {
        return new PostgresSnapshotStore(config, Contexts.of(codec), System::getenv);
    }

    /** @return a started store */
    static PostgresSnapshotStore started(PostgresStoreConfig config, SnapshotCodec codec) {
        PostgresSnapshotStore store = store(config, codec);
        store.start();
        return store;
    }

    /** @return a superuser connection to a database of this cluster, for what a test does behind the store's back */
    public Connection admin(String database) throws SQLException {
        return DriverManager.getConnection(url(database), "postgres", superPassword);
    }

    /** @return the port the server listens on, the same across restarts */
    public int port() {
        return port;
    }

    /** Stops the server at once, as a crash would: connections are cut, nothing is checkpointed. */
    void crash() {
        stop("immediate");
    }

    /** Starts the server again, on the same port and data. */
    void restart() {
        if (!pgCtlStart()) {
            throw new IllegalStateException("test PostgreSQL did not restart on port " + port + ":\n" + logTail());
        }
    }

    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs, or ran, anyway
        }
    }

    private synchronized void destroy() {
        if (running) {
            try {
                stop("fast");
            } catch (RuntimeException e) {
                stop("immediate");
            }
        }
        deleteTree(root);
    }

    private void stop(String mode) {
        Result r = run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", mode, "-w", "-t", "60",
                "stop"));
        if (r.exit() != 0) {
            throw new IllegalStateException("pg_ctl stop -m " + mode + " failed: " + r.output() + "\n" + logTail());
        }
        running = false;
    }

    private void initdb() {
        Path pwfile = root.resolve("pwfile");
        try {
            Files.createFile(pwfile,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(pwfile, superPassword + "\n");
            if (isRoot()) {
                Files.setOwner(pwfile, root.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName("postgres"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Result r = run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--pwfile=" + pwfile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"));
        try {
            Files.deleteIfExists(pwfile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (r.exit() != 0) {
            throw new IllegalStateException("initdb failed:\n" + r.output());
        }
    }

    private void startOnFreePort() {
        for (int attempt = 1; attempt <= 3; attempt++) {
            port = freePort();
            if (pgCtlStart()) {
                return;
            }
        }
        throw new IllegalStateException("test PostgreSQL did not start:\n" + logTail());
    }

    /** @return whether the server started; another process may have taken the port meanwhile */
    private boolean pgCtlStart() {
        // fsync off: a test cluster need not survive the machine crashing, only the server (an immediate stop
        // keeps what was written in the OS cache); synchronous_commit stays on, so that a commit is in the WAL.
        String options = "-p " + port + " -k " + sockets + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c full_page_writes=off -c max_connections=100";
        Result r = run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", serverLog.toString(),
                "-w", "-t", "60", "-o", options, "start"));
        running = r.exit() == 0;
        return running;
    }

    private void createRole() {
        try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password().replace("'", "''") + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the test role: " + e.getMessage(), e);
        }
    }

    private record Result(int exit, String output) {
    }

    private Result run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            // Inside the cluster's directory, so that a killed run leaves nothing the next run does not remove.
            Path output = Files.createTempFile(root, "command-", ".txt");
            try {
                Process p = new ProcessBuilder(full).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out after " + COMMAND_TIMEOUT + ": " + full);
                }
                return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
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

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(serverLog);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    /** @return the newest PostgreSQL's {@code bin} directory, {@code MEMSNAP_PG_BIN} when set */
    private static Path findBinaries() {
        String override = System.getenv("MEMSNAP_PG_BIN");
        if (override != null && Files.isExecutable(Path.of(override, "initdb"))) {
            return Path.of(override);
        }
        return findBinaries(Path.of("/usr/lib/postgresql"));
    }

    /**
     * @param base where Debian's packages put each version, {@code /usr/lib/postgresql}
     * @return the newest version's {@code bin} directory
     * @throws IllegalStateException when there is none, saying how to install one
     */
    static Path findBinaries(Path base) {
        try (Stream<Path> versions = Files.isDirectory(base) ? Files.list(base) : Stream.empty()) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparing(v -> versionOf(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed: no "
                            + base + "/<version>/bin/initdb. The store's tests need a real server: run "
                            + ".ci/postgres.sh (it installs Debian's postgresql package), or set MEMSNAP_PG_BIN to "
                            + "a directory holding initdb and pg_ctl."));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double versionOf(String name) {
        try {
            return Double.parseDouble(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Stops and removes clusters whose test JVM died without doing so. */
    private static void reapLeftovers() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, DIR_PREFIX + "*")) {
            for (Path dir : dirs) {
                Path owner = dir.resolve(OWNER_FILE);
                if (!Files.isRegularFile(owner)) {
                    continue;
                }
                long pid = Long.parseLong(Files.readString(owner).strip());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                PostgresServer leftover = new PostgresServer(findBinaries(), dir);
                if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                    leftover.run(List.of(leftover.bin.resolve("pg_ctl").toString(), "-D", leftover.data.toString(),
                            "-m", "immediate", "-w", "-t", "30", "stop"));
                }
                deleteTree(dir);
            }
        } catch (IOException | NumberFormatException e) {
            System.err.println("Could not remove leftover test PostgreSQL clusters: " + e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("Could not remove " + dir + ": " + e);
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
