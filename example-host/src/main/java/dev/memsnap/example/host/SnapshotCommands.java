package dev.memsnap.example.host;

import dev.memsnap.api.ApplyOptions;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.Turn;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.store.OneMemoryStore;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.compare.DiffFormat;
import dev.memsnap.core.compare.SnapshotComparator;
import dev.memsnap.core.compare.SnapshotDiff;
import dev.memsnap.core.prune.PrunePlan;
import dev.memsnap.core.prune.RetentionPolicy;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotIds;
import dev.memsnap.core.tools.SnapshotRefResolver;
import dev.memsnap.core.tools.SnapshotTools;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The console's {@code /} commands: one per snapshot operation of the memory manager (create, save, list, load,
 * apply) and of core's snapshot tools (show, diff, label, pin, prune, verify). Each prints what it did: ids, where
 * files went, and for an apply what came back.
 *
 * <p>Wherever a snapshot id is expected, {@code last} stands for the snapshot most recently created, saved or
 * loaded by a command, so a script can refer to a snapshot whose id it cannot know in advance; {@code latest} and
 * {@code latest~N} for the newest snapshot of {@code /list} and the ones before it, and a unique prefix of an id's
 * hex or time part for that snapshot ({@link SnapshotRefResolver}, as the {@code memsnap} command line takes them).
 * Every command resolves an id the same way, among the snapshots {@code /list} shows.
 */
final class SnapshotCommands {
    static final String LAST = "last";
    private static final String APPLY_USAGE = "/apply <id> [short|long] [topics a,b] [merge]";
    /** Every command's name, as the console completes them. */
    static final List<String> COMMANDS = List.of("snapshot", "save", "list", "load", "apply", "undo", "history",
            "show", "diff", "label", "pin", "unpin", "prune", "verify", "auto", "stats", "longterm", "memory",
            "memories", "help", "quit");
    /** Enough of a snapshot's conversation to recognise it. */
    private static final int TURNS_SHOWN = 6;
    /** How long /auto off waits for automatic saves before going on. */
    private static final Duration SAVE_WAIT = Duration.ofSeconds(10);

    static final String HELP = """
            Anything not starting with / is a message to the assistant: it is recorded as a turn, and facts and
            preferences you state ("My name is ...", "I like ...", "I work at ...", "Remember that ...") become
            long-term memories. Ask "What is my name?" or "What do you know about me?".

            /snapshot                      capture short- and long-term memory now (held in memory)
            /save [id]                     write a snapshot to the store (default: the last one)
            /list                          every snapshot, in memory and stored, newest first
            /load <id|file>                hold a snapshot of /list, or read a snapshot file, in memory
            /apply <id> [short|long] [topics a,b] [merge]
                                           restore memory to a snapshot: turns and memories, or only the
                                           conversation (short), only long-term memory (long), only memories
                                           with these topics, or adding and updating without removing (merge)
            /undo                          return to the state before the last /apply
            /history [id]                  a snapshot and its ancestors, newest first (default: the newest)
            /show <id>                     a snapshot's memories and last turns
            /diff <id> [<id>|live]         what changed from a snapshot to another, or to live memory
            /label <id> <label>            attach a label to a saved snapshot
            /pin <id>, /unpin <id>         keep a saved snapshot from ever being pruned, or not
            /prune [--dry-run]             delete what memory.retention does not keep
            /verify                        read every stored snapshot whole and check it
            /auto on <turns> | /auto off   automatic snapshots of the current memory every N turns (a message and
                                           its reply are 2 turns); off also waits for the automatic saves still
                                           running
            /stats                         counters and automatic snapshot state
            /longterm                      long-term memory now
            /memory [id]                   switch to the memory of that id (a user, a conversation); alone,
                                           the current one. Every command then works on that memory
            /memories                      every memory id, live or stored, with its snapshots
            /help                          this text
            /quit                          stop (waits for automatic saves still running); with snapshots
                                           not saved, it names them and asks for a second /quit
            An id may be shortened: "last" is the snapshot most recently created, saved or loaded by a
            command, "latest" the newest one /list shows, "latest~1" the one before it, and "1a2b" or
            "20250426_1234" a unique prefix of an id's hex or time part.""";

    private final MemoryManagers memories;
    private final SnapshotStore store;
    private final RetentionPolicy retention;
    private final AutomaticSnapshotFeed automatic;
    private final java.util.function.Consumer<String> starter;
    private final PrintStream out;
    private final Path snapshotDir;
    /** Every memory this session has used, by id, with what the commands know of it. */
    private final Map<String, Scope> scopes = new java.util.TreeMap<>();
    /** The current memory's scope; the fields below are its parts. */
    private Scope scope;
    private EnhancedMemoryManager memory;
    private SnapshotTools tools;
    /** Where each snapshot saved this session went, so that /load can take its id. */
    private Map<String, URI> saved;
    /** The snapshots this session created (by command or automatically) or loaded: with the store's, those /list shows. */
    private Set<String> known;
    /** The snapshots this session created, which /quit must not drop unsaved without saying so. */
    private Set<String> created;
    private String last;
    /** Whether the previous line was a /quit that warned of unsaved snapshots: a second one quits. */
    private boolean quitWarned;
    /** Whether a /quit said which snapshots are lost. */
    private boolean lossReported;

    /** What the commands know of one memory: its manager, its view of the store, the snapshots seen this session. */
    private static final class Scope {
        final EnhancedMemoryManager memory;
        final SnapshotTools tools;
        final Map<String, URI> saved = new HashMap<>();
        final Set<String> known = new LinkedHashSet<>();
        final Set<String> created = new LinkedHashSet<>();
        String last;

        Scope(EnhancedMemoryManager memory, SnapshotStore store) {
            this.memory = memory;
            this.tools = new SnapshotTools(new OneMemoryStore(store, memory.memoryId()));
        }
    }

    /**
     * @param memories every memory of the host; the commands start on {@link MemoryManagers#DEFAULT}
     * @param store    the store they all save to
     * @param starter  starts the conversation of a memory id used for the first time (its system message)
     */
    SnapshotCommands(MemoryManagers memories, SnapshotStore store, MemoryConfig config,
                     AutomaticSnapshotFeed automatic, java.util.function.Consumer<String> starter, PrintStream out) {
        this.memories = memories;
        this.starter = starter;
        this.store = store;
        this.automatic = automatic;
        this.retention = config.retention();
        this.snapshotDir = config.snapshotDir();
        this.out = out;
        enter(MemoryManagers.DEFAULT);
    }

    /** @return the current memory's manager */
    EnhancedMemoryManager memory() {
        return memory;
    }

    /** @return the managers of every memory this session used, the current one included */
    List<EnhancedMemoryManager> managers() {
        return scopes.values().stream().map(s -> s.memory).toList();
    }

    /**
     * Makes a memory current; the first time, its conversation starts with the system turn when it has none.
     *
     * @return whether the session had not used it before
     */
    private boolean enter(String memoryId) {
        if (scope != null) {
            scope.last = last;
        }
        boolean fresh = !scopes.containsKey(memoryId);
        Scope next = scopes.computeIfAbsent(memoryId, id -> new Scope(memories.get(id), store));
        scope = next;
        memory = next.memory;
        tools = next.tools;
        saved = next.saved;
        known = next.known;
        created = next.created;
        last = next.last;
        return fresh;
    }

    /** Notes a line that is not a command: a /quit after it asks again before dropping unsaved snapshots. */
    void message() {
        quitWarned = false;
    }

    /** Notes an automatic snapshot, so that short ids and /quit know of it. */
    void automaticSnapshot(String memoryId, String id) {
        Scope s = scopes.get(memoryId);
        if (s != null) {
            s.known.add(id);
            s.created.add(id);
        }
    }

    /** Notes the snapshot an apply kept of the state it replaced, saved already: short ids know of it. */
    void keptSnapshot(String memoryId, String id) {
        Scope s = scopes.get(memoryId);
        if (s != null) {
            s.known.add(id);
        }
    }

    /**
     * @param line a line starting with {@code /}
     * @return false to stop: {@code /quit}, unless it warned of unsaved snapshots
     * @throws IllegalArgumentException when the command or its arguments are wrong; the message says how to use it
     * @throws dev.memsnap.api.SnapshotException when memsnap refuses; nothing was changed
     */
    boolean run(String line) {
        String[] words = line.substring(1).strip().split("\\s+", 2);
        String command = words[0];
        String rest = words.length > 1 ? words[1].strip() : "";
        boolean secondQuit = quitWarned;
        quitWarned = false;
        switch (command) {
            case "snapshot" -> snapshot();
            case "save" -> save(rest.isEmpty() ? LAST : rest);
            case "list" -> list();
            case "load" -> load(required(rest, "/load <file|id>"));
            case "apply" -> apply(required(rest, APPLY_USAGE));
            case "undo" -> undo(rest);
            case "history" -> history(rest);
            case "memory" -> memory(rest);
            case "show" -> show(required(rest, "/show <id>"));
            case "diff" -> diff(required(rest, "/diff <id> [<id>|live]"));
            case "label" -> label(required(rest, "/label <id> <label>"));
            case "pin" -> pin(required(rest, "/pin <id>"), true);
            case "unpin" -> pin(required(rest, "/unpin <id>"), false);
            case "prune" -> prune(rest);
            case "verify" -> verify();
            case "auto" -> auto(rest);
            case "stats" -> stats();
            case "longterm" -> longTerm();
            case "memories" -> memories();
            case "help" -> HELP.lines().forEach(l -> out.println(("  " + l).stripTrailing()));
            case "quit", "exit" -> {
                return quit(secondQuit);
            }
            default -> throw new IllegalArgumentException("unknown command /" + command + "; /help lists them");
        }
        return true;
    }

    private static String required(String argument, String usage) {
        if (argument.isEmpty()) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return argument;
    }

    /**
     * @param argument an id, {@code last}, {@code latest}, {@code latest~N} or a unique prefix
     * @return the full id; anything else is returned as it is, for the manager to refuse before touching anything
     */
    private String id(String argument) {
        if (argument.equals(LAST)) {
            if (last == null) {
                throw new IllegalArgumentException("no snapshot yet: /snapshot takes one");
            }
            return last;
        }
        if (!SnapshotRefResolver.isShortRef(argument)) {
            return argument;
        }
        Set<String> all = new LinkedHashSet<>(known);
        all.addAll(tools.store().storedIds());
        // Ids carry the time to the second; only snapshots of the same second are read for their timestamp.
        return SnapshotRefResolver.resolve(argument, all,
                id -> memory.getSnapshot(id).map(MemorySnapshot::timestamp).orElse(null));
    }

    /** @return whether {@code argument} names a snapshot rather than a file: {@code last}, an id or a short id */
    private static boolean namesSnapshot(String argument) {
        return argument.equals(LAST) || SnapshotIds.isValid(argument) || SnapshotRefResolver.isShortRef(argument);
    }

    private void snapshot() {
        last = memory.createSnapshot();
        known.add(last);
        created.add(last);
        SnapshotMetadata m = metadata(last);
        out.println("  created " + last + ": " + Show.counts(m) + " (held in memory; /save writes it to the store)");
    }

    private void save(String argument) {
        String id = id(argument);
        URI location = memory.saveSnapshot(id);
        saved.put(id, location);
        last = id;
        out.println("  saved " + id + " to " + Show.where(location));
    }

    private void list() {
        List<SnapshotMetadata> all = memory.listSnapshots();
        Map<String, StoredSnapshot> stored = tools.store().inventory().stream()
                .collect(Collectors.toMap(StoredSnapshot::snapshotId, Function.identity(), (a, b) -> a));
        out.println("  " + Show.count(all.size(), "snapshot") + ", newest first:");
        for (SnapshotMetadata m : all) {
            StoredSnapshot s = stored.get(m.snapshotId());
            String where = s == null ? "in memory only" : "saved";
            String tags = s == null ? "" : tags(s.tags());
            out.println(String.format("    %s  %s  %-36s %-14s%s%s", m.snapshotId(), Show.time(m), Show.counts(m),
                    where, tags, m.snapshotId().equals(last) ? "  (last)" : "").stripTrailing());
        }
    }

    private static String tags(SnapshotTags tags) {
        return (tags.labels().isEmpty() ? "" : "  labels " + tags.labels()) + (tags.pinned() ? "  pinned" : "");
    }

    /**
     * An id (in any form the other commands take) is the snapshot of that id wherever {@code /list} finds it: saved
     * this session or before, or held in memory only. Anything else is a snapshot file.
     */
    private void load(String argument) {
        String id;
        String from;
        if (namesSnapshot(argument)) {
            String wanted = id(argument);
            SnapshotIds.requireValid(wanted);
            URI location = saved.containsKey(wanted) ? saved.get(wanted)
                    : memory.memoryId().equals(MemoryManagers.DEFAULT) ? storedLocation(wanted) : null;
            if (location != null) {
                id = memory.loadSnapshot(location);
                from = Show.where(location);
            } else if (tools.store().storedIds().contains(wanted)) {
                // A store without files (a plugin's): the manager reads it from there when asked.
                id = wanted;
                from = "the store";
                metadata(id);
            } else if (memory.getSnapshot(wanted).isPresent()) {
                last = wanted;
                out.println("  " + wanted + " is held in memory already: " + Show.counts(metadata(wanted)));
                out.println("  (not saved; /save " + wanted + " writes it to the store, /apply " + wanted
                        + " restores it)");
                return;
            } else {
                throw new SnapshotNotFoundException("no snapshot with id " + wanted + " (/list shows them)");
            }
        } else {
            Path file = Path.of(argument);
            id = memory.loadSnapshot(file);
            from = file.toAbsolutePath().toString();
        }
        last = id;
        known.add(id);
        out.println("  loaded " + id + " from " + from + ": " + Show.counts(metadata(id)));
        out.println("  (held in memory; /apply " + id + " restores it)");
    }

    /** @return the file in the snapshot directory that holds snapshot {@code id}, or {@code null} when none does */
    private URI storedLocation(String id) {
        for (String suffix : SnapshotCodec.SUFFIXES) {
            Path file = snapshotDir.toAbsolutePath().resolve(id + suffix);
            if (Files.isRegularFile(file)) {
                return file.toUri();
            }
        }
        return null;
    }

    /**
     * @param confirmed whether this /quit follows one that warned
     * @return whether to stay: the first /quit with snapshots created this session and saved nowhere names them
     */
    private boolean quit(boolean confirmed) {
        List<String> unsaved = unsaved();
        if (unsaved.isEmpty() || confirmed) {
            if (!unsaved.isEmpty()) {
                lossReported = true;
                out.println("  quitting: " + Show.count(unsaved.size(), "snapshot") + " not saved, now gone: "
                        + String.join(", ", unsaved));
            }
            return false;
        }
        quitWarned = true;
        out.println("  " + Show.count(unsaved.size(), "snapshot") + " held in memory only would be lost: "
                + String.join(", ", unsaved));
        out.println("  /save <id> keeps one (/save last, /save latest); /quit again quits without saving");
        return true;
    }

    /** @return whether a /quit already said which snapshots are lost unsaved */
    boolean lossReported() {
        return lossReported;
    }

    /** @return the snapshots this session created that are held in memory and not in the store, newest first */
    List<String> unsaved() {
        scope.last = last;
        List<String> unsaved = new java.util.ArrayList<>();
        for (Scope s : scopes.values()) {
            automatic.awaitSaves(s.memory, SAVE_WAIT); // an automatic snapshot on its way to disk is not lost
            Set<String> stored = new HashSet<>(s.tools.store().storedIds());
            List<String> mine = new java.util.ArrayList<>();
            for (String id : s.created) {
                if (!stored.contains(id) && s.memory.getSnapshot(id).isPresent()) {
                    mine.add(0, id);
                }
            }
            unsaved.addAll(mine);
        }
        return unsaved;
    }

    private void apply(String arguments) {
        String[] words = arguments.split("\\s+");
        String id = id(words[0]);
        ApplyOptions options = applyOptions(words);
        List<Turn> turnsBefore = memory.turns();
        Map<String, Memory> before = memory.memories();
        if (!automatic.duringApply(() -> memory.applySnapshot(id, options))) {
            out.println("  no snapshot " + id + ": memory unchanged");
            return;
        }
        String what = describe(options);
        Map<String, Memory> after = memory.memories();
        if (!what.isEmpty()) {
            out.println("  applied " + id + " (" + what + ")");
            out.println("    turns:    " + turnsBefore.size() + " -> " + memory.turns().size());
            out.println("    memories: " + before.size() + " -> " + after.size());
            Map<String, Memory> dropped = difference(before, after);
            Map<String, Memory> changed = difference(after, before);
            dropped.forEach((mid, m) -> out.println("      - " + Show.memory(mid, m)));
            changed.forEach((mid, m) -> out.println("      + " + Show.memory(mid, m)));
            return;
        }
        out.println("  applied " + id + ": memory is back to " + Show.time(metadata(id)));
        out.println("    turns:    " + turnsBefore.size() + " -> " + memory.turns().size());
        out.println("    memories: " + before.size() + " -> " + after.size());
        Map<String, Memory> dropped = difference(before, after);
        Map<String, Memory> restored = difference(after, before);
        if (!dropped.isEmpty()) {
            out.println("    forgotten (not in the snapshot):");
            dropped.forEach((mid, m) -> out.println("      - " + Show.memory(mid, m)));
        }
        if (!restored.isEmpty()) {
            out.println("    brought back (in the snapshot, not in memory before):");
            restored.forEach((mid, m) -> out.println("      + " + Show.memory(mid, m)));
        }
        out.println("    long-term memory restored:");
        after.forEach((mid, m) -> out.println("      " + Show.memory(mid, m)));
    }

    /** @return the entries of {@code a} that {@code b} lacks or holds differently */
    private static Map<String, Memory> difference(Map<String, Memory> a, Map<String, Memory> b) {
        Map<String, Memory> only = new LinkedHashMap<>();
        a.forEach((id, m) -> {
            if (!m.equals(b.get(id))) {
                only.put(id, m);
            }
        });
        return only;
    }

    private void show(String argument) {
        MemorySnapshot s = snapshot(id(argument));
        SnapshotMetadata m = s.metadata();
        out.println("  " + m.snapshotId() + "  taken " + Show.time(m) + "  " + Show.counts(m));
        out.println("    topics: " + s.longTerm().topics());
        out.println("    memories:");
        s.longTerm().memories().forEach((mid, memory) -> out.println("      " + Show.memory(mid, memory)));
        List<Turn> turns = s.shortTerm().turns();
        int from = Math.max(0, turns.size() - TURNS_SHOWN);
        out.println("    last turns" + (from > 0 ? " (" + from + " earlier not shown)" : "") + ":");
        for (Turn t : turns.subList(from, turns.size())) {
            out.println("      " + t.role() + ": " + Show.oneLine(t.content()));
        }
    }

    private void diff(String arguments) {
        String[] ids = arguments.split("\\s+");
        if (ids.length > 2) {
            throw new IllegalArgumentException("usage: /diff <id> [<id>|live]");
        }
        String before = id(ids[0]);
        String after = ids.length == 2 ? ids[1] : SnapshotTools.LIVE;
        SnapshotDiff diff = after.equals(SnapshotTools.LIVE)
                ? SnapshotTools.compareWithLive(before, memory)
                : SnapshotComparator.compare(snapshot(before), snapshot(id(after)));
        DiffFormat.toText(Show.readable(diff)).lines().forEach(l -> out.println("  " + l));
    }

    private void label(String arguments) {
        String[] parts = arguments.split("\\s+", 2);
        if (parts.length < 2) {
            throw new IllegalArgumentException("usage: /label <id> <label>");
        }
        String id = id(parts[0]);
        SnapshotTags tags = stored(id, () -> tools.label(id, Set.of(parts[1]), Set.of()));
        out.println("  labelled " + id + ": " + tags.labels());
    }

    private void pin(String argument, boolean pinned) {
        String id = id(argument);
        stored(id, () -> tools.pin(id, pinned));
        out.println("  " + (pinned ? "pinned " + id + ": /prune always keeps it" : "unpinned " + id));
    }

    /** Labels and pins belong to stored snapshots; say so rather than only "not found". */
    private SnapshotTags stored(String id, java.util.function.Supplier<SnapshotTags> action) {
        try {
            return action.get();
        } catch (SnapshotNotFoundException e) {
            throw new SnapshotNotFoundException(e.getMessage() + " (labels and pins are kept with saved snapshots: "
                    + "/save " + id + " first)");
        }
    }

    private void prune(String argument) {
        if (!argument.isEmpty() && !argument.equals("--dry-run")) {
            throw new IllegalArgumentException("usage: /prune [--dry-run]");
        }
        if (retention.keepsAll()) {
            out.println("  memory.retention sets no rules, so every snapshot is kept; set e.g. keep_last: 5");
            return;
        }
        boolean dryRun = !argument.isEmpty();
        PrunePlan plan = tools.prune(retention, dryRun);
        for (PrunePlan.Decision d : plan.keep()) {
            out.println("    keep   " + d.snapshot().snapshotId() + "  (" + String.join(", ", d.reasons()) + ")");
        }
        for (PrunePlan.Decision d : plan.remove()) {
            out.println("    " + (dryRun ? "would prune " : "pruned ") + d.snapshot().snapshotId() + "  ("
                    + String.join(", ", d.reasons()) + ")");
        }
        out.println("  " + plan.keep().size() + " kept, " + plan.remove().size() + (dryRun ? " would be" : "")
                + " pruned" + (dryRun ? " (dry run: nothing deleted)" : ""));
    }

    private void verify() {
        List<Verification> results = tools.verify(SnapshotTools.Progress.NONE);
        long damaged = results.stream().filter(v -> !v.intact()).count();
        for (Verification v : results) {
            out.println("    " + (v.intact() ? "ok       " : "DAMAGED  ") + v.snapshotId() + "  " + v.detail());
        }
        out.println("  " + (results.size() - damaged) + " intact, " + damaged + " damaged");
    }

    private void auto(String arguments) {
        String[] words = arguments.split("\\s+");
        if (words.length == 1 && words[0].equals("off")) {
            memory.disableAutoSnapshot();
            int pending = memory.stats().pendingAutomaticSaves();
            out.println("  automatic snapshots off" + (pending == 0 ? ""
                    : "; waiting for the " + pending + " still being saved"));
            // So that what follows (/list, /verify) sees them on disk rather than half-way there.
            if (!automatic.awaitSaves(memory, SAVE_WAIT)) {
                out.println("  (still saving after " + SAVE_WAIT.toSeconds() + " s; /stats shows progress)");
            }
            return;
        }
        if (words.length != 2 || !words[0].equals("on")) {
            throw new IllegalArgumentException("usage: /auto on <turns> | /auto off");
        }
        int interval;
        try {
            interval = Integer.parseInt(words[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("usage: /auto on <turns>, a whole number; got " + words[1]);
        }
        memory.enableAutoSnapshot(interval);
        out.println("  automatic snapshots every " + interval + " turns, saved in the background");
    }

    private void stats() {
        ManagerStats s = memory.stats();
        out.println("  live memory: " + memory.turns().size() + " turns, " + memory.memories().size() + " memories");
        out.println("  automatic snapshots: " + (s.autoSnapshotEnabled() ? "on, every " + s.autoSnapshotInterval()
                + " turns" : "off"));
        out.printf("  snapshots created: %d (%d automatic); automatic saves: %d done, %d failed, %d skipped, "
                        + "%d pending%n", s.snapshotsCreated(), s.automaticSnapshots(), s.automaticSavesCompleted(),
                s.automaticSavesFailed(), s.automaticSavesSkipped(), s.pendingAutomaticSaves());
        if (s.lastAutomaticSaveError() != null) {
            out.println("  last automatic save error: " + s.lastAutomaticSaveError());
        }
    }

    /** @return the options the words after an apply's id ask for: none is {@link ApplyOptions#all()} */
    private static ApplyOptions applyOptions(String[] words) {
        String part = null;
        Set<String> topics = null;
        boolean merge = false;
        for (int i = 1; i < words.length; i++) {
            switch (words[i]) {
                case "short", "long" -> {
                    if (part != null) {
                        throw new IllegalArgumentException("one of short or long (neither is both); usage: "
                                + APPLY_USAGE);
                    }
                    part = words[i];
                }
                case "merge" -> merge = true;
                case "topics" -> {
                    if (i + 1 >= words.length) {
                        throw new IllegalArgumentException("topics needs a list, e.g. topics name,work; usage: "
                                + APPLY_USAGE);
                    }
                    topics = new LinkedHashSet<>();
                    for (String t : words[++i].split(",")) {
                        if (!t.isBlank()) {
                            topics.add(t.strip());
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown apply option " + words[i] + "; usage: "
                        + APPLY_USAGE);
            }
        }
        if ("short".equals(part) && (topics != null || merge)) {
            throw new IllegalArgumentException("topics and merge select long-term memories, not the conversation "
                    + "(short); usage: " + APPLY_USAGE);
        }
        ApplyOptions options = part == null ? ApplyOptions.all()
                : part.equals("short") ? ApplyOptions.shortTermOnly() : ApplyOptions.longTermOnly();
        if (topics != null) {
            options = options.withTopics(topics);
        }
        return merge ? options.merging() : options;
    }

    /** @return what a selective apply restored, as words; empty for {@link ApplyOptions#all()} */
    private static String describe(ApplyOptions o) {
        if (o.equals(ApplyOptions.all())) {
            return "";
        }
        List<String> parts = new java.util.ArrayList<>();
        parts.add(!o.longTerm() ? "the conversation only" : !o.shortTerm() ? "long-term memory only"
                : "conversation and long-term memory");
        if (o.topics() != null) {
            parts.add("memories about " + String.join(", ", new java.util.TreeSet<>(o.topics())));
        }
        if (o.merge()) {
            parts.add("merged: nothing removed");
        }
        return String.join("; ", parts);
    }

    private void undo(String argument) {
        if (!argument.isEmpty()) {
            throw new IllegalArgumentException("usage: /undo");
        }
        int turnsBefore = memory.turns().size();
        int memoriesBefore = memory.memories().size();
        if (!memory.undoApply()) {
            out.println("  nothing to undo: no /apply since the start or the last /undo");
            return;
        }
        out.println("  undone: memory is back to what it was before the last /apply");
        out.println("    turns:    " + turnsBefore + " -> " + memory.turns().size());
        out.println("    memories: " + memoriesBefore + " -> " + memory.memories().size());
    }

    private void history(String argument) {
        String id;
        if (argument.isEmpty()) {
            List<SnapshotMetadata> all = memory.listSnapshots();
            if (all.isEmpty()) {
                out.println("  no snapshot yet in memory " + memory.memoryId() + ": /snapshot takes one");
                return;
            }
            id = all.get(0).snapshotId();
        } else {
            id = id(argument);
        }
        List<SnapshotMetadata> chain = memory.history(id);
        if (chain.isEmpty()) {
            throw new SnapshotNotFoundException("no snapshot with id " + id + " in memory " + memory.memoryId());
        }
        out.println("  history of " + id + ": " + Show.count(chain.size(), "snapshot") + ", newest first");
        for (SnapshotMetadata m : chain) {
            out.println(String.format("    %s  %s  %s", m.snapshotId(), Show.time(m), Show.counts(m)));
        }
    }

    private void memory(String argument) {
        if (argument.isEmpty()) {
            out.println("  memory " + memory.memoryId() + ": " + liveCounts(memory)
                    + " (/memory ID switches, /memories lists them)");
            return;
        }
        if (!MemoryManagers.isValidMemoryId(argument)) {
            throw new IllegalArgumentException("not a memory id: " + Show.abbreviated(argument, 40) + " (1 to "
                    + MemoryManagers.MAX_MEMORY_ID_LENGTH + " characters, no control characters); still on memory "
                    + memory.memoryId());
        }
        if (argument.equals(memory.memoryId())) {
            out.println("  already on memory " + argument + ": " + liveCounts(memory));
            return;
        }
        boolean fresh = enter(argument);
        if (fresh && memory.turns().isEmpty()) {
            starter.accept(argument);
        }
        out.println("  now on memory " + argument + ": " + liveCounts(memory));
    }

    private static String liveCounts(EnhancedMemoryManager m) {
        return Show.count(m.turns().size(), "turn") + ", " + Show.count(m.memories().size(), "memory", "memories")
                + ", " + Show.count(m.listSnapshots().size(), "snapshot");
    }

    private void memories() {
        Set<String> ids = new java.util.TreeSet<>(memories.memoryIds());
        ids.addAll(scopes.keySet());
        out.println("  " + Show.count(ids.size(), "memory", "memories") + " (* the current one):");
        for (String id : ids) {
            Scope s = scopes.get(id);
            int snapshots = s != null ? s.memory.listSnapshots().size() : store.list(id).size();
            String live = s != null ? ", " + Show.count(s.memory.turns().size(), "turn") + " live" : "";
            out.println(("  " + (id.equals(memory.memoryId()) ? "* " : "  ") + String.format("%-20s ", id)
                    + Show.count(snapshots, "snapshot") + live).stripTrailing());
        }
    }

    private void longTerm() {
        Map<String, Memory> all = memory.memories();
        out.println("  long-term memory: " + Show.count(all.size(), "memory", "memories"));
        all.forEach((id, m) -> out.println("    " + Show.memory(id, m)));
    }

    private MemorySnapshot snapshot(String id) {
        return memory.getSnapshot(id).orElseThrow(() -> new SnapshotNotFoundException("no snapshot with id " + id));
    }

    private SnapshotMetadata metadata(String id) {
        return snapshot(id).metadata();
    }
}
