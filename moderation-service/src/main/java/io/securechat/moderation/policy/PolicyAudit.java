package io.securechat.moderation.policy;

import io.quarkus.runtime.StartupEvent;
import io.securechat.moderation.ban.ModerationEvents;
import io.securechat.moderation.message.AuditEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The moderation policy (which policies run, their global and per-queue settings, reputation
 * thresholds) comes from configuration, so it changes only with a deployment. Each start of an
 * instance audits the policy it runs: {@code policy.loaded}, resource {@code policy:moderation},
 * actor {@code system:moderation-service}, details {@code digest} (SHA-256 of the sorted
 * {@code name=value} lines of every {@code chat.policy.*}, {@code chat.moderation.*} and
 * {@code chat.reputation.*} setting), {@code settings} (how many), {@code policies} (the ids in
 * order) and {@code queues} (those with settings of their own). A policy change is a new digest
 * between two successive records; the values themselves (patterns, domains) stay out of the trail.
 */
@ApplicationScoped
public class PolicyAudit {

    public static final String ACTION = "policy.loaded";
    public static final AuditEvent.Resource RESOURCE = new AuditEvent.Resource("policy", "moderation");
    public static final AuditEvent.Actor SYSTEM = new AuditEvent.Actor("system:" + AuditEvent.SERVICE, List.of(), null);
    static final List<String> PREFIXES = List.of("chat.policy.", "chat.moderation.", "chat.reputation.");
    private static final Pattern QUEUE = Pattern.compile("^chat\\.policy\\.queues\\.\"?([^\".]+)\"?\\.");
    private static final Logger LOG = Logger.getLogger(PolicyAudit.class);

    private final ModerationEvents events;

    public PolicyAudit(ModerationEvents events) {
        this.events = events;
    }

    void start(@Observes StartupEvent event) {
        // Written in the background: start-up must not wait for Kafka; retried, then logged.
        announce().onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).atMost(10)
                .subscribe().with(v -> {}, t -> LOG.warnf("the %s audit record was not written: %s", ACTION,
                        t.getClass().getSimpleName()));
    }

    /** Writes the {@code policy.loaded} record of the settings this instance runs with. */
    public Uni<Void> announce() {
        return events.audit(event(settings(ConfigProvider.getConfig())));
    }

    /** The record for these settings (name -> value). */
    public static AuditEvent event(SortedMap<String, String> settings) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("digest", digest(settings));
        details.put("settings", settings.size());
        String ids = settings.get("chat.moderation.policies");
        details.put("policies", ids == null ? List.of()
                : List.of(ids.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
        details.put("queues", queues(settings));
        return AuditEvent.of(SYSTEM, ACTION, RESOURCE, AuditEvent.SUCCESS, details);
    }

    /** Every moderation setting in effect, by name (profile-prefixed names are resolved by the config). */
    public static SortedMap<String, String> settings(Config config) {
        SortedMap<String, String> out = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (PREFIXES.stream().anyMatch(name::startsWith)) {
                try {
                    config.getOptionalValue(name, String.class).ifPresent(v -> out.put(name, v));
                } catch (RuntimeException unresolved) {
                    out.put(name, "<unresolved>"); // an expression without a value: named, not fatal
                }
            }
        }
        return out;
    }

    /** {@code sha256:} and the hex SHA-256 of the sorted {@code name=value} lines. */
    public static String digest(SortedMap<String, String> settings) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            settings.forEach((k, v) -> sha.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> queues(SortedMap<String, String> settings) {
        TreeSet<String> out = new TreeSet<>();
        for (String name : settings.keySet()) {
            Matcher m = QUEUE.matcher(name);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return List.copyOf(out);
    }
}
