package io.securechat.audit.trail;

import static io.restassured.RestAssured.given;
import static io.securechat.audit.AuditFixtures.awaitStored;
import static io.securechat.audit.AuditFixtures.compliance;
import static io.securechat.audit.AuditFixtures.event;
import static io.securechat.audit.AuditFixtures.send;
import static io.securechat.audit.AuditFixtures.superuser;
import static io.securechat.audit.AuditFixtures.verify;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.securechat.platform.schema.SchemaMigrator;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A database superuser (who can switch the append-only triggers off) changes, deletes, swaps and
 * truncates records of the module's own test database; verify names the exact record each time.
 * Each test restores what it changed and checks the log is whole again.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TamperIT {

    @Inject
    SchemaMigrator migrator;

    long[] seqs = new long[4];

    @BeforeEach
    void someRecords() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
        String marker = "tamper-" + UUID.randomUUID();
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = awaitStored(send(event("it.tamper", "test", marker, "tester-" + i)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> verify().getBoolean("ok"));
    }

    @Test
    @Order(1)
    void aChangedFieldIsNamed() throws Exception {
        long seq = seqs[1];
        String original = column(seq, "entry");
        try {
            exec("UPDATE audit_records SET entry = replace(entry, '\"tester-1\"', '\"someone-else\"') WHERE seq = " + seq);
            JsonPath v = verify();
            assertFalse(v.getBoolean("ok"));
            assertEquals(seq, v.getLong("firstBroken.seq"));
            assertEquals("hash_mismatch", v.getString("firstBroken.problem"));
            assertTrue(v.getString("firstBroken.message").contains("record " + seq), v.getString("firstBroken.message"));
        } finally {
            exec("UPDATE audit_records SET entry = '" + original.replace("'", "''") + "' WHERE seq = " + seq);
        }
        // A searchable column changed alone (the content left as signed) is named too.
        try {
            exec("UPDATE audit_records SET actor_id = 'someone-else' WHERE seq = " + seq);
            JsonPath v = verify();
            assertEquals(seq, v.getLong("firstBroken.seq"));
            assertEquals("columns_mismatch", v.getString("firstBroken.problem"));
        } finally {
            exec("UPDATE audit_records SET actor_id = 'tester-1' WHERE seq = " + seq);
        }
        assertTrue(verify().getBoolean("ok"), "restored");
    }

    @Test
    @Order(2)
    void aRecordRewrittenTogetherWithItsHashIsNamed() throws Exception {
        long seq = seqs[2];
        String entry = column(seq, "entry");
        String hash = column(seq, "hash");
        try {
            // Content changed where no column copies it, and the hash recomputed to match.
            exec("UPDATE audit_records SET entry = replace(entry, '\"n\":1', '\"n\":2') WHERE seq = " + seq + ";"
                    + "UPDATE audit_records SET hash = encode(sha256(convert_to(entry, 'UTF8')), 'hex') WHERE seq = " + seq);
            JsonPath v = verify();
            assertFalse(v.getBoolean("ok"));
            assertEquals(seq, v.getLong("firstBroken.seq"), v.getString("firstBroken.message"));
            assertTrue(List.of("rewritten_record", "replaced_record").contains(v.getString("firstBroken.problem")),
                    v.getString("firstBroken.problem"));
        } finally {
            exec("UPDATE audit_records SET entry = '" + entry.replace("'", "''") + "', hash = '" + hash + "' WHERE seq = " + seq);
        }
        assertTrue(verify().getBoolean("ok"), "restored");
    }

    @Test
    @Order(3)
    void aDeletedRecordIsNamed() throws Exception {
        long seq = seqs[2];
        exec("DROP TABLE IF EXISTS tamper_backup; CREATE TABLE tamper_backup AS SELECT * FROM audit_records WHERE seq = " + seq);
        try {
            exec("DELETE FROM audit_records WHERE seq = " + seq);
            JsonPath v = verify();
            assertFalse(v.getBoolean("ok"));
            assertEquals(seq, v.getLong("firstBroken.seq"));
            assertEquals("missing_records", v.getString("firstBroken.problem"));
            assertTrue(v.getString("firstBroken.message").contains("record " + seq + " is missing"), v.getString("firstBroken.message"));
        } finally {
            exec("BEGIN; DELETE FROM audit_records WHERE seq = " + seq + "; INSERT INTO audit_records SELECT * FROM tamper_backup;"
                    + " DROP TABLE tamper_backup; COMMIT");
        }
        assertTrue(verify().getBoolean("ok"), "restored");
    }

    @Test
    @Order(4)
    void swappedRecordsAreNamed() throws Exception {
        long a = seqs[1];
        long b = seqs[3];
        String swap = "UPDATE audit_records SET seq = 9000000000000000000 WHERE seq = " + a + ";"
                + "UPDATE audit_records SET seq = " + a + " WHERE seq = " + b + ";"
                + "UPDATE audit_records SET seq = " + b + " WHERE seq = 9000000000000000000";
        exec("BEGIN;" + swap + ";COMMIT");
        try {
            JsonPath v = verify();
            assertFalse(v.getBoolean("ok"));
            assertEquals(a, v.getLong("firstBroken.seq"));
            assertEquals("moved_record", v.getString("firstBroken.problem"));
            assertTrue(v.getString("firstBroken.message").contains("written as record " + b), v.getString("firstBroken.message"));
        } finally {
            exec("BEGIN;" + swap + ";COMMIT");
        }
        assertTrue(verify().getBoolean("ok"), "restored");
    }

    @Test
    @Order(5)
    void aCheckpointRowThatIsNotSignedByTheServiceIsReportedAndNotTrusted() throws Exception {
        // The writer role may insert checkpoints: a forged one must neither pass nor become "latest".
        long forgedSize = 8_000_000_000_000_000_000L;
        String latestBefore = given().auth().oauth2(compliance()).get("/api/v1/audit/checkpoints/latest").then().statusCode(200)
                .extract().jsonPath().getString("treeSize");
        try (Connection writer = io.securechat.audit.AuditFixtures.connect("chat_audit_writer"); var st = writer.createStatement()) {
            st.execute("INSERT INTO audit_checkpoints (tree_size, root_hash, signed_at, key_id, signature) VALUES ("
                    + forgedSize + ", '" + "ab".repeat(32) + "', '2026-12-08T00:00:00Z', 'forged', 'Zm9yZ2Vk')"
                    + " ON CONFLICT DO NOTHING");
        }
        JsonPath v = verify();
        assertFalse(v.getBoolean("ok"));
        assertEquals(forgedSize, v.getLong("checkpoint.treeSize"));
        assertTrue(v.getString("checkpoint.message").contains("does not carry a valid signature"), v.getString("checkpoint.message"));
        assertTrue(v.get("firstBroken") == null, "the records themselves are intact");
        String latestAfter = given().auth().oauth2(compliance()).get("/api/v1/audit/checkpoints/latest").then().statusCode(200)
                .extract().jsonPath().getString("treeSize");
        assertTrue(Long.parseLong(latestAfter) >= Long.parseLong(latestBefore) && Long.parseLong(latestAfter) < forgedSize,
                "the forged head is not served as the latest: " + latestAfter);
        // The row stays (append-only); the superuser removes it so later tests see a clean log.
        exec("DELETE FROM audit_checkpoints WHERE tree_size = " + forgedSize);
        assertTrue(verify().getBoolean("ok"));
    }

    @Test
    @Order(6)
    void aTruncatedLogIsCaughtByTheLastSignedTreeHead() throws Exception {
        // A signed head that covers the records (the proof endpoint signs one when needed).
        String id = column(seqs[3], "event_id");
        long treeSize = given().header("Authorization", "Bearer " + compliance()).get("/api/v1/audit/proofs/inclusion/" + id)
                .then().statusCode(200).extract().jsonPath().getLong("treeSize");
        // Locked first, so no append commits between the copy and the truncation.
        exec("BEGIN; LOCK TABLE audit_records IN ACCESS EXCLUSIVE MODE; DROP TABLE IF EXISTS truncate_backup;"
                + " CREATE TABLE truncate_backup AS SELECT * FROM audit_records; TRUNCATE audit_records; COMMIT");
        try {
            JsonPath v = verify();
            assertFalse(v.getBoolean("ok"));
            assertEquals(0, v.getLong("records"));
            assertEquals("missing_records", v.getString("firstBroken.problem"));
            assertEquals(1, v.getLong("firstBroken.seq"));
            assertFalse(v.getBoolean("checkpoint.ok"));
            assertTrue(v.getLong("checkpoint.treeSize") >= treeSize);
            assertTrue(v.getString("checkpoint.message").contains("truncated"), v.getString("checkpoint.message"));
            // Nothing is appended onto the emptied table meanwhile: the service waits, events stay in Kafka.
            assertEquals(0, count());
        } finally {
            exec("BEGIN; LOCK TABLE audit_records IN ACCESS EXCLUSIVE MODE; DELETE FROM audit_records;"
                    + " INSERT INTO audit_records SELECT * FROM truncate_backup; DROP TABLE truncate_backup; COMMIT");
        }
        UUID after = send(event("it.tamper", "test", "after-restore-" + UUID.randomUUID(), "tester"));
        awaitStored(after);
        assertTrue(verify().getBoolean("ok"), "restored, and appending resumed");
    }

    private static void exec(String sql) throws Exception {
        try (Connection c = superuser(); var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long count() throws Exception {
        try (Connection c = superuser(); var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM audit_records")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String column(long seq, String column) throws Exception {
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM audit_records WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

}
