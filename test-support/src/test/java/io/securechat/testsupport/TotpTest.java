package io.securechat.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 6238 appendix B vectors (SHA-1 seed), truncated to the 6 digits Keycloak uses. */
class TotpTest {

    private static final String RFC_SEED = "12345678901234567890";

    @Test
    void matchesTheRfcVectors() {
        assertEquals("287082", Totp.code(RFC_SEED, 59));
        assertEquals("081804", Totp.code(RFC_SEED, 1111111109));
        assertEquals("050471", Totp.code(RFC_SEED, 1111111111));
        assertEquals("005924", Totp.code(RFC_SEED, 1234567890));
        assertEquals("279037", Totp.code(RFC_SEED, 2000000000));
    }

    @Test
    void codeIsStableWithinAWindowAndChangesAcrossIt() {
        assertEquals(Totp.code(RFC_SEED, 60), Totp.code(RFC_SEED, 89));
        assertEquals("287082", Totp.code(RFC_SEED, 30));
        org.junit.jupiter.api.Assertions.assertNotEquals(Totp.code(RFC_SEED, 59), Totp.code(RFC_SEED, 60));
    }
}
