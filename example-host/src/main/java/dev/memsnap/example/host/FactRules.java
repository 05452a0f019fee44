package dev.memsnap.example.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's fact extractor: a handful of rules that recognise plain statements of fact and preference ("My name is
 * Alice", "I like hiking", "Remember that ...") in what a user says. Each statement is one long-term memory, which the
 * host embeds into the user's embedding store so that retrieval finds it. It runs on every user message whatever the
 * chat model is, the rule model or an OpenAI-compatible one; the rule model also uses it to acknowledge a statement.
 * It holds no state.
 */
final class FactRules {

    /**
     * A long-term memory to store: what the host puts in the segment's text and metadata.
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
     * What a message says, read by the rules.
     *
     * @param text       the message without the fillers in front and the punctuation at the end
     * @param correction whether it starts with "actually" or "no"
     * @param question   whether it ends with a question mark
     * @param fact       the memory it states, or {@code null}
     * @param name       the name it gives ("My name is ..."), or {@code null}
     */
    record Heard(String text, boolean correction, boolean question, Learned fact, String name) {
    }

    static final String FACT = "fact";
    static final String PREFERENCE = "preference";
    /** Facts identify the user, so they matter more than tastes. */
    static final double FACT_IMPORTANCE = 0.8;
    static final double PREFERENCE_IMPORTANCE = 0.7;
    /** The user explicitly asked for it to be remembered. */
    static final double REMINDER_IMPORTANCE = 0.9;

    static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
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

    private FactRules() {
    }

    /**
     * @param message what the user said
     * @return what the rules read in it
     */
    static Heard hear(String message) {
        String text = message.strip();
        boolean correction = false;
        for (Matcher lead = LEAD.matcher(text); lead.lookingAt(); lead = LEAD.matcher(text)) {
            correction |= lead.group(1).equalsIgnoreCase("actually") || lead.group(1).equalsIgnoreCase("no");
            text = text.substring(lead.end());
        }
        boolean question = text.endsWith("?");
        text = text.replaceAll("[.!?\\s]+$", "");
        Matcher m;
        if ((m = NAME.matcher(text)).matches()) {
            String name = capitalizeWords(m.group(1));
            return new Heard(text, correction, question, fact("The user's name is " + name + ".", "user", "name"),
                    name);
        }
        return new Heard(text, correction, question, statement(text), null);
    }

    private static Learned statement(String text) {
        Matcher m;
        if ((m = FROM.matcher(text)).matches()) {
            return fact("The user is from " + m.group(1) + ".", "user", "origin");
        }
        if ((m = LIVES.matcher(text)).matches()) {
            return fact("The user lives in " + m.group(1) + ".", "user", "location");
        }
        if ((m = WORKS_AT.matcher(text)).matches()) {
            return fact("The user works at " + m.group(1) + ".", "user", "work");
        }
        if ((m = WORKS_AS.matcher(text)).matches()) {
            return fact("The user works as " + m.group(1) + ".", "user", "work", "job");
        }
        if ((m = DISLIKES.matcher(text)).matches()) {
            return preference("The user dislikes " + m.group(1) + ".", "user", "preference", "dislikes");
        }
        if ((m = LIKES.matcher(text)).matches()) {
            String verb = m.group(1).toLowerCase(Locale.ROOT) + "s";
            return preference("The user " + verb + " " + m.group(2) + ".", "user", "preference", "interests");
        }
        if ((m = PREFERS.matcher(text)).matches()) {
            List<String> topics = new ArrayList<>(List.of("user", "preference"));
            if (ABOUT_TALKING.matcher(m.group(1)).find()) {
                topics.add("communication");
            }
            return new Learned("The user prefers " + m.group(1) + ".", PREFERENCE, PREFERENCE_IMPORTANCE, topics);
        }
        if ((m = REMEMBER.matcher(text)).matches()) {
            // Kept in the user's own words: rewriting "my sister" into the third person by rule goes wrong too often.
            return new Learned("The user asked me to remember: " + m.group(1) + ".", FACT, REMINDER_IMPORTANCE,
                    List.of("user", "reminder"));
        }
        return null;
    }

    private static Learned fact(String content, String... topics) {
        return new Learned(content, FACT, FACT_IMPORTANCE, List.of(topics));
    }

    private static Learned preference(String content, String... topics) {
        return new Learned(content, PREFERENCE, PREFERENCE_IMPORTANCE, List.of(topics));
    }

    /** Turns the memories these rules write back to the user: "The user's name is Bob." becomes "Your name is Bob." */
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
