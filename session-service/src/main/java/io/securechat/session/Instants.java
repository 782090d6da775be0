package io.securechat.session;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Timestamps as this service writes them, and their PostgreSQL form. */
public final class Instants {

    private Instants() {}

    /**
     * Now, to the millisecond: the precision of the ISO-8601 strings in events, and exact in
     * PostgreSQL (microseconds), so a stored time compares equal to the one put in a record.
     */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public static OffsetDateTime sql(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant of(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
