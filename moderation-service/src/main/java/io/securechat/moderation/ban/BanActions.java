package io.securechat.moderation.ban;

import io.securechat.moderation.message.AuditEvent;
import io.securechat.platform.api.ApiError;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Imposes and lifts bans and mutes: the one code path of the moderator API and of reputation
 * (docs/moderation-actions.md). Checks first (no self-ban; staff only by an admin), then the row
 * in PostgreSQL (the truth, committed before anything is announced), then the Redis mirror
 * (best effort: rebuilt every minute anyway), then {@code moderation.actions.v1} and the audit
 * record; the returned Uni completes once the broker acknowledged both.
 */
@ApplicationScoped
public class BanActions {

    /** A ban the rules do not allow; {@code code} goes into the audit record ({@code self}, {@code staff}). */
    public static final class Refused extends RuntimeException {
        public final String code;

        Refused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private final BanStore store;
    private final BanMirror mirror;
    private final StaffDirectory staff;
    private final ModerationEvents events;

    public BanActions(BanStore store, BanMirror mirror, StaffDirectory staff, ModerationEvents events) {
        this.store = store;
        this.mirror = mirror;
        this.staff = staff;
        this.events = events;
    }

    public Uni<Ban> impose(BanOrder order, Moderator actor) {
        boolean user = "USER".equals(order.subjectKind());
        if (user && order.subject().equals(actor.userId())) {
            return refuse(order, actor, "self", "you cannot ban or mute yourself");
        }
        Uni<Boolean> isStaff = user && !actor.isAdmin() ? staff.known(order.subject()) : Uni.createFrom().item(false);
        return isStaff.chain(known -> known
                ? refuse(order, actor, "staff", "this user is staff; only an admin may ban or mute staff")
                : store.insert(order, actor.userId())
                        .onFailure(BanActions::unknownReport).transform(t ->
                                new ApiError.BadRequest("reportId must name a stored report"))
                        .call(ban -> mirror.sync(ban.subjectKind(), ban.subject()))
                        .call(ban -> announce(ban, false, actor)));
    }

    /** Lifts an active ban or mute: the lifted row, null when the id is unknown; {@link Refused} when not active. */
    public Uni<Ban> lift(UUID id, String reason, Moderator actor) {
        return store.lift(id, actor.userId(), reason).chain(lifted -> {
            if (lifted != null) {
                return mirror.sync(lifted.subjectKind(), lifted.subject())
                        .chain(() -> announce(lifted, true, actor))
                        .replaceWith(lifted);
            }
            return store.exists(id).<Ban>map(known -> {
                if (known) {
                    throw new Refused("inactive", "this ban or mute was already lifted or has expired");
                }
                return null;
            });
        });
    }

    private Uni<Void> announce(Ban ban, boolean lifted, Moderator actor) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("subjectKind", ban.subjectKind());
        details.put("subject", ban.subject());
        details.put("reason", lifted ? ban.liftReason() : ban.reason());
        if (!lifted) {
            details.put("expiresAt", ban.expiresAt() == null ? null : ban.expiresAt().toString());
            details.put("reportId", ban.reportId() == null ? null : ban.reportId().toString());
        }
        String action = "moderation." + (lifted ? "un" : "") + ban.verb();
        AuditEvent audit = AuditEvent.of(actor.auditActor(), action, new AuditEvent.Resource("ban", ban.id().toString()),
                AuditEvent.SUCCESS, details);
        ActionEvent record = ActionEvent.of(ban, lifted, actor);
        // The row is committed: a broker hiccup is retried rather than leave the gateways unaware.
        return Uni.combine().all()
                .unis(events.action(record).onFailure().retry().withBackOff(Duration.ofMillis(200)).atMost(3),
                        events.audit(audit).onFailure().retry().withBackOff(Duration.ofMillis(200)).atMost(3))
                .discardItems();
    }

    private Uni<Ban> refuse(BanOrder order, Moderator actor, String code, String message) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("subjectKind", order.subjectKind());
        details.put("subject", order.subject());
        details.put("refused", code);
        String action = "moderation." + (Ban.BAN.equals(order.kind()) ? "ban" : "mute");
        return events.audit(AuditEvent.of(actor.auditActor(), action,
                        new AuditEvent.Resource("subject", order.subjectKind() + ":" + order.subject()), AuditEvent.DENIED,
                        details))
                .onFailure().recoverWithNull()
                .chain(() -> Uni.createFrom().failure(new Refused(code, message)));
    }

    private static boolean unknownReport(Throwable t) {
        return t instanceof PgException pg && "23503".equals(pg.getSqlState());
    }
}
