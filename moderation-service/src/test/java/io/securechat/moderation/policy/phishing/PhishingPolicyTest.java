package io.securechat.moderation.policy.phishing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securechat.moderation.pipeline.PolicyResult;
import io.securechat.moderation.pipeline.Verdict;
import io.securechat.moderation.policy.TestConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PhishingPolicyTest {

    private final PhishingPolicy policy = new PhishingPolicy(TestConfig.corpus().phishing());

    private List<String> codes(String text) {
        PolicyResult r = policy.judge(text);
        return r.verdict() == Verdict.ALLOW ? List.of() : r.codes();
    }

    private void blocked(String text, String detail) {
        assertEquals(List.of("phishing", detail), codes(text), text);
    }

    @Test
    void ipLiteralLinksInEveryNotation() {
        for (String text : List.of("http://203.0.113.9/acme-login", "hxxp://198.51.100.23/verify", "http://3405803786/x",
                "http://0xCB.0x00.0x71.0x09/", "http://0xcb007109/login", "https://[2001:db8::1]/reset",
                "https://192.0.2.44:8443/a", "log in at 198.51.100.7/account", "http://0313.0.0161.011/")) {
            blocked(text, "phishing.ip_literal");
        }
        // Addresses that are not links: a router address, a version.
        assertEquals(List.of(), codes("my router is at 192.168.1.1, version 1.2.3.4"));
    }

    @Test
    void blockedDomainsAndTheirSubdomains() {
        blocked("see https://login.phish.example/acme", "phishing.blocked_domain");
        blocked("PHISH.EXAMPLE/x", "phishing.blocked_domain");
        blocked("secure-verify[.]top/acct", "phishing.blocked_domain");
        assertEquals(List.of(), codes("notphish.example is someone else"));
    }

    @Test
    void theProtectedDomainAndItsSubdomainsPass() {
        for (String text : List.of("https://acme.example/account/reset", "acme.example/help", "https://support.acme.example/t/1",
                "www.acme.example", "write to support@acme.example", "https://ACME.EXAMPLE/login?next=/orders")) {
            assertEquals(List.of(), codes(text), text);
        }
    }

    @Test
    void lookalikesByHomoglyphPunycodeTypoAndBrand() {
        for (String text : List.of("https://аcme.example/login", "https://xn--cme-5cd.example/login", "acrne.example/login",
                "acme.exarnple/account", "ácme.example/orders", "acme.exmaple/reset", "https://acmee.example/refund",
                "acme.examp1e/login", "login at 4cme.example", "https://αcme.example/help", "acme-login.com",
                "https://acme-support.net/reset", "https://acme.example.account-verify.com/login", "acmesupport.net/pay",
                "secure-acme.com/verify", "www.acme.example.co/login", "go to examp1e-login.com/reset",
                "https://login.аcme.example")) {
            blocked(text, "phishing.lookalike_domain");
        }
    }

    @Test
    void aUrlThatShowsOneHostAndVisitsAnother() {
        blocked("https://acme.example@evil.test/login", "phishing.lookalike_domain");
    }

    @Test
    void obfuscatedLinksAreFound() {
        for (String text : List.of("hxxps://acme-verify[.]com/login", "acme-login(.)com", "acme-login[dot]com/reset",
                "acme-login . com/reset", "a\u200bcme-login.com", "acme-login{.}com", "h t t p s : / / acme-login.com",
                "acme-login .com/reset", "acme-login. com", "ａｃｍｅ-login.com")) {
            blocked(text, "phishing.lookalike_domain");
        }
    }

    @Test
    void ordinaryLinksAndTextThatLooksLikeLinksPass() {
        for (String text : List.of("https://en.wikipedia.org/wiki/IBAN", "Check ups.com for the status", "github.com/acme/x",
                "medium.com/@ada/review", "report.pdf attached", "Thanks.Bye", "It works. Com is fine",
                "ada@example.org", "e.g. this, i.e. that", "version 1.2.3", "web2print.com/login")) {
            assertEquals(List.of(), codes(text), text);
        }
    }

    @Test
    void requestsForSecrets() {
        for (String text : List.of("Send me your password so I can fix your account", "What is the code we texted you?",
                "Please confirm your card number and CVV", "Reply with the 6-digit code you just received",
                "Tell me your PIN", "Type your password here in the chat", "DM me your seed phrase",
                "confirm ur passw0rd pls", "what was the code in the text message we sent",
                "Don't worry, just send me your password")) {
            blocked(text, "phishing.credential_request");
        }
    }

    @Test
    void adviceAndOwnSecretsAreNotRequests() {
        for (String text : List.of("I forgot my password, how do I reset it?",
                "Please reset your password on acme.example/account.",
                "We will never ask for your password or the code we text you.",
                "For security, never share your card number or CVV in this chat.",
                "Can you confirm the last four digits of your card?",
                "Is it safe to share my password with support?",
                "Can you send me the password reset link again?",
                "What's the promo code for Black Friday?", "Send me the tracking code please",
                "Could you tell me your postcode?", "Where do I enter the code from the email?",
                "Please enter the verification code on acme.example, never in this chat.")) {
            assertEquals(List.of(), codes(text), text);
        }
    }

    @Test
    void checksCanBeSwitchedOffAndDomainsConfigured() {
        var p = new PhishingPolicy(TestConfig.policies(Map.of("chat.policy.phishing.ip-literals", "false",
                "chat.policy.phishing.credential-requests", "false",
                "chat.policy.phishing.protected-domains", "shop.example,bank.co.uk")).phishing());
        assertEquals(Verdict.ALLOW, p.judge("http://203.0.113.9/x").verdict());
        assertEquals(Verdict.ALLOW, p.judge("send me your password").verdict());
        assertEquals(Verdict.ALLOW, p.judge("acme-login.com").verdict(), "acme is no longer protected");
        assertEquals(Verdict.BLOCK, p.judge("shop-login.com").verdict());
        assertEquals(Verdict.BLOCK, p.judge("bank-secure.net").verdict(), "co.uk is a suffix, bank the brand");
        assertEquals(Verdict.ALLOW, p.judge("online.bank.co.uk/x").verdict());
    }

    @Test
    void ipLiteralForms() {
        assertTrue(Domains.isIpLiteral("203.0.113.9"));
        assertTrue(Domains.isIpLiteral("3405803786"));
        assertTrue(Domains.isIpLiteral("0xcb.0.0x71.9"));
        assertTrue(Domains.isIpLiteral("[::1]"));
        assertFalse(Domains.isIpLiteral("acme.example"));
        assertFalse(Domains.isIpLiteral("1.2.3.4.5"));
    }
}
