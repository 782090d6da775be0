package io.securechat.audit.trail;

import static io.securechat.audit.AuditFixtures.awaitStored;
import static io.securechat.audit.AuditFixtures.connect;
import static io.securechat.audit.AuditFixtures.event;
import static io.securechat.audit.AuditFixtures.send;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.auditproof.Hex;
import io.securechat.platform.schema.SchemaMigrator;
import io.securechat.testsupport.KafkaTap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Appending from the real topic: once per eventId, chained, and nothing else allowed by the database. */
@QuarkusTest
class AppendIT {

    @Inject
    SchemaMigrator migrator;

    @BeforeEach
    void migrated() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
    }

    @Test
    void eachEventIsStoredOnceInTheChain() throws Exception {
        String marker = "append-" + UUID.randomUUID();
        ObjectNode a = event("it.append", "test", marker, "tester");
        ObjectNode b = event("it.append", "test", marker, "tester");
        send(a);
        send(b);
        send(a); // delivered twice
        ObjectNode c = event("it.append", "test", marker, "tester");
        UUID last = send(c);
        long seqC = awaitStored(last);
        long seqA = awaitStored(UUID.fromString(a.get("eventId").asText()));
        long seqB = awaitStored(UUID.fromString(b.get("eventId").asText()));
        assertTrue(seqA < seqB && seqB < seqC, "stored in the order delivered");
        try (Connection db = connect("chat_dba");
                PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM audit_records WHERE resource_id = ?")) {
            ps.setString(1, marker);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(3, rs.getInt(1), "the event delivered twice is stored once");
            }
        }
        // Each record's hash covers its entry, and links to the record before it.
        try (Connection db = connect("chat_dba");
                PreparedStatement ps = db.prepareStatement("SELECT seq, entry, prev_hash, hash FROM audit_records WHERE seq BETWEEN ? AND ? ORDER BY seq")) {
            ps.setLong(1, Math.max(1, seqA - 1));
            ps.setLong(2, seqC);
            try (ResultSet rs = ps.executeQuery()) {
                String prev = null;
                while (rs.next()) {
                    String hash = Hex.of(MessageDigest.getInstance("SHA-256").digest(rs.getString("entry").getBytes(StandardCharsets.UTF_8)));
                    assertEquals(hash, rs.getString("hash"), "hash of record " + rs.getLong("seq"));
                    assertTrue(rs.getString("entry").endsWith("\"seq\":" + rs.getLong("seq") + "}"), "entry carries its seq");
                    if (prev != null) {
                        assertEquals(prev, rs.getString("prev_hash"), "record " + rs.getLong("seq") + " links to the one before");
                    }
                    prev = hash;
                }
            }
        }
    }

    @Test
    void anUnusableRecordIsRecordedNotLostAndTheServiceCarriesOn() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        KafkaTap.produce("audit.events.v1", "junk", "this is not JSON");
        ObjectNode noAction = event("it.append", "test", "x", "tester");
        noAction.remove("action");
        KafkaTap.produce("audit.events.v1", "junk", noAction.toString());
        ObjectNode nul = event("it.append", "test", "bad\u0000id", "tester");
        KafkaTap.produce("audit.events.v1", "junk", nul.toString());
        ObjectNode farFuture = event("it.append", "test", "x", "tester");
        farFuture.put("occurredAt", "+300000-01-01T00:00:00Z"); // parses, but PostgreSQL cannot store it
        KafkaTap.produce("audit.events.v1", "junk", farFuture.toString());
        ObjectNode upper = event("it.append", "test", "x", "tester");
        upper.put("eventId", upper.get("eventId").asText().toUpperCase());
        KafkaTap.produce("audit.events.v1", "junk", upper.toString());
        UUID after = send(event("it.append", "test", "after-junk-" + UUID.randomUUID(), "tester"));
        awaitStored(after);
        List<String> reasons = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            reasons.clear();
            try (Connection db = connect("chat_dba"); PreparedStatement ps = db.prepareStatement(
                    "SELECT entry FROM audit_records WHERE action = 'audit.event_rejected' AND recorded_at >= ?")) {
                ps.setObject(1, java.time.OffsetDateTime.ofInstant(start, java.time.ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        reasons.add(rs.getString(1));
                    }
                }
            }
            return reasons.size() >= 5;
        });
        String all = String.join("\n", reasons);
        assertTrue(all.contains("\"reason\":\"not_json\""), all);
        assertTrue(all.contains("\"reason\":\"missing_action\""), all);
        assertTrue(all.contains("\"reason\":\"bad_resource_id\""), all);
        assertTrue(all.contains("\"reason\":\"bad_occurred_at\""), all);
        assertTrue(all.contains("\"reason\":\"bad_event_id\""), all);
        assertTrue(!all.contains("this is not JSON"), "the rejected content is never stored");
    }

    @Test
    void theWriterRoleMayOnlyInsertAndSelectAndTheOwnerCannotRewrite() throws Exception {
        UUID id = send(event("it.append", "test", "roles-" + UUID.randomUUID(), "tester"));
        long seq = awaitStored(id);
        try (Connection writer = connect("chat_audit_writer")) {
            String denied = "permission denied";
            assertRefused(writer, "UPDATE audit_records SET action = 'x' WHERE seq = " + seq, denied);
            assertRefused(writer, "DELETE FROM audit_records WHERE seq = " + seq, denied);
            assertRefused(writer, "TRUNCATE audit_records", denied);
            assertRefused(writer, "DELETE FROM audit_checkpoints", denied);
            assertRefused(writer, "ALTER TABLE audit_records DISABLE TRIGGER USER", "must be owner");
        }
        try (Connection owner = connect("chat_audit")) {
            String appendOnly = "append-only";
            assertRefused(owner, "UPDATE audit_records SET action = 'x' WHERE seq = " + seq, appendOnly);
            assertRefused(owner, "DELETE FROM audit_records WHERE seq = " + seq, appendOnly);
            assertRefused(owner, "TRUNCATE audit_records", appendOnly);
            assertRefused(owner, "UPDATE audit_checkpoints SET root_hash = root_hash", appendOnly);
        }
        assertEquals(seq, io.securechat.audit.AuditFixtures.seqOf(id), "the record is still there");
    }

    private static void assertRefused(Connection c, String sql, String expected) {
        SQLException e = assertThrows(SQLException.class, () -> {
            try (var st = c.createStatement()) {
                st.execute(sql);
            }
        }, sql);
        assertTrue(e.getMessage().contains(expected), sql + " -> " + e.getMessage());
    }
}
