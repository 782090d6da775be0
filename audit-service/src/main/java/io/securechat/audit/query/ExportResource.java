package io.securechat.audit.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.securechat.audit.access.ComplianceAccess;
import io.securechat.audit.proof.Checkpoints;
import io.securechat.audit.trail.Trail;
import io.securechat.auditproof.Hex;
import io.securechat.auditproof.SignedTreeHead;
import io.securechat.platform.api.ApiError;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * {@code GET /api/v1/audit/export?format=ndjson|csv&<filters>}: the matching records up to a tree
 * head signed for the export, streamed in seq order.
 * <ul>
 * <li>NDJSON (docs/audit.md): a header with the signed tree head, one line per record with its
 * canonical entry, hash and RFC 9162 inclusion path, and a trailer with the count. It is checked
 * offline with only the public key ({@code ./chat audit-verify}).
 * <li>CSV: one row per record for spreadsheets; cells that a spreadsheet would run as a formula are
 * prefixed with a quote. No proofs: use NDJSON to prove.
 * </ul>
 */
@Path("/api/v1/audit/export")
public class ExportResource {

    static final String NDJSON = "application/x-ndjson";
    static final String CSV = "text/csv";
    static final String[] CSV_COLUMNS = {"seq", "recordedAt", "occurredAt", "eventId", "actorId", "actorRoles", "action",
            "resourceType", "resourceId", "outcome", "service", "details", "hash", "prevHash"};

    private final AuditRecords records;
    private final ComplianceAccess access;
    private final Checkpoints checkpoints;
    private final Trail trail;
    private final ObjectMapper json;
    private final CsvMapper csv = new CsvMapper();
    private final CsvSchema csvSchema;

    public ExportResource(AuditRecords records, ComplianceAccess access, Checkpoints checkpoints, Trail trail, ObjectMapper json) {
        this.records = records;
        this.access = access;
        this.checkpoints = checkpoints;
        this.trail = trail;
        this.json = json;
        CsvSchema.Builder b = CsvSchema.builder();
        for (String c : CSV_COLUMNS) {
            b.addColumn(c);
        }
        this.csvSchema = b.build().withoutHeader();
    }

    record Export(SignedTreeHead head, AuditFilter filter, String format) {}

    @GET
    // One declared type: Quarkus REST refuses negotiation for a Multi; the real type is set per format below.
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public RestMulti<Buffer> export(@QueryParam("format") String format, @QueryParam("actor") String actor,
            @QueryParam("action") String action, @QueryParam("resource") String resource, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        Uni<Export> start = access.granted("audit.export", ComplianceAccess.LOG_RESOURCE, "export", () -> {
            String f = format(format);
            Map<String, Object> details = new LinkedHashMap<>(AuditFilter.of(actor, action, resource, from, to).describe());
            details.put("format", f);
            return details;
        }, () -> {
            String f = format(format);
            AuditFilter filter = AuditFilter.of(actor, action, resource, from, to);
            return trail.sync().chain(size -> checkpoints.covering(size)).map(head -> new Export(head, filter, f));
        });
        String stamp = Instant.now().toString().replace(":", "").replaceAll("\\.\\d+", "");
        return RestMulti.fromUniResponse(start, e -> e.format.equals("csv") ? csv(e) : ndjson(e),
                e -> Map.of("Content-Type", List.of(e.format.equals("csv") ? CSV + "; charset=utf-8" : NDJSON),
                        "Content-Disposition", List.of("attachment; filename=\"audit-export-" + stamp + "." + e.format + "\""),
                        "Cache-Control", List.of("no-store")));
    }

    private static String format(String format) {
        String f = format == null || format.isBlank() ? "ndjson" : format.trim().toLowerCase();
        if (!f.equals("ndjson") && !f.equals("csv")) {
            throw new ApiError.BadRequest("format must be ndjson or csv");
        }
        return f;
    }

    private Multi<Buffer> ndjson(Export e) {
        long size = e.head == null ? 0 : e.head.head().treeSize();
        ObjectNode header = json.createObjectNode();
        header.put("format", "securechat-audit-export/1");
        header.put("exportedAt", Instant.now().toString());
        header.put("complete", e.filter.empty());
        header.set("query", json.valueToTree(e.filter.describe()));
        if (e.head != null) {
            header.set("treeHead", e.head.toJson());
        } else {
            header.putNull("treeHead");
        }
        long[] count = {0};
        // Inclusion paths and JSON per record are CPU work: off the event loop.
        Multi<Buffer> body = records.ascending(e.filter, size, "seq, entry, hash")
                .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool()).map(r -> {
            count[0]++;
            return line(ndjsonRecord(r, size));
        });
        return Multi.createBy().concatenating().streams(
                Multi.createFrom().item(line(header)),
                body,
                Multi.createFrom().item(() -> {
                    ObjectNode trailer = json.createObjectNode();
                    trailer.putObject("trailer").put("records", count[0]);
                    return line(trailer);
                }));
    }

    private ObjectNode ndjsonRecord(Row r, long treeSize) {
        ObjectNode line = json.createObjectNode();
        line.set("entry", records.entry(r));
        line.put("hash", r.getString("hash"));
        ArrayNode path = line.putArray("inclusion");
        trail.inclusionProof(r.getLong("seq") - 1, treeSize).forEach(h -> path.add(Hex.of(h)));
        return line;
    }

    private Multi<Buffer> csv(Export e) {
        long size = e.head == null ? 0 : e.head.head().treeSize();
        Multi<Buffer> rows = records.ascending(e.filter, size, "seq, entry, hash, prev_hash")
                .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool()).map(r -> {
            ObjectNode item = records.item(r);
            ObjectNode ev = (ObjectNode) item.get("event");
            List<String> roles = new ArrayList<>();
            ev.path("actor").path("roles").forEach(n -> roles.add(n.asText()));
            Object[] row = {item.path("seq").asText(), item.path("recordedAt").asText(), ev.path("occurredAt").asText(),
                    ev.path("eventId").asText(), text(ev.path("actor").path("userId")), String.join(";", roles),
                    ev.path("action").asText(), ev.path("resource").path("type").asText(),
                    ev.path("resource").path("id").asText(), ev.path("outcome").asText(), text(ev.path("service")),
                    ev.path("details").toString(), item.path("hash").asText(), item.path("prevHash").asText()};
            return csvRow(row);
        });
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(csvRow(CSV_COLUMNS)), rows);
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "" : n.asText();
    }

    private Buffer csvRow(Object[] cells) {
        Object[] safe = new Object[cells.length];
        for (int i = 0; i < cells.length; i++) {
            safe[i] = formulaSafe(String.valueOf(cells[i]));
        }
        try {
            return Buffer.buffer(csv.writer(csvSchema).writeValueAsString(safe));
        } catch (Exception ex) {
            throw new IllegalStateException("CSV row", ex);
        }
    }

    /** A cell a spreadsheet would evaluate (=, +, -, @, tab, CR first) is shown as text. */
    static String formulaSafe(String s) {
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            return "'" + s;
        }
        return s;
    }

    private Buffer line(ObjectNode node) {
        return Buffer.buffer(node.toString() + "\n");
    }
}
