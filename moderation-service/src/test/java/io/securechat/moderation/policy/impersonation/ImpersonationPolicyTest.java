package io.securechat.moderation.policy.impersonation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securechat.moderation.message.InboundMessage;
import io.securechat.moderation.pipeline.PolicyResult;
import io.securechat.moderation.pipeline.Verdict;
import io.securechat.moderation.policy.TestConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImpersonationPolicyTest {

    private final ImpersonationPolicy policy = new ImpersonationPolicy(TestConfig.defaults().impersonation());
    private final StaffNames names = new StaffNames(List.of("support", "admin", "administrator", "moderator", "agent",
            "staff", "security", "helpdesk"), List.of("Acme"));

    private static InboundMessage.Sender customer(String name) {
        return new InboundMessage.Sender("u-1", List.of("customer"), name, false, null);
    }

    @Test
    void staffClaimsInAnySpelling() {
        for (String name : List.of("Support", "Acme Support Team", "AcmeSupport", "acmesupport", "acme_support",
                "S u p p o r t", "S.u.p.p.o.r.t", "Sec-urity", "Supp0rt", "$upport", "ADM1N", "Αdmin", "Аdmin",
                "Ｓｕｐｐｏｒｔ", "𝐒𝐮𝐩𝐩𝐨𝐫𝐭", "Ad\u200bmin", "Help desk", "Acmé Support", "Agent Smith", "Moder4tor",
                "Official Acme", "Customer Support")) {
            assertTrue(names.claimsStaff(name), name);
        }
    }

    @Test
    void staffWordsInsideLongerWordsAreNotClaims() {
        for (String name : List.of("Adminah", "Suppa", "Mary Agentson", "Stafford Brown", "Modesto", "Ad Mina",
                "Jo Supporter", "Macmeena", "Helen Desk", "Customer Care", "Guest 4821", "", "   ")) {
            assertFalse(names.claimsStaff(name), name);
        }
    }

    @Test
    void customersAndGuestsAreCheckedStaffNever() {
        PolicyResult r = policy.judge(customer("Acme Support"));
        assertEquals(Verdict.BLOCK, r.verdict());
        assertEquals(List.of("blocked_content", "impersonation.staff_name"), r.codes());
        assertEquals(Verdict.BLOCK, policy.judge(new InboundMessage.Sender("guest:1", List.of(), "Admin", true, "fp"))
                .verdict());
        for (String role : List.of("agent", "supervisor", "moderator", "admin")) {
            assertEquals(Verdict.ALLOW, policy.judge(new InboundMessage.Sender("s", List.of(role), "Acme Support", false, null))
                    .verdict(), role);
        }
        assertEquals(Verdict.ALLOW, policy.judge(customer("Ada Lovelace")).verdict());
    }

    @Test
    void theCompanyNameAndStaffWordsAreConfigured() {
        var p = new ImpersonationPolicy(TestConfig.policies(Map.of("chat.policy.impersonation.company-names", "Globex,Initech",
                "chat.policy.impersonation.staff-words", "concierge")).impersonation());
        assertEquals(Verdict.BLOCK, p.judge(customer("Initech Concierge")).verdict());
        assertEquals(Verdict.BLOCK, p.judge(customer("GL0BEX")).verdict());
        assertEquals(Verdict.ALLOW, p.judge(customer("Acme Admin")).verdict(), "no longer configured");
    }
}
