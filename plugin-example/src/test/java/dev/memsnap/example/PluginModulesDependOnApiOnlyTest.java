package dev.memsnap.example;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The plugin rule, checked on the sources of every plugin module: a plugin compiles against {@code memsnap-api} (and
 * SLF4J) alone, so its {@code src/main} names nothing of {@code dev.memsnap.core} and nothing of Guice
 * ({@code com.google.inject}), in an import or spelt out in code, and its pom has {@code memsnap-core} (and Guice) at
 * test scope only, except that an integration listed in {@link #BRINGS_THE_RUNTIME} brings {@code memsnap-core} along
 * for the application. (Comments and string literals may mention them.) Runs in every build of this module; the modules
 * are found beside it, {@code ../<module>}, and a module that is missing fails the check rather than passing it.
 */
class PluginModulesDependOnApiOnlyTest {
    /** Every plugin module of the build. A new plugin module is added here. */
    static final List<String> PLUGIN_MODULES = List.of("websocket", "dashboard", "store-postgres", "plugin-example",
            "langchain4j");
    /**
     * Integrations whose sources keep the plugin rule but whose pom brings {@code memsnap-core} along for the
     * application, so that it adds one dependency and can start memsnap's runtime ({@code Memsnap.start}); their
     * own classes still name nothing of core (the source check above holds them to that).
     */
    static final List<String> BRINGS_THE_RUNTIME = List.of("langchain4j");
    private static final Pattern FORBIDDEN = Pattern.compile("\\b(dev\\s*\\.\\s*memsnap\\s*\\.\\s*core|com\\s*\\.\\s*google"
            + "\\s*\\.\\s*inject)\\b");
    private static final List<String> TEST_ONLY = List.of("memsnap-core", "guice");

    private static Path root() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path parentPom = root.resolve("pom.xml");
        try {
            assertTrue(Files.isRegularFile(parentPom) && Files.readString(parentPom)
                            .contains("<artifactId>memsnap-parent</artifactId>"),
                    "expected memsnap's parent pom at " + parentPom + " (run the tests from the plugin-example module,"
                            + " as Maven does)");
        } catch (IOException e) {
            fail("cannot read " + parentPom + ": " + e);
        }
        return root;
    }

    private static Path module(String name) {
        Path module = root().resolve(name);
        Path main = module.resolve("src/main/java");
        if (!Files.isDirectory(main)) {
            fail("plugin module " + name + " has no " + main + ": was it moved or renamed? Update PLUGIN_MODULES"
                    + " rather than let the check pass on nothing");
        }
        return module;
    }

    @Test
    void thisCheckFindsItsOwnModule() {
        assertEquals(root().resolve("plugin-example"), Path.of("").toAbsolutePath().normalize());
    }

    @TestFactory
    Stream<DynamicTest> noPluginSourceNamesCoreOrGuice() {
        return PLUGIN_MODULES.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path main = module(name).resolve("src/main");
            List<String> violations = new ArrayList<>();
            int javaFiles = 0;
            try (Stream<Path> files = Files.walk(main)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    if (file.toString().endsWith(".java")) {
                        javaFiles++;
                        violations.addAll(violations(main, file));
                    } else if (file.getParent().endsWith(Path.of("META-INF", "services"))) {
                        violations.addAll(serviceFileViolations(main, file));
                    }
                }
            }
            assertTrue(javaFiles > 0, main + " holds no Java source: the check would pass on nothing");
            if (!violations.isEmpty()) {
                fail(name + "'s src/main must use memsnap-api (and SLF4J) only, not memsnap-core or Guice:\n  "
                        + String.join("\n  ", violations));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> noPluginPomHasCoreOrGuiceBeyondTestScope() {
        return PLUGIN_MODULES.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path pom = module(name).resolve("pom.xml");
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(pom.toFile());
            List<String> violations = new ArrayList<>();
            for (Element dependency : dependencies(document.getDocumentElement())) {
                String artifact = text(dependency, "artifactId");
                boolean allowed = artifact.equals("memsnap-core") && BRINGS_THE_RUNTIME.contains(name);
                if (TEST_ONLY.contains(artifact) && !"test".equals(text(dependency, "scope")) && !allowed) {
                    violations.add(text(dependency, "groupId") + ":" + artifact + " at scope "
                            + (text(dependency, "scope").isEmpty() ? "compile" : text(dependency, "scope")));
                }
            }
            if (!violations.isEmpty()) {
                fail(pom + ": a plugin may depend on these at test scope only: " + violations);
            }
        }));
    }

    /** The project's own dependencies, not dependencyManagement's or a plugin's. */
    private static List<Element> dependencies(Element project) {
        List<Element> found = new ArrayList<>();
        for (Node section = project.getFirstChild(); section != null; section = section.getNextSibling()) {
            if (section instanceof Element e && e.getTagName().equals("dependencies")) {
                NodeList list = e.getElementsByTagName("dependency");
                for (int i = 0; i < list.getLength(); i++) {
                    found.add((Element) list.item(i));
                }
            }
        }
        return found;
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }

    private static List<String> serviceFileViolations(Path main, Path file) throws IOException {
        List<String> violations = new ArrayList<>();
        String name = file.getFileName().toString();
        if (FORBIDDEN.matcher(name).find()) {
            violations.add(main.relativize(file) + ": a service file of a core or Guice type; plugins are listed in"
                    + " META-INF/services/dev.memsnap.api.plugin.MemsnapPlugin");
        }
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceAll("#.*", "");
            if (FORBIDDEN.matcher(line).find()) {
                violations.add(main.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
            }
        }
        return violations;
    }

    private static List<String> violations(Path main, Path file) throws IOException {
        String original = Files.readString(file);
        String code = codeOnly(original);
        String[] lines = original.split("\n", -1);
        List<String> violations = new ArrayList<>();
        Matcher m = FORBIDDEN.matcher(code);
        while (m.find()) {
            int line = 1;
            for (int i = 0; i < m.start(); i++) {
                if (code.charAt(i) == '\n') {
                    line++;
                }
            }
            violations.add(main.relativize(file) + ":" + line + ": " + lines[line - 1].trim());
        }
        return violations;
    }

    /**
     * The source with comments and string, text-block and character literals blanked out (line breaks kept, so
     * line numbers stay right): what is left is what the compiler resolves as names.
     */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(source, i, end, out);
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < n && !source.startsWith("\"\"\"", end)) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 3);
                blank(source, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && source.charAt(end) != c && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
                blank(source, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String source, int from, int to, StringBuilder out) {
        for (int j = from; j < to; j++) {
            out.append(source.charAt(j) == '\n' ? '\n' : ' ');
        }
    }

    @Test
    void theScanSeesNamesInCodeAndIgnoresCommentsAndStrings() {
        String source = """
                package p;
                import dev.memsnap.core.ConfigFile; // flagged
                /** see dev.memsnap.core.Memsnap */
                class A {
                    String s = "dev.memsnap.core.X";
                    String t = \"""
                        com.google.inject.Module
                        \""";
                    char q = '"';
                    Object o = new com.google.inject.AbstractModule() { }; // flagged
                    Object p = dev.memsnap.core
                            .Memsnap.class; // flagged
                }
                """;
        Matcher m = FORBIDDEN.matcher(codeOnly(source));
        int found = 0;
        while (m.find()) {
            found++;
        }
        assertEquals(3, found, codeOnly(source));
    }
}
