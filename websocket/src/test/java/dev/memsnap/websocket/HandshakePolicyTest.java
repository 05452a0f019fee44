package dev.memsnap.websocket;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Who may connect: path, origin and token rules, without sockets. */
class HandshakePolicyTest {
    static final String TOKEN = "s3cr3t-t0ken-0123456789abcdef";

    private static HandshakePolicy policy(String token, List<String> origins) {
        return new HandshakePolicy(new WebSocketConfig(true, "127.0.0.1", 0, "/memsnap", token, origins, 10, 10));
    }

    @Test
    void onlyTheConfiguredPathIsServed() {
        HandshakePolicy open = policy(null, List.of());
        assertEquals(Optional.empty(), open.refusal("/memsnap", null, null));
        assertEquals(Optional.empty(), open.refusal("/memsnap?x=1", null, null));
        assertEquals(Optional.of("path not served"), open.refusal("/", null, null));
        assertEquals(Optional.of("path not served"), open.refusal("/memsnap/", null, null));
        assertEquals(Optional.of("path not served"), open.refusal("/memsnapx", null, null));
        assertEquals(Optional.of("path not served"), open.refusal("/other?token=" + TOKEN, null, null));
    }

    @Test
    void theTokenIsAcceptedFromTheQueryStringOrASubprotocol() {
        HandshakePolicy secured = policy(TOKEN, List.of());
        assertEquals(Optional.empty(), secured.refusal("/memsnap?token=" + TOKEN, null, null));
        assertEquals(Optional.empty(), secured.refusal("/memsnap?a=b&token=" + TOKEN + "&c", null, null));
        assertEquals(Optional.empty(), secured.refusal("/memsnap", null, "memsnap, memsnap.token." + TOKEN));
        assertEquals(Optional.empty(), secured.refusal("/memsnap?token=wrong", null, "memsnap.token." + TOKEN),
                "one right token among those presented is enough");
    }

    @Test
    void aQueryTokenIsPercentDecoded() {
        String token = "abc+def%ghi0123456";
        HandshakePolicy secured = policy(token, List.of());
        assertEquals(Optional.empty(), secured.refusal("/memsnap?token=abc%2Bdef%25ghi0123456", null, null));
        assertEquals(Optional.of("wrong token"), secured.refusal("/memsnap?token=abc+def%25ghi0123456", null, null),
                "a raw + in a query string is a space");
        assertEquals(Optional.of("malformed query string"), secured.refusal("/memsnap?token=%zz", null, null));
    }

    @Test
    void aMissingOrWrongTokenIsRefusedWithoutSayingWhatWasPresented() {
        HandshakePolicy secured = policy(TOKEN, List.of());
        assertEquals(Optional.of("missing token"), secured.refusal("/memsnap", null, null));
        assertEquals(Optional.of("missing token"), secured.refusal("/memsnap?tok=" + TOKEN, null, "memsnap"));
        assertEquals(Optional.of("wrong token"), secured.refusal("/memsnap?token=", null, null));
        assertEquals(Optional.of("wrong token"), secured.refusal("/memsnap?token=" + TOKEN + "x", null, null));
        assertEquals(Optional.of("wrong token"), secured.refusal("/memsnap?token=" + TOKEN.substring(1), null, null));
        assertEquals(Optional.of("wrong token"),
                secured.refusal("/memsnap", null, "memsnap, memsnap.token." + TOKEN.toUpperCase()));
    }

    @Test
    void aBrowsersOriginMustBeListedAndNoOriginMeansANonBrowserClient() {
        HandshakePolicy policy = policy(null, List.of("http://localhost:3000", "https://dash.example.com/"));
        assertEquals(Optional.empty(), policy.refusal("/memsnap", null, null));
        assertEquals(Optional.empty(), policy.refusal("/memsnap", "http://localhost:3000", null));
        assertEquals(Optional.empty(), policy.refusal("/memsnap", "HTTP://LocalHost:3000/", null));
        assertEquals(Optional.empty(), policy.refusal("/memsnap", "https://dash.example.com", null));
        assertEquals(Optional.of("origin not allowed"), policy.refusal("/memsnap", "http://localhost:3001", null));
        assertEquals(Optional.of("origin not allowed"), policy.refusal("/memsnap", "https://localhost:3000", null));
        assertEquals(Optional.of("origin not allowed"), policy.refusal("/memsnap", "null", null));
        assertEquals(Optional.of("origin not allowed"), policy(null, List.of()).refusal("/memsnap",
                "http://localhost:3000", null), "with no origins listed every browser is refused");
    }

    @Test
    void anOriginCheckComesBeforeTheToken() {
        HandshakePolicy policy = policy(TOKEN, List.of("http://localhost:3000"));
        assertEquals(Optional.of("origin not allowed"),
                policy.refusal("/memsnap?token=" + TOKEN, "http://evil.example", null));
        assertEquals(Optional.empty(), policy.refusal("/memsnap?token=" + TOKEN, "http://localhost:3000", null));
    }
}
