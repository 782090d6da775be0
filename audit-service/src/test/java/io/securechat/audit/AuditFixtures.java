package io.securechat.audit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.path.json.JsonPath;
import io.securechat.testsupport.KafkaTap;
import io.securechat.testsupport.Keycloak;
import io.securechat.testsupport.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** What the audit-service tests share: events on the real topic, database roles, the compliance user. */
public final class AuditFixtures {

    public static final String TOPIC = "audit.events.v1";
    /** The module's tests own this database (application.properties %test): tampering stays here. */
    public static final String DB = "chat_audit_test";
    static final ObjectMapper JSON = new ObjectMapper();

    private AuditFixtures() {}

    public static ObjectNode event(String action, String resourceType, String resourceId, String actor) {
        ObjectNode e = JSON.createObjectNode();
        e.put("v", 1);
        e.put("eventId", UUID.randomUUID().toString());
        e.put("occurredAt", Instant.now().toString());
        ObjectNode a = e.putObject("actor");
        a.put("userId", actor);
        a.putArray("roles").add("agent");
        a.putNull("ip");
        e.put("action", action);
        e.putObject("resource").put("type", resourceType).put("id", resourceId);
        e.put("outcome", "SUCCESS");
        e.putObject("details").put("n", 1);
        e.put("service", "audit-it");
        return e;
    }

    public static UUID send(ObjectNode event) {
        KafkaTap.produce(TOPIC, event.path("resource").path("type").asText() + ":" + event.path("resource").path("id").asText(),
                event.toString());
        return UUID.fromString(event.get("eventId").asText());
    }

    /** Waits until the event is in the trail and answers its seq. */
    public static long awaitStored(UUID eventId) {
        long[] seq = {0};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            seq[0] = seqOf(eventId);
            return seq[0] > 0;
        });
        return seq[0];
    }

    public static long seqOf(UUID eventId) throws SQLException {
        try (Connection c = connect("chat_dba"); PreparedStatement ps = c.prepareStatement("SELECT seq FROM audit_records WHERE event_id = ?")) {
            ps.setObject(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** A JDBC connection to the test database as a local role (password ROLE-local-only), over TLS. */
    public static Connection connect(String role) throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:15432/" + DB + "?sslmode=verify-full&sslrootcert="
                + LocalStack.caCertificate();
        return DriverManager.getConnection(url, role, role + "-local-only");
    }

    /** A superuser connection that bypasses the append-only triggers, as a rogue administrator would. */
    public static Connection superuser() throws SQLException {
        Connection c = connect("chat_dba");
        try (var st = c.createStatement()) {
            st.execute("SET session_replication_role = replica");
        }
        return c;
    }

    public static String compliance() {
        return Keycloak.token("compliance1");
    }

    public static JsonPath verify() {
        return given().header("Authorization", "Bearer " + compliance()).get("/api/v1/audit/verify")
                .then().statusCode(200).extract().jsonPath();
    }
}
