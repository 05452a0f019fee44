package dev.memsnap.example.docs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Java snippets compile and run as pasted. Every {@code ```java} block of the top README.md that starts
 * with {@code import} is a complete program body: its imports, then statements. Each is compiled against this
 * module's class path and run in a JVM of its own, in an empty working directory (no {@code config.yaml}: the embedded
 * defaults), and must exit 0. Blocks that are fragments (no imports) are left alone.
 */
class ReadmeSnippetsTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path work;

    static List<String> runnableSnippets(String markdown) {
        List<String> snippets = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(markdown);
        while (m.find()) {
            if (m.group(1).startsWith("import ")) {
                snippets.add(m.group(1));
            }
        }
        return snippets;
    }

    /** Imports stay on top; the rest becomes the body of {@code main}. */
    static String program(String className, String snippet) {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.split("\n", -1)) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        return imports + "public class " + className + " {\n    public static void main(String[] args) throws Exception {\n"
                + body + "    }\n}\n";
    }

    @Test
    void everyRunnableSnippetCompilesAndRuns() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        List<String> snippets = runnableSnippets(readme);
        assertTrue(snippets.size() >= 2, "the README's runnable snippets were not found: " + snippets.size());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classPath = System.getProperty("java.class.path");
        Path classes = Files.createDirectories(work.resolve("classes"));
        for (int i = 0; i < snippets.size(); i++) {
            String name = "ReadmeSnippet" + (i + 1);
            Path source = work.resolve(name + ".java");
            Files.writeString(source, program(name, snippets.get(i)));
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int compiled = javac.run(null, null, errors, "-d", classes.toString(), "-cp", classPath,
                    source.toString());
            assertEquals(0, compiled, "README snippet " + (i + 1) + " does not compile:\n"
                    + errors.toString(StandardCharsets.UTF_8) + "\n" + snippets.get(i));
            Path cwd = Files.createDirectories(work.resolve("run-" + (i + 1)));
            String output = run(cwd, classes + File.pathSeparator + classPath, name);
            assertTrue(output.startsWith("exit 0"), "README snippet " + (i + 1) + " failed:\n" + output + "\n"
                    + snippets.get(i));
        }
    }

    private static String run(Path cwd, String classPath, String mainClass) throws IOException, InterruptedException {
        Path log = cwd.resolve("output.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, mainClass).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out\n" + Files.readString(log);
        }
        return "exit " + p.exitValue() + "\n" + Files.readString(log);
    }
}
