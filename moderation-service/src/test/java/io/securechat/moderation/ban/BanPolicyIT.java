package io.securechat.moderation.ban;

import static io.securechat.moderation.message.MessagePath.guest;
import static io.securechat.moderation.message.MessagePath.signedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.moderation.message.MessagePath;
import io.securechat.platform.schema.SchemaMigrator;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Policy {@code bans} in the message path: bans and mutes from PostgreSQL, by user and by guest fingerprint. */
@QuarkusTest
class BanPolicyIT {

    @Inject
    SchemaMigrator migrator;

    @Inject
    Pool pool;

    private MessagePath path;
    private Restrictions restrictions;
    private final String conversation = UUID.randomUUID().toString();
    private final String connection = "gw-it:" + UUID.randomUUID();

    @BeforeEach
    void setUp() throws Exception {
        // On a fresh database the migration runs in the background at start-up.
        migrator.awaitMigrated(Duration.ofSeconds(60));
        path = MessagePath.open();
        restrictions = new Restrictions(pool);
    }

    @AfterEach
    void tearDown() {
        path.close();
        restrictions.close();
    }

    private static String user() {
        return "it-user-" + UUID.randomUUID();
    }

    /** Sends the messages in one conversation and returns their verdicts in order. */
    private List<JsonNode> verdicts(List<Map<String, Object>> messages) {
        messages.forEach(path::send);
        var out = MessagePath.byMessageId(path.moderated(conversation, messages.size()));
        return messages.stream().map(m -> out.get((String) m.get("messageId"))).toList();
    }

    private static void assertVerdict(String verdict, List<String> reasons, JsonNode moderated) {
        assertEquals(verdict, moderated.get("verdict").asText(), moderated::toString);
        assertEquals(reasons, MessagePath.texts(moderated.get("reasons")), moderated::toString);
    }

    @Test
    void aBannedUserIsBlockedAndTheTextIsNotPassedOn() {
        String banned = user();
        restrictions.ban("USER", banned);
        var message = signedIn(conversation, connection, banned);
        JsonNode out = verdicts(List.of(message)).getFirst();
        assertVerdict("BLOCK", List.of("banned"), out);
        assertEquals("", out.get("text").asText());
    }

    @Test
    void aMutedGuestFingerprintIsBlockedOtherGuestsAndSignedInUsersAreNot() {
        String fingerprint = "fp-" + UUID.randomUUID();
        restrictions.mute("GUEST_FINGERPRINT", fingerprint);
        var mutedGuest = guest(conversation, connection, fingerprint);
        var otherGuest = guest(conversation, "gw-it:" + UUID.randomUUID(), "fp-" + UUID.randomUUID());
        // A signed-in user never carries a guest's fingerprint; if one did, it must not count.
        var signedInWithFingerprint = signedIn(conversation, "gw-it:" + UUID.randomUUID(), user());
        ((Map<String, Object>) signedInWithFingerprint.get("sender")).put("fingerprint", fingerprint);

        List<JsonNode> out = verdicts(List.of(mutedGuest, otherGuest, signedInWithFingerprint));
        assertVerdict("BLOCK", List.of("muted"), out.get(0));
        assertVerdict("ALLOW", List.of(), out.get(1));
        assertVerdict("ALLOW", List.of(), out.get(2));
    }

    @Test
    void expiredAndLiftedBansDoNotBlock() {
        String expired = user();
        String lifted = user();
        restrictions.insert("BAN", "USER", expired, OffsetDateTime.now().minusMinutes(1), null);
        restrictions.insert("BAN", "USER", lifted, null, OffsetDateTime.now().minusMinutes(1));
        List<JsonNode> out = verdicts(List.of(signedIn(conversation, connection, expired),
                signedIn(conversation, "gw-it:" + UUID.randomUUID(), lifted)));
        assertVerdict("ALLOW", List.of(), out.get(0));
        assertVerdict("ALLOW", List.of(), out.get(1));
    }

    @Test
    void aBanTakesEffectOnTheNextMessage() {
        String sender = user();
        assertVerdict("ALLOW", List.of(), verdicts(List.of(signedIn(conversation, connection, sender))).getFirst());
        restrictions.ban("USER", sender);
        var next = signedIn(conversation, connection, sender);
        path.send(next);
        JsonNode out = MessagePath.byMessageId(path.moderated(conversation, 2)).get((String) next.get("messageId"));
        assertVerdict("BLOCK", List.of("banned"), out);
    }

    @Test
    void aMutedUserIsMutedAndABanOutranksAMute() {
        String muted = user();
        String both = user();
        restrictions.mute("USER", muted);
        restrictions.mute("USER", both);
        restrictions.ban("USER", both);
        List<JsonNode> out = verdicts(List.of(signedIn(conversation, connection, muted),
                signedIn(conversation, "gw-it:" + UUID.randomUUID(), both)));
        assertVerdict("BLOCK", List.of("muted"), out.get(0));
        assertVerdict("BLOCK", List.of("banned"), out.get(1));
    }
}
