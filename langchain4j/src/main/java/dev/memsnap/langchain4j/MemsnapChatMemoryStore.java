package dev.memsnap.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import dev.langchain4j.store.memory.chat.InMemoryChatMemoryStore;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.Turn;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventSource;
import dev.memsnap.api.memory.ShortTermMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ChatMemoryStore} that gives a LangChain4j conversation memsnap's snapshots, history, diff and rollback: it
 * wraps the application's store and keeps, for each LangChain4j memory id, the memsnap memory of the same id
 * ({@code String.valueOf(memoryId)}) up to date.
 *
 * <ul>
 *   <li><b>A decorator.</b> {@link #getMessages}, {@link #updateMessages} and {@link #deleteMessages} call the
 *       delegate and return what it returns, throw what it throws, on the caller's thread. What memsnap does besides
 *       never fails LangChain4j's call: its failures are logged and counted ({@link #failures()}).</li>
 *   <li><b>Full history.</b> A {@code ChatMemory} hands the store its whole window on every change and evicts old
 *       messages. This store appends to the memsnap memory's short-term memory only the messages of the window not
 *       yet recorded (the window's overlap with the recorded turns' tail is found and skipped), so memsnap keeps the
 *       whole conversation, one turn per message, and automatic snapshots count those turns.</li>
 *   <li><b>Lossless.</b> Each turn keeps LangChain4j's own JSON of its message (see {@link MessageTurns}).</li>
 *   <li><b>Apply means the assistant forgets.</b> When {@code memories} is a {@link SnapshotEventSource} (memsnap's
 *       own is), every successful apply or undo of a memory writes that memory's messages into the delegate, so the
 *       next {@code ChatMemory} read (LangChain4j's {@code MessageWindowChatMemory} and
 *       {@code TokenWindowChatMemory} read the store on every call and trim it to their window) sees the restored
 *       conversation. Otherwise call {@link #restoreDelegate(Object)} after an apply.</li>
 *   <li><b>Delete.</b> {@link #deleteMessages} ({@code ChatMemory.clear()}) deletes from the delegate only: memsnap's
 *       history and snapshots stay, and the next messages of that id are recorded as a new stretch of the same
 *       history. Drop them with {@code memories.forget(id, true)}.</li>
 * </ul>
 *
 * Thread-safe when the delegate is. {@link #close()} ends the subscription to apply events.
 */
public final class MemsnapChatMemoryStore implements ChatMemoryStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemsnapChatMemoryStore.class);
    private static final int LOCK_STRIPES = 64;

    private final ChatMemoryStore delegate;
    private final MemoryManagers memories;
    private final AutoCloseable subscription;
    /** The memory id objects LangChain4j used, by memsnap memory id, so that an apply writes under the same key. */
    private final Map<String, Object> langchainIds = new ConcurrentHashMap<>();
    /** Memory ids whose delegate entry was deleted: their next window starts a new stretch of history. */
    private final Set<String> cleared = ConcurrentHashMap.newKeySet();
    /** Where each memory's last system message was recorded, so that a turn need not scan the whole history. */
    private final Map<String, SystemMark> lastSystems = new ConcurrentHashMap<>();
    /**
     * The turns of each memory's last window by message identity: a chat memory over a store that keeps its objects
     * hands the same messages back on every call, and serialising them again is most of what a turn would cost.
     */
    private final Map<String, Map<ChatMessage, Turn>> lastWindows = new ConcurrentHashMap<>();
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final AtomicLong failures = new AtomicLong();

    private MemsnapChatMemoryStore(ChatMemoryStore delegate, MemoryManagers memories) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.memories = Objects.requireNonNull(memories, "memories");
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        this.subscription = SnapshotEventSource.subscribeToApplies(memories, this::onApplied).orElse(null);
        if (subscription == null) {
            log.info("{} produces no snapshot events: after an apply, call restoreDelegate(memoryId) so that the "
                    + "chat memory store holds the applied messages", memories.getClass().getName());
        }
    }

    /**
     * @param delegate the application's store (JDBC, Redis, in memory...), which stays the one LangChain4j reads
     * @param memories memsnap's memories, for example {@code Memsnap.memories()}
     * @return the store to give LangChain4j's chat memories instead of {@code delegate}
     */
    public static MemsnapChatMemoryStore wrap(ChatMemoryStore delegate, MemoryManagers memories) {
        return new MemsnapChatMemoryStore(delegate, memories);
    }

    /**
     * @param memories memsnap's memories
     * @return a store over a new {@link InMemoryChatMemoryStore}
     */
    public static MemsnapChatMemoryStore inMemory(MemoryManagers memories) {
        return wrap(new InMemoryChatMemoryStore(), memories);
    }

    /** @return the wrapped store */
    public ChatMemoryStore delegate() {
        return delegate;
    }

    /** @return how many times memsnap's side of a call (recording turns, restoring after an apply) failed */
    public long failures() {
        return failures.get();
    }

    @Override
    public List<ChatMessage> getMessages(Object memoryId) {
        List<ChatMessage> messages = delegate.getMessages(memoryId);
        remember(memoryId);
        return messages;
    }

    @Override
    public void updateMessages(Object memoryId, List<ChatMessage> messages) {
        delegate.updateMessages(memoryId, messages);
        try {
            String id = remember(memoryId);
            synchronized (lock(id)) {
                record(id, memories.get(id), messages, cleared.remove(id));
            }
        } catch (RuntimeException e) {
            failed("record the messages of", memoryId, e);
        }
    }

    @Override
    public void deleteMessages(Object memoryId) {
        delegate.deleteMessages(memoryId);
        try {
            cleared.add(remember(memoryId));
        } catch (RuntimeException e) {
            failed("note the deletion of", memoryId, e);
        }
    }

    /**
     * Writes a memsnap memory's conversation into the delegate: its latest system message first (as LangChain4j's
     * chat memories keep one), then every other message in order; the chat memory trims it to its window when it
     * reads. Done on every successful apply and undo when {@code memories} produces events, on the thread that
     * applied; a host whose {@link MemoryManagers} does not calls it after applying. The delegate is written under the
     * memory id object LangChain4j last used for that id in this process, or the string when it has used none.
     *
     * @param memoryId a LangChain4j memory id (or its memsnap string)
     */
    public void restoreDelegate(Object memoryId) {
        String id = String.valueOf(memoryId);
        synchronized (lock(id)) {
            List<ChatMessage> messages = conversation(memories.get(id).turns());
            delegate.updateMessages(langchainIds.getOrDefault(id, memoryId), messages);
            cleared.remove(id);
            lastSystems.remove(id);
        }
    }

    /** Ends the subscription to apply events; the store goes on recording. */
    @Override
    public void close() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.warn("Could not end the subscription to snapshot events", e);
            }
        }
    }

    private void onApplied(SnapshotEvent event) {
        try {
            restoreDelegate(event.memoryId());
        } catch (RuntimeException e) {
            failed("restore the chat memory store after applying " + event.snapshotId() + " to", event.memoryId(), e);
        }
    }

    private String remember(Object memoryId) {
        String id = String.valueOf(memoryId);
        if (memoryId instanceof String) {
            if (!langchainIds.isEmpty()) {
                langchainIds.remove(id);
            }
        } else if (memoryId != null) {
            langchainIds.put(id, memoryId);
        }
        return id;
    }

    private Object lock(String id) {
        return locks[Math.floorMod(id.hashCode(), LOCK_STRIPES)];
    }

    private void failed(String what, Object memoryId, RuntimeException e) {
        failures.incrementAndGet();
        log.warn("memsnap could not {} memory {}; the chat memory store itself is unaffected", what, memoryId, e);
    }

    /**
     * Appends the messages of a window that the memory has not recorded yet. A window is an earlier window with
     * messages evicted from its front (after a leading system message) and new ones appended, the system message
     * perhaps replaced: so the non-system messages recorded last overlap the window's first non-system messages, and
     * what follows the longest such overlap is new; a system message is new when it differs from the last recorded.
     */
    /** A recorded system message and its place in the memory's turns. */
    private record SystemMark(int index, Turn turn) {
    }

    private void record(String id, EnhancedMemoryManager memory, List<ChatMessage> window, boolean newStretch) {
        List<Turn> systems = new ArrayList<>(1);
        List<Turn> rest = new ArrayList<>(window.size());
        List<String> restJson = new ArrayList<>(window.size());
        Map<ChatMessage, Turn> known = lastWindows.getOrDefault(id, Map.of());
        Map<ChatMessage, Turn> converted = new java.util.IdentityHashMap<>(window.size() * 2);
        for (ChatMessage message : window) {
            Turn turn = known.get(message);
            if (turn == null) {
                turn = MessageTurns.toTurn(message);
            }
            converted.put(message, turn);
            if (message instanceof SystemMessage) {
                systems.add(turn);
            } else {
                rest.add(turn);
                restJson.add(MessageTurns.json(turn));
            }
        }
        List<Turn> turns = memory.turns();
        List<String> tail = new ArrayList<>(restJson.size());
        for (int i = turns.size() - 1; i >= 0 && tail.size() < restJson.size(); i--) {
            Turn turn = turns.get(i);
            if (!MessageTurns.SYSTEM.equals(turn.role())) {
                tail.add(MessageTurns.json(turn));
            }
        }
        java.util.Collections.reverse(tail);
        if (!systems.isEmpty()) {
            SystemMark last = lastSystem(id, turns);
            int size = turns.size();
            for (Turn system : systems) {
                if (last == null || !MessageTurns.json(last.turn()).equals(MessageTurns.json(system))) {
                    memory.addTurn(system);
                    last = new SystemMark(size++, system);
                }
            }
            lastSystems.put(id, last);
        }
        lastWindows.put(id, converted);
        for (int i = newStretch ? 0 : ShortTermMemory.windowOverlap(tail, restJson); i < rest.size(); i++) {
            memory.addTurn(rest.get(i));
        }
    }

    /** The memory's last system turn: the one this store recorded when it is still there, else found by a scan. */
    private SystemMark lastSystem(String id, List<Turn> turns) {
        SystemMark known = lastSystems.get(id);
        if (known != null && known.index() < turns.size() && turns.get(known.index()).equals(known.turn())) {
            return known;
        }
        for (int i = turns.size() - 1; i >= 0; i--) {
            if (MessageTurns.SYSTEM.equals(turns.get(i).role())) {
                return new SystemMark(i, turns.get(i));
            }
        }
        return null;
    }

    /** The conversation as a chat memory holds it: the latest system message first, then the others in order. */
    static List<ChatMessage> conversation(List<Turn> turns) {
        List<ChatMessage> messages = new ArrayList<>(turns.size());
        ChatMessage system = null;
        for (Turn turn : turns) {
            ChatMessage message = MessageTurns.toMessage(turn);
            if (message instanceof SystemMessage) {
                system = message;
            } else {
                messages.add(message);
            }
        }
        if (system != null) {
            messages.add(0, system);
        }
        return messages;
    }
}
