// Creates the topics declared in topics.conf and brings their settings in line, idempotently.
// Run by stack/kafka.sh with the broker's jars on the class path (java's single-file launcher):
//   java -cp "libs/*" EnsureTopics.java BOOTSTRAP topics.conf
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;

public class EnsureTopics {
    record Declared(String name, int partitions, String retentionMs, String cleanup) {}

    public static void main(String[] args) throws Exception {
        List<Declared> declared = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] f = l.split("\\s+");
            if (f.length != 4) throw new IllegalArgumentException("topics.conf: 4 columns expected in: " + l);
            declared.add(new Declared(f[0], Integer.parseInt(f[1]), f[2], f[3]));
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> create = new ArrayList<>();
            Map<String, NewPartitions> grow = new HashMap<>();
            Map<ConfigResource, Collection<AlterConfigOp>> alter = new HashMap<>();
            Map<String, Integer> current = new HashMap<>();
            if (!existing.isEmpty()) {
                admin.describeTopics(existing).allTopicNames().get(30, TimeUnit.SECONDS)
                        .forEach((n, d) -> current.put(n, d.partitions().size()));
            }
            for (Declared d : declared) {
                Map<String, String> cfg = Map.of("retention.ms", d.retentionMs(), "cleanup.policy", d.cleanup());
                if (!existing.contains(d.name())) {
                    create.add(new NewTopic(d.name(), d.partitions(), (short) 1).configs(cfg));
                    System.out.printf("  create %-24s partitions=%d retention.ms=%s%n", d.name(), d.partitions(), d.retentionMs());
                    continue;
                }
                int have = current.getOrDefault(d.name(), 0);
                if (have < d.partitions()) {
                    grow.put(d.name(), NewPartitions.increaseTo(d.partitions()));
                    System.out.printf("  grow   %-24s partitions %d -> %d%n", d.name(), have, d.partitions());
                } else if (have > d.partitions()) {
                    System.out.printf("  warn   %-24s has %d partitions, %d declared (Kafka cannot shrink; reset the stack)%n",
                            d.name(), have, d.partitions());
                }
                List<AlterConfigOp> ops = new ArrayList<>();
                cfg.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
                alter.put(new ConfigResource(ConfigResource.Type.TOPIC, d.name()), ops);
            }
            if (!create.isEmpty()) admin.createTopics(create).all().get(60, TimeUnit.SECONDS);
            if (!grow.isEmpty()) admin.createPartitions(grow).all().get(60, TimeUnit.SECONDS);
            if (!alter.isEmpty()) admin.incrementalAlterConfigs(alter).all().get(60, TimeUnit.SECONDS);
            System.out.printf("  %d topic(s) declared, %d created, %d already present%n",
                    declared.size(), create.size(), declared.size() - create.size());
        }
    }
}
