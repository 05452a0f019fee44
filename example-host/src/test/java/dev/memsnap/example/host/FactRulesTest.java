package dev.memsnap.example.host;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fact extractor: which statements become which memories (content, source type, importance, topics). */
class FactRulesTest {
    private static FactRules.Learned fact(String message) {
        FactRules.Learned fact = FactRules.hear(message).fact();
        assertTrue(fact != null, "no fact in " + message);
        return fact;
    }

    @Test
    void aNameIsAFactAboutTheUsersName() {
        assertEquals(new FactRules.Learned("The user's name is Alice.", "fact", 0.8, List.of("user", "name")),
                fact("My name is alice."));
        assertEquals("The user's name is Mary Jane.", fact("call me mary jane").content());
        assertEquals("Mary Jane", FactRules.hear("call me mary jane").name());
    }

    @Test
    void factsAboutOriginAndWork() {
        assertEquals(new FactRules.Learned("The user is from Lisbon.", "fact", 0.8, List.of("user", "origin")),
                fact("I'm from Lisbon!"));
        assertEquals(List.of("user", "location"), fact("I live in Porto").topics());
        assertEquals(new FactRules.Learned("The user works at Acme.", "fact", 0.8, List.of("user", "work")),
                fact("I work at Acme."));
        assertEquals(new FactRules.Learned("The user works as a data engineer.", "fact", 0.8,
                List.of("user", "work", "job")), fact("I work as a data engineer"));
    }

    @Test
    void preferencesWeighLessAndTalkingStyleIsCommunication() {
        assertEquals(new FactRules.Learned("The user likes hiking.", "preference", 0.7,
                List.of("user", "preference", "interests")), fact("I like hiking."));
        assertEquals("The user loves jazz.", fact("I really love jazz").content());
        assertEquals(new FactRules.Learned("The user prefers short answers.", "preference", 0.7,
                List.of("user", "preference", "communication")), fact("I prefer short answers."));
        assertEquals(List.of("user", "preference"), fact("I prefer tea").topics());
        assertEquals(new FactRules.Learned("The user dislikes mornings.", "preference", 0.7,
                List.of("user", "preference", "dislikes")), fact("I don't like mornings"));
    }

    @Test
    void anExplicitReminderMattersMost() {
        assertEquals(new FactRules.Learned("The user asked me to remember: my sister's birthday is on May 3rd.",
                        "fact", 0.9, List.of("user", "reminder")),
                fact("Remember that my sister's birthday is on May 3rd."));
    }

    @Test
    void fillersAreDroppedAndActuallyMarksACorrection() {
        FactRules.Heard heard = FactRules.hear("Actually, my name is Bob.");
        assertTrue(heard.correction());
        assertEquals("Bob", heard.name());
        assertFalse(FactRules.hear("Well, my name is Bob.").correction());
        assertEquals("The user's name is Bob.", FactRules.hear("Well, my name is Bob.").fact().content());
    }

    @Test
    void questionsGreetingsAndChatterStateNoFact() {
        for (String message : List.of("Hello!", "thanks", "What is my name?", "What's the weather?",
                "The sky is blue.", "")) {
            assertNull(FactRules.hear(message).fact(), message);
        }
        assertTrue(FactRules.hear("What is my name?").question());
    }
}
