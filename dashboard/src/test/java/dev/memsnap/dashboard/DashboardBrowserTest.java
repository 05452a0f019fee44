package dev.memsnap.dashboard;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.core.compare.SnapshotComparator;
import dev.memsnap.core.compare.SnapshotDiff;
import dev.memsnap.core.manager.ManagerModule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end, in headless Chromium: a host started as a host starts it, snapshots taken through its manager, and what
 * a developer watching the page sees. One browser serves every test; each test has its own host.
 */
class DashboardBrowserTest {
    private static Browser browser;

    @TempDir
    Path dir;

    private TestHost host;

    /** A screenshot of every failure, next to the others, to see what the page showed. */
    @RegisterExtension
    final TestWatcher screenshotOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            try {
                browser.screenshot("failed-" + context.getRequiredTestMethod().getName());
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    };

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    /** The ids held or stored, read without a {@code list} event appearing on the page. */
    private Set<String> snapshotIds() {
        EnhancedMemoryManager core = host.memsnap.injector().getInstance(ManagerModule.CORE_MANAGER);
        return core.listSnapshots().stream().map(SnapshotMetadata::snapshotId).collect(Collectors.toSet());
    }

    /** Turns automatic snapshots on for two turns, which take one. */
    private String takeAutomaticSnapshot(String user, String assistant) {
        Set<String> before = snapshotIds();
        host.manager.enableAutoSnapshot(2);
        host.manager.addTurn("user", user);
        host.manager.addTurn("assistant", assistant);
        host.manager.disableAutoSnapshot();
        Set<String> taken = new java.util.HashSet<>(snapshotIds());
        taken.removeAll(before);
        assertEquals(1, taken.size(), "one automatic snapshot: " + taken);
        return taken.iterator().next();
    }

    private WebElement awaitEvent(String action, String snapshotId, boolean automatic) {
        String css = "#timeline li.event[data-action='" + action + "'][data-snapshot-id='" + snapshotId
                + "'][data-automatic='" + automatic + "']";
        return browser.await("a " + (automatic ? "automatic " : "") + action + " event for " + snapshotId
                + " on the timeline", d -> d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
    }

    private static boolean has(WebElement element, String css) {
        return !element.findElements(By.cssSelector(css)).isEmpty();
    }

    private void openSnapshot(String snapshotId) {
        browser.await("the snapshot " + snapshotId + " in the list",
                d -> d.findElements(By.cssSelector("#snapshots li[data-snapshot-id='" + snapshotId + "']")).size() == 1);
        browser.click("#snapshots li[data-snapshot-id='" + snapshotId + "']");
        browser.await("the details of " + snapshotId, d -> snapshotId.equals(
                d.findElement(By.id("details")).getDomAttribute("data-snapshot-id")) && d.findElement(By.id("details"))
                .isDisplayed());
    }

    @Test
    void snapshotEventsAppearOnTheTimelineAsTheyHappen() throws Exception {
        host = TestHost.start(dir);
        browser.open(host.pageUrl());
        browser.awaitLive();
        assertEquals(0, browser.all("#timeline li").size());

        Fixtures.converse(host.manager);
        String created = host.manager.createSnapshot();
        WebElement create = awaitEvent("create", created, false);
        assertTrue(has(create, ".badge.action-create"));
        assertFalse(has(create, ".badge.auto"));
        assertTrue(create.getText().contains("2 turns · 3 memories · 3 topics"), create.getText());

        host.manager.saveSnapshot(created);
        assertTrue(has(awaitEvent("save", created, false), ".badge.action-save"));

        Fixtures.continueConversation(host.manager);
        Set<String> beforeApply = snapshotIds();
        assertTrue(host.manager.applySnapshot(created));
        // Core keeps the live memory the apply replaced as an automatic undo point, created and saved before it.
        Set<String> undoPoints = new java.util.HashSet<>(snapshotIds());
        undoPoints.removeAll(beforeApply);
        assertEquals(1, undoPoints.size(), "one undo point: " + undoPoints);
        String undoPoint = undoPoints.iterator().next();
        assertTrue(has(awaitEvent("create", undoPoint, true), ".badge.auto"));
        assertTrue(has(awaitEvent("save", undoPoint, true), ".badge.auto"));
        WebElement apply = awaitEvent("apply", created, false);
        assertEquals("true", apply.getDomAttribute("data-success"));
        assertFalse(has(apply, ".badge.failed"));

        String missing = "snapshot_20000101_000000_0badc0de";
        assertFalse(host.manager.applySnapshot(missing));
        assertTrue(has(awaitEvent("apply", missing, false), ".badge.failed"));

        String automatic = takeAutomaticSnapshot("What's the weather like in May?", "Mild and sunny, around 22 °C.");
        WebElement auto = awaitEvent("create", automatic, true);
        assertTrue(has(auto, ".badge.auto"), "an automatic snapshot is marked as such");
        assertTrue(has(awaitEvent("save", automatic, true), ".badge.auto"), "so is its background save");

        MemorySnapshot base = host.manager.getSnapshot(created).orElseThrow();
        String loaded = host.manager.loadSnapshot(Fixtures.edited(base, "snapshot_20300101_120000_0000beef",
                dir.resolve("edited.json")));
        assertTrue(has(awaitEvent("load", loaded, false), ".badge.action-load"));

        List<WebElement> timeline = browser.all("#timeline li.event");
        assertEquals("load", timeline.get(0).getDomAttribute("data-action"), "newest on top");
        assertEquals(List.of("load", "save", "create", "apply", "apply", "save", "create", "save", "create"),
                timeline.stream().map(e -> e.getDomAttribute("data-action")).toList());
        assertEquals(List.of(undoPoint, undoPoint), List.of(timeline.get(5).getDomAttribute("data-snapshot-id"),
                timeline.get(6).getDomAttribute("data-snapshot-id")), "the undo point, before the apply");
        assertEquals("9", browser.find("#event-count").getText());

        // The listing follows: the automatic snapshot is marked, the loaded one is in memory only.
        browser.await("the listing to show the automatic snapshot as such", d -> !d.findElements(By.cssSelector(
                "#snapshots li[data-snapshot-id='" + automatic + "'][data-automatic='true'] .badge.auto")).isEmpty());
        browser.await("the loaded snapshot, unsaved", d -> !d.findElements(By.cssSelector(
                "#snapshots li[data-snapshot-id='" + loaded + "'][data-saved='false'] .badge.unsaved")).isEmpty());
        browser.screenshot("timeline");
    }

    @Test
    void theStatisticsShownAreTheSnapshots() throws Exception {
        host = TestHost.start(dir);
        Fixtures.converse(host.manager);
        Fixtures.continueConversation(host.manager);
        String id = host.manager.createSnapshot();
        MemorySnapshot snapshot = host.manager.getSnapshot(id).orElseThrow();
        MemorySnapshot.MemoryStats stats = snapshot.memoryStats();

        browser.open(host.pageUrl());
        openSnapshot(id);

        assertEquals(String.valueOf(snapshot.shortTerm().turns().size()), stat("turns"));
        assertEquals(String.valueOf(snapshot.longTerm().memories().size()), stat("memories"));
        assertEquals(String.valueOf(snapshot.longTerm().topics().size()), stat("topics"));
        assertEquals(String.valueOf(stats.longTerm().sourceTypes().size()), stat("source-types"));
        assertEquals(stats.shortTerm().sessionDuration(), Double.parseDouble(stat("session-duration")), 1e-6);
        assertEquals(stats.longTerm().averageImportance(), Double.parseDouble(stat("average-importance")), 1e-9);

        Map<String, String> bars = new TreeMap<>();
        for (WebElement bar : browser.all("#chart-source-types g[data-source-type]")) {
            bars.put(bar.getDomAttribute("data-source-type"), bar.getDomAttribute("data-count"));
        }
        Map<String, String> expected = new TreeMap<>();
        stats.longTerm().sourceTypes().forEach((type, n) -> expected.put(type, String.valueOf(n)));
        assertEquals(expected, bars);
        assertEquals(Map.of("fact", "2", "preference", "2", "assistant_note", "1"), bars);

        int[] bins = new int[10];
        for (Memory m : snapshot.longTerm().memories().values()) {
            bins[Math.min(9, (int) Math.floor(m.importance() * 10))]++;
        }
        List<WebElement> shownBins = browser.all("#chart-importance g.bin");
        assertEquals(10, shownBins.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(String.valueOf(bins[i]), shownBins.get(i).getDomAttribute("data-count"), "bin " + i);
        }

        assertEquals(snapshot.longTerm().topics(), browser.all("#topics .chip").stream()
                .map(c -> c.getDomAttribute("data-topic")).toList());
        assertEquals(snapshot.shortTerm().turns().size(), browser.all("#turns li.turn").size());
        assertEquals(List.copyOf(snapshot.longTerm().memories().keySet()), browser.all("#memories li.memory")
                .stream().map(m -> m.getDomAttribute("data-memory-id")).toList());
        assertTrue(browser.find("#memories li[data-memory-id='memory_1']").getText()
                .contains("User is planning a trip to Lisbon in May"));
    }

    private String stat(String name) {
        return browser.find(".stat[data-stat='" + name + "']").getDomAttribute("data-value");
    }

    @Test
    void theSearchFiltersTurnsAndMemories() throws Exception {
        host = TestHost.start(dir);
        Fixtures.converse(host.manager);
        Fixtures.continueConversation(host.manager);
        String id = host.manager.createSnapshot();
        browser.open(host.pageUrl());
        openSnapshot(id);

        WebElement search = browser.find("#search");
        search.sendKeys("coffee");
        // memory_4's content and memory_5's topics say coffee; of the turns only the third does.
        awaitShown(List.of("2"), List.of("memory_4", "memory_5"));
        assertFalse(browser.all("#memories mark").isEmpty(), "matches are highlighted");
        assertEquals("coffee", browser.all("#turns mark").get(0).getText());

        search.clear();
        search.sendKeys("FAMILY");
        awaitShown(List.of(), List.of("memory_3"));

        search.clear();
        search.sendKeys("sister");
        awaitShown(List.of(), List.of("memory_3"));

        search.clear();
        search.sendKeys("lisbon");
        awaitShown(List.of("0"), List.of("memory_1", "memory_5"));

        search.clear();
        search.sendKeys("x");
        search.sendKeys(org.openqa.selenium.Keys.BACK_SPACE);
        awaitShown(List.of("0", "1", "2", "3"), List.of("memory_1", "memory_2", "memory_3", "memory_4", "memory_5"));
    }

    private void awaitShown(List<String> turns, List<String> memories) {
        browser.await("turns " + turns + " and memories " + memories + " shown", d ->
                turns.equals(d.findElements(By.cssSelector("#turns li.turn")).stream()
                        .map(e -> e.getDomAttribute("data-index")).toList())
                        && memories.equals(d.findElements(By.cssSelector("#memories li.memory")).stream()
                        .map(e -> e.getDomAttribute("data-memory-id")).toList()));
    }

    @Test
    void comparingTwoSnapshotsHighlightsWhatWasAddedRemovedAndChanged() throws Exception {
        host = TestHost.start(dir);
        Fixtures.converse(host.manager);
        Fixtures.continueConversation(host.manager);
        String before = host.manager.createSnapshot();
        host.manager.saveSnapshot(before);
        MemorySnapshot a = host.manager.getSnapshot(before).orElseThrow();
        String after = host.manager.loadSnapshot(Fixtures.edited(a, "snapshot_20300101_120000_0000beef",
                dir.resolve("edited.json")));
        MemorySnapshot b = host.manager.getSnapshot(after).orElseThrow();
        SnapshotDiff diff = SnapshotComparator.compare(a, b);

        browser.open(host.pageUrl());
        browser.await("both snapshots in the list", d -> d.findElements(By.cssSelector("#snapshots li")).size() == 2);
        openSnapshot(after);
        browser.click("#detail-compare-previous");
        awaitComparison(before, after);
        assertEquals(diff.turnsAdded().stream().map(t -> String.valueOf(t.index())).toList(), attributes(
                "#diff-turns li[data-diff='turn-added']", "data-index"));
        assertEquals(diff.turnsRemoved().stream().map(t -> String.valueOf(t.index())).toList(), attributes(
                "#diff-turns li[data-diff='turn-removed']", "data-index"));
        assertEquals(List.copyOf(diff.memoriesAdded().keySet()), attributes(
                "#diff-memories li[data-diff='memory-added']", "data-memory-id"));
        assertEquals(List.copyOf(diff.memoriesRemoved().keySet()), attributes(
                "#diff-memories li[data-diff='memory-removed']", "data-memory-id"));
        Map<String, List<String>> changed = new LinkedHashMap<>();
        for (WebElement item : browser.all("#diff-memories li[data-diff='memory-changed']")) {
            changed.put(item.getDomAttribute("data-memory-id"), item.findElements(By.cssSelector("tr[data-field]"))
                    .stream().map(r -> r.getDomAttribute("data-field")).toList());
        }
        assertEquals(diff.memoriesChanged().stream().collect(Collectors.toMap(SnapshotDiff.MemoryChange::memoryId,
                c -> c.fields().stream().map(SnapshotDiff.FieldChange::field).toList(), (x, y) -> x,
                LinkedHashMap::new)), changed);

        // What the edit did, spelled out: the page shows exactly this.
        assertEquals(List.of("3"), attributes("#diff-turns li[data-diff='turn-added']", "data-index"));
        assertEquals(List.of("3"), attributes("#diff-turns li[data-diff='turn-removed']", "data-index"));
        assertEquals(List.of("memory_9"), attributes("#diff-memories li[data-diff='memory-added']", "data-memory-id"));
        assertEquals(List.of("memory_2"), attributes("#diff-memories li[data-diff='memory-removed']",
                "data-memory-id"));
        assertEquals(Map.of("memory_4", List.of("content", "importance", "topics")), changed);
        WebElement content = browser.find("#diff-memories li[data-memory-id='memory_4'] tr[data-field='content']");
        assertEquals("User drinks a lot of coffee", content.findElement(By.cssSelector(".before")).getText());
        assertEquals("User has cut down to one coffee a day", content.findElement(By.cssSelector(".after")).getText());
        assertEquals(Set.of("health", "sintra"), Set.copyOf(attributes("#diff-topics [data-diff='topic-gained']",
                "data-topic")));
        assertEquals(List.of(), attributes("#diff-topics [data-diff='topic-lost']", "data-topic"));

        // Highlighted: green, red, amber.
        assertEquals("rgba(233, 248, 239, 1)", browser.find("#diff-memories li.added").getCssValue("background-color"));
        assertEquals("rgba(253, 237, 237, 1)",
                browser.find("#diff-memories li.removed").getCssValue("background-color"));
        assertEquals("rgba(255, 246, 223, 1)",
                browser.find("#diff-memories li.changed").getCssValue("background-color"));
        browser.screenshot("compare");

        // The other way round, picked in the selects: what was added is now removed, and so on.
        SnapshotDiff reversed = SnapshotComparator.compare(b, a);
        browser.await("to pick " + after + " then " + before, d -> {
            new Select(d.findElement(By.id("compare-before"))).selectByValue(after);
            new Select(d.findElement(By.id("compare-after"))).selectByValue(before);
            return true;
        });
        browser.click("#compare-run");
        awaitComparison(after, before);
        assertEquals(List.copyOf(reversed.memoriesAdded().keySet()), attributes(
                "#diff-memories li[data-diff='memory-added']", "data-memory-id"));
        assertEquals(List.of("memory_2"), attributes("#diff-memories li[data-diff='memory-added']", "data-memory-id"));
        assertEquals(List.of("memory_9"), attributes("#diff-memories li[data-diff='memory-removed']",
                "data-memory-id"));
        assertEquals(List.of("memory_4"), attributes("#diff-memories li[data-diff='memory-changed']",
                "data-memory-id"));
        assertEquals(Set.of("health", "sintra"), Set.copyOf(attributes("#diff-topics [data-diff='topic-lost']",
                "data-topic")));
    }

    private void awaitComparison(String before, String after) {
        browser.await("the comparison of " + before + " with " + after, d -> {
            WebElement result = d.findElement(By.id("compare-result"));
            return result.isDisplayed() && before.equals(result.getDomAttribute("data-before"))
                    && after.equals(result.getDomAttribute("data-after"));
        });
    }

    private List<String> attributes(String css, String attribute) {
        return browser.all(css).stream().map(e -> e.getDomAttribute(attribute)).toList();
    }

    @Test
    void thePageReconnectsByItselfWhenTheHostRestarts() throws Exception {
        host = TestHost.start(dir);
        browser.open(host.pageUrl());
        browser.awaitLive();
        Fixtures.converse(host.manager);
        String first = host.manager.createSnapshot();
        host.manager.saveSnapshot(first);
        awaitEvent("save", first, false);
        assertEquals("1", browser.find("#conn").getDomAttribute("data-connections"));

        host = host.restart();
        browser.await("the page to reconnect to the restarted host", d -> "2".equals(
                d.findElement(By.id("conn")).getDomAttribute("data-connections")));
        browser.awaitLive();

        host.manager.addTurn("user", "Back again!");
        String second = host.manager.createSnapshot();
        awaitEvent("create", second, false);
        browser.await("both snapshots in the list, the first from the store", d -> d.findElements(
                By.cssSelector("#snapshots li[data-snapshot-id]")).stream().map(e -> e.getDomAttribute("data-snapshot-id"))
                .collect(Collectors.toSet()).equals(Set.of(first, second)));
    }

    @Test
    void aWrongTokenSeesNothingButAnError() throws Exception {
        host = TestHost.start(dir);
        Fixtures.converse(host.manager);
        String id = host.manager.createSnapshot();

        for (String presented : new String[] {"wrong-token-0123456789abcdef", null}) {
            browser.open(host.pageUrl(presented));
            String text = browser.find("body").getText();
            assertTrue(text.contains("401: missing or wrong token"), text);
            assertFalse(browser.driver.getPageSource().contains(id));
            assertTrue(browser.all("#timeline, #snapshots, script").isEmpty(), "nothing of the page is there");
        }

        // The page was opened with the right token, and the host came back with another: the page clears itself.
        browser.open(host.pageUrl());
        openSnapshot(id);
        browser.awaitLive();
        int dashboardPort = host.dashboard.port();
        host.close();
        host = TestHost.startOn(dir, "another-token-0123456789abcdef", dashboardPort, host.webSocketPort);
        browser.await("the page to show only the error", d -> d.findElement(By.id("fatal")).isDisplayed()
                && !d.findElement(By.id("app")).isDisplayed());
        assertTrue(browser.find("#fatal").getText().contains("401: missing or wrong token"));
        assertFalse(browser.driver.getPageSource().contains(id), "no snapshot data is left on the page");
        assertTrue(browser.all("#app *").isEmpty());
    }

    @Test
    void aScreenshotOfAWorkingSession() throws Exception {
        host = TestHost.start(dir);
        browser.open(host.pageUrl());
        browser.awaitLive();
        Fixtures.converse(host.manager);
        String first = host.manager.createSnapshot();
        host.manager.saveSnapshot(first);
        Fixtures.continueConversation(host.manager);
        host.manager.addMemory("User is vegetarian", "preference", 0.93, List.of("food"));
        host.manager.addMemory("User asked about tram 28", "event", 0.12, List.of("lisbon", "transport"));
        String automatic = takeAutomaticSnapshot("Which tram goes to the castle?",
                "Tram 28 stops close to São Jorge Castle.");
        awaitEvent("save", automatic, true);
        host.manager.applySnapshot(first);
        awaitEvent("apply", first, false);

        openSnapshot(automatic);
        browser.await("the charts", d -> d.findElements(By.cssSelector("#chart-importance g.bin")).size() == 10);
        browser.await("new events to stop flashing", d -> d.findElements(By.cssSelector("#timeline .fresh")).isEmpty());
        Path shot = browser.screenshot("dashboard");
        assertTrue(Files.size(shot) > 10_000, "a real picture");
        String docs = System.getProperty("dashboard.docs");
        if (Boolean.getBoolean("dashboard.updateDocsScreenshot") && docs != null) {
            Files.createDirectories(Path.of(docs));
            Files.write(Path.of(docs, "dashboard.png"), Files.readAllBytes(shot));
        }
    }

    @Test
    void pickingAnotherMemoryShowsItsSnapshotsItsTreeAndOnlyItsEvents() throws Exception {
        host = TestHost.start(dir);
        Fixtures.converse(host.manager);
        String inDefault = host.manager.createSnapshot();
        EnhancedMemoryManager alice = host.memsnap.memories().get("alice@example.com");
        Fixtures.converse(alice);
        String root = alice.createSnapshot();
        alice.saveSnapshot(root);
        Fixtures.continueConversation(alice);
        String line = alice.createSnapshot();
        assertTrue(alice.applySnapshot(root));
        alice.addTurn("user", "Actually, let's go to Madrid.");
        String branch = alice.createSnapshot();

        browser.open(host.pageUrl());
        browser.awaitLive();
        openSnapshot(inDefault);
        browser.await("the memory picker to list alice", d -> d.findElements(By.cssSelector(
                "#memory option[value='alice@example.com']")).size() == 1);
        browser.await("to pick alice", d -> {
            new Select(d.findElement(By.id("memory"))).selectByValue("alice@example.com");
            return true;
        });

        browser.await("alice's snapshots, and only hers", d -> d.findElements(By.cssSelector("#snapshots li"))
                .stream().map(e -> e.getDomAttribute("data-snapshot-id")).collect(Collectors.toSet())
                .equals(Set.of(root, line, branch)));
        assertTrue(browser.driver.getCurrentUrl().contains("memory=alice%40example.com"),
                "the address names the memory: " + browser.driver.getCurrentUrl());
        openSnapshot(line);
        assertEquals("4", browser.find("#stats [data-stat=turns] .value").getText());

        browser.click("#tab-history");
        browser.await("the tree", d -> d.findElements(By.cssSelector("#tree li.tree-node")).size() == 3);
        List<WebElement> rows = browser.all("#tree li.tree-node");
        assertEquals(List.of(root, branch, line), rows.stream().map(e -> e.getDomAttribute("data-snapshot-id"))
                .toList(), "oldest first, the branch right under its fork");
        assertEquals(List.of("0", "1", "0"), rows.stream().map(e -> e.getDomAttribute("data-depth")).toList());
        assertEquals("true", rows.get(1).getDomAttribute("data-branch"));
        assertEquals(root, rows.get(1).getDomAttribute("data-parent"));
        assertEquals(root, rows.get(2).getDomAttribute("data-parent"));
        assertEquals(1, rows.get(1).findElements(By.cssSelector(".tree-indent")).size(), "drawn indented");
        assertTrue(rows.get(0).getText().contains("2 turns"), rows.get(0).getText());
        browser.screenshot("memory-history");
        browser.click("#tree li.tree-node[data-snapshot-id='" + branch + "']");
        browser.await("the branch's details", d -> branch.equals(
                d.findElement(By.id("details")).getDomAttribute("data-snapshot-id")));

        // The stream now carries alice's events only: the default memory's snapshot never reaches the timeline.
        browser.awaitLive();
        String elsewhere = host.manager.createSnapshot();
        String next = alice.createSnapshot();
        awaitEvent("create", next, false);
        assertTrue(browser.all("#timeline li[data-snapshot-id='" + elsewhere + "']").isEmpty());
        assertTrue(browser.all("#timeline li[data-snapshot-id='" + inDefault + "']").isEmpty());
        browser.await("the new snapshot in alice's tree", d -> d.findElements(By.cssSelector(
                "#tree li.tree-node[data-snapshot-id='" + next + "'][data-parent='" + branch + "']")).size() == 1);
    }

    @Test
    void theDashboardsOwnOriginsGetLiveEventsWithoutBeingListed() throws Exception {
        host = TestHost.startOn(dir, TestHost.TOKEN, 0, 0); // port 0: nothing could have listed it
        int port = host.dashboard.port();
        browser.open("http://localhost:" + port + "/?token=" + TestHost.TOKEN);
        browser.awaitLive();
        assertFalse(browser.find("#conn-problem").isDisplayed());
        String created = host.manager.createSnapshot();
        awaitEvent("create", created, false);
    }

    @Test
    void aPageTheStreamRefusesSaysWhatWasRefusedAndWhatToSet() throws Exception {
        host = TestHost.startOn(dir, TestHost.TOKEN, 0, 0);
        int port = host.dashboard.port();
        // *.localhost is loopback to the browser, but not one of the dashboard's own names
        browser.open("http://app.localhost:" + port + "/?token=" + TestHost.TOKEN);
        browser.await("the page to say why it gets no live events", d -> {
            WebElement problem = d.findElement(By.id("conn-problem"));
            return problem.isDisplayed() && problem.getText().contains("http://app.localhost:" + port)
                    && problem.getText().contains("websocket.allowed_origins");
        });
        assertNotEquals("live", browser.find("#conn").getDomAttribute("data-state"));
    }
}
