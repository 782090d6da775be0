package io.securechat.testsupport;

import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;

/** Tokens an attacker could make: real claims, but not signed by the realm's key. */
public final class ForgedTokens {

    private ForgedTokens() {}

    /** The claims and key id of a real token, signed with a freshly generated RSA key. */
    public static String resignedWithForeignKey(String realToken) {
        try {
            JwtClaims claims = claimsOf(realToken);
            String kid = new JsonWebSignature() {{ setCompactSerialization(realToken); }}.getKeyIdHeaderValue();
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(kid);
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a real token with its signature stripped ({@code alg: none}). */
    public static String unsigned(String realToken) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claimsOf(realToken).toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
            jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The payload of a token, read without checking anything (for tests only). */
    public static JwtClaims claimsOf(String token) {
        try {
            return new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                    .setSkipSignatureVerification().build().processToClaims(token);
        } catch (org.jose4j.jwt.consumer.InvalidJwtException e) {
            throw new IllegalStateException(e);
        }
    }
}
