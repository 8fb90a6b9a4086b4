// The interop scenarios' operations on Apache Kafka's Java client. Output is JSON lines:
// {"record":[partition,offset,ts,key,value,[[name,value],...]]} (base64 bytes), {"assigned":[...]},
// {"took":[[partition,offset],...]}, {"configs":{...}}, and {"done":...} last.
package dev.sluice.interop;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

final class Driver {
  private static final long TIMEOUT_MS = 60_000;
  private static final Duration POLL = Duration.ofMillis(200);
  private static final int READ_IDLE_POLLS_MAX = 600;
  private static final String CLIENT_ID = "sluice-interop-java";

  private Driver() {}

  private static void out(String json) {
    System.out.println(json);
    System.out.flush();
  }

  private static String b64(byte[] bytes) {
    return bytes == null ? "null" : "\"" + Base64.getEncoder().encodeToString(bytes) + "\"";
  }

  private static String str(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  private static Properties base(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("client.id", CLIENT_ID);
    return p;
  }

  static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(base(bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
    out("{\"done\":\"created\"}");
  }

  static void produce(String bootstrap, String topic, String codec) throws Exception {
    Properties p = base(bootstrap);
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    p.put("acks", "all");
    p.put("linger.ms", "5");
    p.put("compression.type", codec);
    p.put("max.in.flight.requests.per.connection", "1");
    Base64.Decoder d = Base64.getDecoder();
    List<Future<?>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isEmpty()) continue;
        String[] f = line.split("\t", -1);
        List<Header> headers = new ArrayList<>();
        for (String h : f[4].split(",")) {
          if (h.isEmpty()) continue;
          String[] kv = h.split(":", -1);
          headers.add(new RecordHeader(new String(d.decode(kv[0]), StandardCharsets.UTF_8), d.decode(kv[1])));
        }
        Long ts = f[1].isEmpty() ? null : Long.parseLong(f[1]);
        sent.add(producer.send(new ProducerRecord<>(topic, Integer.parseInt(f[0]), ts, d.decode(f[2]), d.decode(f[3]), headers)));
      }
      for (Future<?> f : sent) f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
    out("{\"done\":" + sent.size() + "}");
  }

  private static Properties consumerProps(String bootstrap) {
    Properties p = base(bootstrap);
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    p.put("enable.auto.commit", "false");
    p.put("fetch.max.wait.ms", "100");
    p.put("max.poll.records", "500");
    return p;
  }

  private static String recordJson(ConsumerRecord<byte[], byte[]> r) {
    StringBuilder h = new StringBuilder("[");
    for (Header header : r.headers()) {
      if (h.length() > 1) h.append(',');
      h.append('[').append(b64(header.key().getBytes(StandardCharsets.UTF_8))).append(',').append(b64(header.value() == null ? new byte[0] : header.value())).append(']');
    }
    h.append(']');
    return "{\"record\":[" + r.partition() + "," + r.offset() + "," + r.timestamp() + "," + b64(r.key()) + "," + b64(r.value()) + "," + h + "]}";
  }

  static void read(String bootstrap, String topic, int partitions) {
    List<TopicPartition> tps = new ArrayList<>();
    for (int i = 0; i < partitions; i++) tps.add(new TopicPartition(topic, i));
    int count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(bootstrap))) {
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Duration.ofMillis(TIMEOUT_MS));
      int idle = 0;
      while (!reached(consumer, ends)) {
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);
        idle = polled.isEmpty() ? idle + 1 : 0;
        if (idle > READ_IDLE_POLLS_MAX) throw new IllegalStateException("read stalled before log end offsets " + ends);
        for (ConsumerRecord<byte[], byte[]> r : polled) {
          out(recordJson(r));
          count++;
        }
      }
    }
    out("{\"done\":" + count + "}");
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) return false;
    }
    return true;
  }

  static void member(String bootstrap, String topic, String group, String protocol) {
    Properties p = consumerProps(bootstrap);
    p.put("group.id", group);
    p.put("group.protocol", protocol);
    p.put("auto.offset.reset", "earliest");
    if (protocol.equals("classic")) p.put("heartbeat.interval.ms", "300");
    AtomicBoolean stop = new AtomicBoolean(false);
    Thread watcher = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null && !line.trim().equals("leave"); line = in.readLine()) {
          // wait for 'leave' or the end of input
        }
      } catch (Exception e) {
        // stdin gone: leave
      }
      stop.set(true);
    });
    watcher.setDaemon(true);
    watcher.start();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(Set.of(topic));
      Set<Integer> shown = null;
      while (!stop.get()) {
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);
        Set<Integer> assigned = new TreeSet<>();
        for (TopicPartition tp : consumer.assignment()) assigned.add(tp.partition());
        if (!assigned.equals(shown)) {
          shown = assigned;
          out("{\"assigned\":" + assigned + "}");
        }
        if (polled.isEmpty()) continue;
        StringBuilder took = new StringBuilder("[");
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : polled) {
          if (took.length() > 1) took.append(',');
          took.append('[').append(r.partition()).append(',').append(r.offset()).append(']');
          commit.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        try {
          consumer.commitSync(commit, Duration.ofMillis(TIMEOUT_MS));
        } catch (CommitFailedException | org.apache.kafka.common.errors.RebalanceInProgressException e) {
          System.err.println("commit failed: " + e); // a commit racing a rebalance; the next one covers it
        }
        out("{\"took\":" + took + "]}");
      }
    }
    out("{\"done\":\"left\"}");
  }

  static void describeConfigs(String bootstrap, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin admin = Admin.create(base(bootstrap))) {
      Map<ConfigResource, Config> all = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      StringBuilder b = new StringBuilder("{\"configs\":{");
      Collection<ConfigEntry> entries = all.get(resource).entries();
      boolean first = true;
      for (ConfigEntry e : entries) {
        if (!first) b.append(',');
        first = false;
        b.append(str(e.name())).append(':').append(e.value() == null ? "null" : str(e.value()));
      }
      out(b.append("}}").toString());
      out("{\"done\":" + entries.size() + "}");
    }
  }

  static void alterConfigs(String bootstrap, String topic, String[] pairs) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    List<AlterConfigOp> ops = new ArrayList<>();
    for (String pair : pairs) {
      String[] kv = pair.split("=", 2);
      ops.add(new AlterConfigOp(new ConfigEntry(kv[0], kv[1]), AlterConfigOp.OpType.SET));
    }
    try (Admin admin = Admin.create(base(bootstrap))) {
      admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
    out("{\"done\":\"altered\"}");
  }
}
