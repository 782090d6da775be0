package io.securechat.session.delivery.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Which gateway node gets which recipients of a frame. */
public final class DeliveryRouting {

    private DeliveryRouting() {}

    /**
     * @param presence the nodes holding each user's sockets; empty when Redis could not answer
     * @param knownNodes the nodes with a delivery topic, in a stable order
     * @return node to recipients on that node; a recipient with no socket anywhere is left out
     *         (they catch up with {@code conversation.subscribe} and {@code afterSeq})
     */
    public static Map<String, List<String>> route(Collection<String> recipients,
            Optional<Map<String, Set<String>>> presence, List<String> knownNodes) {
        Map<String, List<String>> byNode = new LinkedHashMap<>();
        if (recipients.isEmpty()) {
            return byNode;
        }
        if (presence.isEmpty()) {
            // Without presence every node gets every recipient: correct, only wasteful.
            knownNodes.forEach(n -> byNode.put(n, List.copyOf(recipients)));
            return byNode;
        }
        for (String node : knownNodes) {
            List<String> here = new ArrayList<>();
            for (String user : recipients) {
                if (presence.get().getOrDefault(user, Set.of()).contains(node) && !here.contains(user)) {
                    here.add(user);
                }
            }
            if (!here.isEmpty()) {
                byNode.put(node, here);
            }
        }
        return byNode;
    }
}
