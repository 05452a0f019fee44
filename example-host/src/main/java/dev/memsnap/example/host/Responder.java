package dev.memsnap.example.host;

import dev.memsnap.api.Memory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The assistant's "brain": a handful of rules, no language model. It recognises plain statements of fact and
 * preference ("My name is Alice", "I like hiking", "Remember that ..."), which become long-term memories, and a few
 * questions ("What is my name?", "What do you know about me?"), which it answers from long-term memory. Everything
 * else gets a polite fallback. It holds no state: memory lives in memsnap, which is what snapshots capture.
 */
final class Responder {

    /**
     * A long-term memory to store, as {@code EnhancedMemoryManager.addMemory} takes it.
     *
     * @param content    the remembered text, in the third person ("The user's name is Alice.")
     * @param sourceType {@code fact} or {@code preference}
     * @param importance from 0 to 1
     * @param topics     what it is about, from the rule that matched
     */
    record Learned(String content, String sourceType, double importance, List<String> topics) {
        Learned {
            topics = List.copyOf(topics);
        }
    }

    /**
     * What the assistant says, and what it learned from the message.
     *
     * @param text    the reply
     * @param learned memories to store, possibly none
     */
    record Reply(String text, List<Learned> learned) {
        Reply {
            learned = List.copyOf(learned);
        }
    }

    static final String FACT = "fact";
    static final String PREFERENCE = "preference";
    /** Facts identify the user, so they matter more than tastes. */
    static final double FACT_IMPORTANCE = 0.8;
    static final double PREFERENCE_IMPORTANCE = 0.7;
    /** The user explicitly asked for it to be remembered. */
    static final double REMINDER_IMPORTANCE = 0.9;

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    /** Fillers people put before a statement; "actually" and "no" also mark a correction. */
    private static final Pattern LEAD = Pattern.compile("^(actually|no|well|oh|ok|okay|so|and|also)\\b[,!]?\\s*", FLAGS);

    private static final Pattern NAME = Pattern.compile(
            "(?:my name is|my name's|call me|i am called|i'm called)\\s+(.+)", FLAGS);
    private static final Pattern FROM = Pattern.compile("i(?: am|'m) from\\s+(.+)", FLAGS);
    private static final Pattern LIVES = Pattern.compile("i live in\\s+(.+)", FLAGS);
    private static final Pattern WORKS_AT = Pattern.compile("i work (?:at|for)\\s+(.+)", FLAGS);
    private static final Pattern WORKS_AS = Pattern.compile("i work as\\s+(.+)", FLAGS);
    private static final Pattern DISLIKES = Pattern.compile("i (?:don't like|do not like|dislike|hate)\\s+(.+)", FLAGS);
    private static final Pattern LIKES = Pattern.compile("i (?:really )?(like|love|enjoy)\\s+(.+)", FLAGS);
    private static final Pattern PREFERS = Pattern.compile("i(?:'d| would)? prefer\\s+(.+)", FLAGS);
    private static final Pattern REMEMBER = Pattern.compile("(?:please )?remember(?: that)?\\s+(.+)", FLAGS);
    /** Preferences about how the assistant talks get the topic "communication" as well. */
    private static final Pattern ABOUT_TALKING = Pattern.compile(
            "answer|response|repl|brief|short|long|detail|concise|formal|casual|language", FLAGS);

    private static final Pattern ASK_NAME = Pattern.compile(
            "what(?:'s| is) my name|who am i|do you (?:know|remember) my name", FLAGS);
    private static final Pattern ASK_ORIGIN = Pattern.compile("where (?:am i from|do i come from|do i live)", FLAGS);
    private static final Pattern ASK_WORK = Pattern.compile(
            "where do i work|what do i do|what(?:'s| is) my job|what do i work as", FLAGS);
    private static final Pattern ASK_LIKES = Pattern.compile(
            "what do i (?:like|love|enjoy|prefer)|what are my preferences", FLAGS);
    private static final Pattern ASK_ALL = Pattern.compile(
            "what do you (?:know|remember)(?: about me)?|tell me about (?:me|myself)|what have you learned", FLAGS);
    private static final Pattern GREETING = Pattern.compile("(?:hi|hello|hey|good (?:morning|afternoon|evening))\\b.*",
            FLAGS);
    private static final Pattern THANKS = Pattern.compile("(?:thanks|thank you)\\b.*", FLAGS);

    /**
     * @param message  what the user said
     * @param memories long-term memory now, oldest first, to answer questions from
     * @return the reply, and the memories to store
     */
    Reply respond(String message, Map<String, Memory> memories) {
        String text = message.strip();
        boolean correction = false;
        for (Matcher lead = LEAD.matcher(text); lead.lookingAt(); lead = LEAD.matcher(text)) {
            correction |= lead.group(1).equalsIgnoreCase("actually") || lead.group(1).equalsIgnoreCase("no");
            text = text.substring(lead.end());
        }
        boolean question = text.endsWith("?");
        text = text.replaceAll("[.!?\\s]+$", "");
        Collection<Memory> known = memories.values();

        if (ASK_NAME.matcher(text).matches()) {
            return answer(newestWithTopic(known, "name"), "I don't know your name yet. Tell me: \"My name is ...\".");
        }
        if (ASK_ORIGIN.matcher(text).matches()) {
            return answer(allWithTopics(known, "origin", "location"), "You haven't told me where you are from.");
        }
        if (ASK_WORK.matcher(text).matches()) {
            return answer(allWithTopics(known, "work"), "You haven't told me about your work.");
        }
        if (ASK_LIKES.matcher(text).matches()) {
            return answer(known.stream().filter(x -> PREFERENCE.equals(x.sourceType())).toList(),
                    "You haven't told me what you like.");
        }
        if (ASK_ALL.matcher(text).matches()) {
            return answer(List.copyOf(known), "Nothing yet. Tell me about yourself and I'll remember it.");
        }

        Matcher m;
        if ((m = NAME.matcher(text)).matches()) {
            String name = capitalizeWords(m.group(1));
            return new Reply(correction ? "Got it, I'll call you " + name + " from now on." : "Nice to meet you, "
                    + name + "!", List.of(fact("The user's name is " + name + ".", "user", "name")));
        }
        if ((m = FROM.matcher(text)).matches()) {
            return noted(fact("The user is from " + m.group(1) + ".", "user", "origin"));
        }
        if ((m = LIVES.matcher(text)).matches()) {
            return noted(fact("The user lives in " + m.group(1) + ".", "user", "location"));
        }
        if ((m = WORKS_AT.matcher(text)).matches()) {
            return noted(fact("The user works at " + m.group(1) + ".", "user", "work"));
        }
        if ((m = WORKS_AS.matcher(text)).matches()) {
            return noted(fact("The user works as " + m.group(1) + ".", "user", "work", "job"));
        }
        if ((m = DISLIKES.matcher(text)).matches()) {
            return noted(preference("The user dislikes " + m.group(1) + ".", "user", "preference", "dislikes"));
        }
        if ((m = LIKES.matcher(text)).matches()) {
            String verb = m.group(1).toLowerCase(Locale.ROOT) + "s";
            return noted(preference("The user " + verb + " " + m.group(2) + ".", "user", "preference", "interests"));
        }
        if ((m = PREFERS.matcher(text)).matches()) {
            List<String> topics = new ArrayList<>(List.of("user", "preference"));
            if (ABOUT_TALKING.matcher(m.group(1)).find()) {
                topics.add("communication");
            }
            return noted(new Learned("The user prefers " + m.group(1) + ".", PREFERENCE, PREFERENCE_IMPORTANCE,
                    topics));
        }
        if ((m = REMEMBER.matcher(text)).matches()) {
            // Kept in the user's own words: rewriting "my sister" into the third person by rule goes wrong too often.
            return noted(new Learned("The user asked me to remember: " + m.group(1) + ".", FACT,
                    REMINDER_IMPORTANCE, List.of("user", "reminder")));
        }

        if (GREETING.matcher(text).matches()) {
            return new Reply("Hello! Tell me about yourself (\"My name is ...\", \"I like ...\") and I'll remember it.",
                    List.of());
        }
        if (THANKS.matcher(text).matches()) {
            return new Reply("You're welcome!", List.of());
        }
        if (question) {
            return new Reply("I don't know. I can answer what you have told me: your name, where you are from, "
                    + "your work, what you like.", List.of());
        }
        return new Reply("I see. I remember plain statements such as \"My name is ...\", \"I like ...\", "
                + "\"I work at ...\" or \"Remember that ...\".", List.of());
    }

    private static Learned fact(String content, String... topics) {
        return new Learned(content, FACT, FACT_IMPORTANCE, List.of(topics));
    }

    private static Learned preference(String content, String... topics) {
        return new Learned(content, PREFERENCE, PREFERENCE_IMPORTANCE, List.of(topics));
    }

    private static Reply noted(Learned learned) {
        return new Reply("Noted: " + secondPerson(learned.content()), List.of(learned));
    }

    private static Reply answer(List<Memory> found, String unknown) {
        if (found.isEmpty()) {
            return new Reply(unknown, List.of());
        }
        if (found.size() == 1) {
            return new Reply(secondPerson(found.get(0).content()), List.of());
        }
        StringBuilder text = new StringBuilder("Here is what I remember:");
        found.forEach(memory -> text.append("\n- ").append(secondPerson(memory.content())));
        return new Reply(text.toString(), List.of());
    }

    /** The latest wins: after "Actually my name is Bob" the name is Bob, until a snapshot rolls that back. */
    private static List<Memory> newestWithTopic(Collection<Memory> memories, String topic) {
        List<Memory> all = allWithTopics(memories, topic);
        return all.isEmpty() ? List.of() : List.of(all.get(all.size() - 1));
    }

    private static List<Memory> allWithTopics(Collection<Memory> memories, String... topics) {
        return memories.stream().filter(m -> List.of(topics).stream().anyMatch(m.topics()::contains)).toList();
    }

    /** Turns the memories this class writes back to the user: "The user's name is Bob." becomes "Your name is Bob." */
    static String secondPerson(String content) {
        String[][] replacements = {
                {"The user's ", "Your "}, {"The user is ", "You are "}, {"The user asked me ", "You asked me "},
                {"The user likes ", "You like "}, {"The user loves ", "You love "}, {"The user enjoys ", "You enjoy "},
                {"The user dislikes ", "You dislike "}, {"The user prefers ", "You prefer "},
                {"The user works ", "You work "}, {"The user lives ", "You live "}};
        for (String[] r : replacements) {
            if (content.startsWith(r[0])) {
                return r[1] + content.substring(r[0].length());
            }
        }
        return content; // a memory from another tool: shown as it was written
    }

    private static String capitalizeWords(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean start = true;
        for (char c : text.toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : c);
            start = Character.isWhitespace(c) || c == '-';
        }
        return out.toString();
    }
}
