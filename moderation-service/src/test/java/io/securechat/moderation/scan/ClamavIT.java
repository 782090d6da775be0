package io.securechat.moderation.scan;

import static io.securechat.moderation.scan.ScanResourceIT.awaitScanned;
import static io.securechat.moderation.scan.ScanResourceIT.scan;
import static io.securechat.moderation.scan.ScanResourceIT.transcriptToken;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.testsupport.KafkaTap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * ClamAV configured: a fake clamd on loopback (there is no clamd with signatures on the build
 * machines) answers INSTREAM. Clean files reach it whole and pass; its FOUND rejects as malware
 * with the signature in the reason; once it is gone the scan fails closed (503, audited as FAILURE).
 */
@QuarkusTest
@QuarkusTestResource(value = ClamavIT.FakeClamdResource.class, restrictToAnnotatedClass = true)
class ClamavIT {

    public static class FakeClamdResource implements QuarkusTestResourceLifecycleManager {
        static ClamdClientTest.FakeClamd clamd;

        @Override
        public Map<String, String> start() {
            try {
                clamd = new ClamdClientTest.FakeClamd(ClamdClientTest.signatureOnMarker());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("chat.scan.clamav.host", "127.0.0.1", "chat.scan.clamav.port", String.valueOf(clamd.port()),
                    "chat.scan.clamav.timeout", "PT5S");
        }

        @Override
        public void stop() {
            try {
                clamd.close();
            } catch (IOException e) {
                // already closed by the test
            }
        }
    }

    @Test
    void clamdIsAskedAfterTheBuiltInChecksAndItsAbsenceFailsClosed() throws Exception {
        byte[] clean = "an ordinary note\n".getBytes(StandardCharsets.UTF_8);
        scan(transcriptToken(), "note.txt", "text/plain", clean, UUID.randomUUID(), UUID.randomUUID(), "u-clam").then()
                .statusCode(200).body("verdict", equalTo("CLEAN"));
        assertArrayEquals(clean, FakeClamdResource.clamd.received.getLast(), "clamd got the file whole");

        byte[] infected = "harmless to us but TEST-MALWARE to clamd\n".getBytes(StandardCharsets.UTF_8);
        scan(transcriptToken(), "note.txt", "text/plain", infected, UUID.randomUUID(), UUID.randomUUID(), "u-clam").then()
                .statusCode(200).body("verdict", equalTo("REJECTED")).body("code", equalTo("malware"))
                .body("reason", equalTo("scan.clamav.win.test.fake-1")).body("contentType", equalTo("text/plain"));

        // The built-in checks answer first: EICAR never reaches clamd.
        int asked = FakeClamdResource.clamd.received.size();
        scan(transcriptToken(), "e.txt", "text/plain", Samples.eicar(), UUID.randomUUID(), UUID.randomUUID(), "u-clam")
                .then().statusCode(200).body("reason", equalTo("scan.eicar"));
        assertEquals(asked, FakeClamdResource.clamd.received.size());

        FakeClamdResource.clamd.close();
        UUID attachment = UUID.randomUUID();
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            scan(transcriptToken(), "note.txt", "text/plain", clean, UUID.randomUUID(), attachment, "u-clam").then()
                    .statusCode(503).body("code", equalTo("internal")).body("message", containsString("try again"));
            JsonNode event = awaitScanned(audit, attachment);
            assertEquals("FAILURE", event.path("outcome").asText());
            assertEquals("UNAVAILABLE", event.path("details").path("verdict").asText());
            assertEquals("scan.clamav_unavailable", event.path("details").path("reason").asText());
        }
    }
}
