package dev.memsnap.example.host;

import dev.memsnap.api.Memory;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules: which statements become which memories (source type, importance, topics), and the answers. */
class ResponderTest {
    private final Responder responder = new Responder();
    private final Map<String, Memory> memories = new LinkedHashMap<>();

    /** Says something and stores what was learned, as the host does. */
    private Responder.Reply say(String message) {
        Responder.Reply reply = responder.respond(message, memories);
        for (Responder.Learned l : reply.learned()) {
            memories.put("memory_" + (memories.size() + 1),
                    Memory.of(l.content(), LocalDateTime.now(), l.importance(), l.sourceType(), l.topics()));
        }
        return reply;
    }

    private static Responder.Learned only(Responder.Reply reply) {
        assertEquals(1, reply.learned().size(), reply.toString());
        return reply.learned().get(0);
    }

    @Test
    void aNameIsAFactAboutTheUsersName() {
        Responder.Learned l = only(say("My name is alice."));
        assertEquals(new Responder.Learned("The user's name is Alice.", "fact", 0.8, List.of("user", "name")), l);
        assertEquals("The user's name is Mary Jane.", only(say("call me mary jane")).content());
    }

    @Test
    void factsAboutOriginAndWork() {
        assertEquals(new Responder.Learned("The user is from Lisbon.", "fact", 0.8, List.of("user", "origin")),
                only(say("I'm from Lisbon!")));
        assertEquals(List.of("user", "location"), only(say("I live in Porto")).topics());
        assertEquals(new Responder.Learned("The user works at Acme.", "fact", 0.8, List.of("user", "work")),
                only(say("I work at Acme.")));
        assertEquals(new Responder.Learned("The user works as a data engineer.", "fact", 0.8,
                List.of("user", "work", "job")), only(say("I work as a data engineer")));
    }

    @Test
    void preferencesWeighLessAndTalkingStyleIsCommunication() {
        assertEquals(new Responder.Learned("The user likes hiking.", "preference", 0.7,
                List.of("user", "preference", "interests")), only(say("I like hiking.")));
        assertEquals("The user loves jazz.", only(say("I really love jazz")).content());
        assertEquals(new Responder.Learned("The user prefers short answers.", "preference", 0.7,
                List.of("user", "preference", "communication")), only(say("I prefer short answers.")));
        assertEquals(List.of("user", "preference"), only(say("I prefer tea")).topics());
        assertEquals(new Responder.Learned("The user dislikes mornings.", "preference", 0.7,
                List.of("user", "preference", "dislikes")), only(say("I don't like mornings")));
    }

    @Test
    void anExplicitReminderMattersMost() {
        assertEquals(new Responder.Learned("The user asked me to remember: my sister's birthday is on May 3rd.",
                        "fact", 0.9, List.of("user", "reminder")),
                only(say("Remember that my sister's birthday is on May 3rd.")));
    }

    @Test
    void theNewestNameWinsAndACorrectionIsAcknowledged() {
        assertEquals("I don't know your name yet. Tell me: \"My name is ...\".", say("What is my name?").text());
        say("My name is Alice.");
        assertEquals("Your name is Alice.", say("what's my name?").text());
        Responder.Reply correction = say("Actually, my name is Bob.");
        assertEquals("Got it, I'll call you Bob from now on.", correction.text());
        assertEquals(List.of("user", "name"), only(correction).topics());
        assertEquals("Your name is Bob.", say("Who am I?").text());
    }

    @Test
    void whatDoYouKnowListsEveryMemory() {
        say("My name is Alice.");
        say("I like hiking.");
        Responder.Reply reply = say("What do you know about me?");
        assertEquals("Here is what I remember:\n- Your name is Alice.\n- You like hiking.", reply.text());
        assertTrue(reply.learned().isEmpty());
        assertEquals("You like hiking.", say("What do I like?").text());
    }

    @Test
    void questionsGreetingsAndChatterLearnNothing() {
        for (String message : List.of("Hello!", "thanks", "What's the weather?", "The sky is blue.", "")) {
            assertTrue(say(message).learned().isEmpty(), message);
        }
        assertTrue(memories.isEmpty());
    }

    @Test
    void memoriesFromOtherToolsAreQuotedAsWritten() {
        memories.put("memory_1", Memory.of("Prefers metric units", LocalDateTime.now(), 0.5, "preference",
                List.of("user", "preference")));
        assertEquals("Prefers metric units", say("What are my preferences?").text());
    }
}
