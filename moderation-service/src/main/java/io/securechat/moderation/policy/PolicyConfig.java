package io.securechat.moderation.policy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The text policies ({@code sensitive-data}, {@code phishing}, {@code spam},
 * {@code impersonation}) and their per-queue switches. Every key and default is listed in
 * docs/moderation.md. Which policies run, and in which order, stays {@code chat.moderation.policies}.
 */
@ConfigMapping(prefix = "chat.policy")
public interface PolicyConfig {

    SensitiveData sensitiveData();

    Phishing phishing();

    Spam spam();

    Impersonation impersonation();

    /** Where the conversationId -> queue mapping is cached and how long a lookup may take. */
    QueueLookup queueLookup();

    /**
     * Settings per queue, e.g. {@code chat.policy.queues."billing".sensitive-data.action=block} or
     * {@code chat.policy.queues."sales".disabled=spam}. A queue not listed gets the defaults, and
     * so does a message whose queue is not known yet.
     */
    Map<String, Queue> queues();

    /** What to do with a message that holds sensitive data. */
    enum Action {
        /** Deliver it with the sensitive part masked (all but its last 4 letters or digits). */
        REDACT,
        /** Refuse it with {@code blocked_content}. */
        BLOCK
    }

    interface SensitiveData {
        /** The default action; a queue may set its own. */
        @WithDefault("redact")
        Action action();

        /** Payment card numbers (13-19 digits, Luhn-valid, issuer digit 2-6). */
        @WithDefault("true")
        boolean cards();

        /** IBANs (known country, its length, mod-97 valid). */
        @WithDefault("true")
        boolean ibans();

        /** US social security numbers (AAA-GG-SSSS, invalid ranges excluded). */
        @WithDefault("true")
        boolean ssns();

        /**
         * Operator patterns: name -> Java regular expression, e.g.
         * {@code chat.policy.sensitive-data.patterns."member_id"=\bACM-\d{4}-\d{4}-\d{4}\b}. The
         * name (lower-case letters, digits, {@code _}, {@code -}; at most 32) becomes the detail
         * code {@code sensitive_data.pattern.<name>}.
         */
        Map<String, String> patterns();
    }

    interface Phishing {
        /**
         * The company's own domains: links to them and their subdomains are fine; links that
         * imitate them (homoglyphs, punycode, typos, the brand inside another domain) are phishing.
         */
        @WithDefault("acme.example")
        List<String> protectedDomains();

        /** Domains (and their subdomains) no link may point to. */
        Optional<List<String>> blockedDomains();

        /** Links whose host is an IP address (IPv4 in any notation, IPv6). */
        @WithDefault("true")
        boolean ipLiterals();

        /** Requests to send a password, a one-time code or card data. */
        @WithDefault("true")
        boolean credentialRequests();
    }

    interface Spam {
        CrossConversation crossConversation();

        Links links();

        Repeat repeat();

        /**
         * The same text from one sender reaching its {@code conversations}-th distinct conversation
         * within {@code window} is blocked. Agents and supervisors are exempt (canned replies).
         */
        interface CrossConversation {
            @WithDefault("3")
            int conversations();

            @WithDefault("PT10M")
            Duration window();

            /** Texts shorter than this (letters and digits counted) are never cross-conversation spam: "ok", "thanks". */
            @WithDefault("8")
            int minLength();
        }

        /** More than {@code max} links from one sender within {@code window} are blocked. */
        interface Links {
            @WithDefault("5")
            int max();

            @WithDefault("PT5M")
            Duration window();
        }

        /** The {@code times}-th identical message in a row from one sender in one conversation is blocked. */
        interface Repeat {
            @WithDefault("4")
            int times();

            /** A repeat run older than this starts over. */
            @WithDefault("PT10M")
            Duration window();
        }
    }

    interface Impersonation {
        /** The company's names: a customer's display name may not claim them. */
        @WithDefault("Acme")
        List<String> companyNames();

        /** Words that claim a staff role in a display name (whole words, confusables folded). */
        @WithDefault("support,admin,administrator,moderator,agent,staff,security,helpdesk")
        List<String> staffWords();
    }

    interface QueueLookup {
        /**
         * How long a conversation's queue is cached. Another instance consumes a transfer's event,
         * so a transferred conversation may keep its old queue's settings for up to this long.
         */
        @WithDefault("PT10S")
        Duration cacheTtl();

        @WithDefault("10000")
        int cacheSize();

        /** Bound on the PostgreSQL lookup of a conversation's queue. */
        @WithDefault("PT2S")
        Duration timeout();
    }

    interface Queue {
        /** Policy ids switched off in this queue ({@code bans} cannot be). */
        Optional<Set<String>> disabled();

        @WithName("sensitive-data")
        QueueSensitiveData sensitiveData();

        interface QueueSensitiveData {
            Optional<Action> action();
        }
    }
}
