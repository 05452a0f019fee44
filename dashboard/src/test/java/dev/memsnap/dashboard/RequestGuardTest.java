package dev.memsnap.dashboard;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may read: the token rules and the Host rule, without sockets. */
class RequestGuardTest {
    private static final String TOKEN = "s3cret-token-0123456789";
    private final RequestGuard guard = new RequestGuard(TOKEN, true);

    @Test
    void theTokenIsTakenFromABearerHeaderOrTheQuery() {
        assertTrue(guard.authorized(List.of("Bearer " + TOKEN), null));
        assertTrue(guard.authorized(List.of("bearer " + TOKEN), null));
        assertTrue(guard.authorized(null, "token=" + TOKEN));
        assertTrue(guard.authorized(null, "a=1&token=" + TOKEN + "&b=2"));
        assertTrue(guard.authorized(List.of("Bearer nope"), "token=" + TOKEN), "any presented value may match");
    }

    @Test
    void aMissingWrongOrMalformedTokenIsRefused() {
        assertFalse(guard.authorized(null, null));
        assertFalse(guard.authorized(List.of(), ""));
        assertFalse(guard.authorized(List.of("Bearer " + TOKEN + "x"), null));
        assertFalse(guard.authorized(List.of("Basic " + TOKEN), null));
        assertFalse(guard.authorized(List.of(TOKEN), null));
        assertFalse(guard.authorized(null, "token=" + TOKEN.substring(1)));
        assertFalse(guard.authorized(null, "tokens=" + TOKEN));
        assertFalse(guard.authorized(null, "token=" + TOKEN + "%zz"));
    }

    @Test
    void withoutAConfiguredTokenEveryoneMayRead() {
        RequestGuard open = new RequestGuard(null, true);
        assertFalse(open.tokenRequired());
        assertTrue(open.authorized(null, null));
        assertTrue(guard.tokenRequired());
    }

    @Test
    void onLoopbackOnlyLoopbackNamesAreAcceptedAsHost() {
        for (String host : List.of("127.0.0.1", "127.0.0.1:8770", "localhost:8770", "LOCALHOST", "[::1]:8770",
                "127.1.2.3", "app.localhost:8770")) {
            assertTrue(guard.hostAllowed(host), host);
        }
        for (String host : new String[] {null, "", "attacker.example", "attacker.example:8770", "127.0.0.1.nip.io",
                "localhost.attacker.example", "[::2]:8770", "10.0.0.1", "0.0.0.0"}) {
            assertFalse(guard.hostAllowed(host), host);
        }
        assertTrue(new RequestGuard(null, false).hostAllowed("dashboard.internal:8770"),
                "a server on another interface cannot know its names: the token protects it");
    }

    @Test
    void hostNamesAreParsedWithoutThePort() {
        assertEquals("localhost", RequestGuard.hostName("LocalHost:80"));
        assertEquals("::1", RequestGuard.hostName("[::1]:8770"));
        assertNull(RequestGuard.hostName("[::1"));
        assertNull(RequestGuard.hostName(" "));
    }
}
