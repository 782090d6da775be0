package io.securechat.moderation.policy.sensitive;

import io.securechat.moderation.message.InboundMessage;
import io.securechat.moderation.pipeline.ModerationPolicy;
import io.securechat.moderation.pipeline.PolicyResult;
import io.securechat.moderation.pipeline.QueueSettings;
import io.securechat.moderation.pipeline.Redaction;
import io.securechat.moderation.policy.PolicyConfig;
import io.securechat.moderation.policy.text.TextView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Policy {@code sensitive-data}: payment card numbers, IBANs, US social security numbers and the
 * operator's named patterns ({@code chat.policy.sensitive-data.*}).
 *
 * <p>Per queue ({@code chat.policy.queues."<queue>".sensitive-data.action}): {@code redact} masks
 * each finding but its last four letters or digits and delivers the message (spans in UTF-16
 * indexes of the original text, kinds {@code card}, {@code iban}, {@code ssn}, {@code pattern});
 * {@code block} refuses it with {@code blocked_content}. Either way the detail codes
 * ({@code sensitive_data.card}, ..., {@code sensitive_data.pattern.<name>}) say what was found.
 *
 * <p>Pure computation on the text: no I/O, never fails.
 */
@ApplicationScoped
public class SensitiveDataPolicy implements ModerationPolicy {

    public static final String ID = "sensitive-data";
    public static final String PATTERN_KIND = "pattern";
    private static final Pattern PATTERN_NAME = Pattern.compile("[a-z0-9_-]{1,32}");

    private final PolicyConfig.SensitiveData config;
    private final Map<String, Pattern> patterns;

    @Inject
    public SensitiveDataPolicy(PolicyConfig config) {
        this(config.sensitiveData());
    }

    public SensitiveDataPolicy(PolicyConfig.SensitiveData config) {
        this.config = config;
        this.patterns = compile(config.patterns());
    }

    /**
     * The operator's patterns, checked at start-up: a name that cannot be a metric tag or a
     * pattern that does not compile stops the service rather than silently protect nothing.
     */
    static Map<String, Pattern> compile(Map<String, String> configured) {
        Map<String, Pattern> out = new LinkedHashMap<>();
        configured.keySet().stream().sorted().forEach(name -> {
            if (!PATTERN_NAME.matcher(name).matches()) {
                throw new IllegalStateException("chat.policy.sensitive-data.patterns: the name '" + name
                        + "' must be 1-32 of a-z, 0-9, _ and -");
            }
            try {
                out.put(name, Pattern.compile(configured.get(name)));
            } catch (PatternSyntaxException e) {
                throw new IllegalStateException("chat.policy.sensitive-data.patterns.\"" + name
                        + "\" is not a regular expression: " + e.getDescription());
            }
        });
        return out;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean deterministic() {
        return true;
    }

    @Override
    public Uni<PolicyResult> evaluate(InboundMessage message) {
        return evaluate(message, QueueSettings.DEFAULTS);
    }

    @Override
    public Uni<PolicyResult> evaluate(InboundMessage message, QueueSettings queue) {
        return Uni.createFrom().item(() -> judge(message.text(), action(queue)));
    }

    private PolicyConfig.Action action(QueueSettings queue) {
        String configured = queue.option(ID, "action", null);
        return configured == null ? config.action() : PolicyConfig.Action.valueOf(configured.toUpperCase(Locale.ROOT));
    }

    /** The verdict on one text under {@code action}. */
    public PolicyResult judge(String text, PolicyConfig.Action action) {
        if (text == null || text.isEmpty()) {
            return PolicyResult.allow();
        }
        TextView view = TextView.of(text);
        List<Finding> findings = find(view.text());
        if (findings.isEmpty()) {
            return PolicyResult.allow();
        }
        LinkedHashSet<String> details = new LinkedHashSet<>();
        findings.forEach(f -> details.add(f.detail()));
        if (action == PolicyConfig.Action.BLOCK) {
            return PolicyResult.block("blocked_content", List.copyOf(details));
        }
        List<Redaction> spans = new ArrayList<>();
        for (Finding f : findings) {
            int[] span = view.maskedSpan(f.start(), f.end());
            spans.add(new Redaction(f.kind(), span[0], span[1]));
        }
        spans.sort(Comparator.comparingInt(Redaction::start).thenComparingInt(Redaction::end));
        return PolicyResult.mask(spans, List.copyOf(details));
    }

    /** Everything sensitive in a prepared text, in the order card, IBAN, SSN, patterns. */
    public List<Finding> find(String view) {
        List<Finding> out = new ArrayList<>();
        if (config.cards()) {
            out.addAll(CardFinder.find(view));
        }
        if (config.ibans()) {
            out.addAll(IbanFinder.find(view));
        }
        if (config.ssns()) {
            out.addAll(SsnFinder.find(view));
        }
        patterns.forEach((name, pattern) -> {
            Matcher m = pattern.matcher(view);
            while (m.find()) {
                if (m.end() > m.start()) {
                    out.add(new Finding(PATTERN_KIND, "sensitive_data.pattern." + name, m.start(), m.end()));
                }
            }
        });
        return out;
    }
}
