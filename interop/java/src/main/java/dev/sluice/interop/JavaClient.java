// A small program on Apache Kafka's Java client that interop tests and golden captures drive.
//
//   JavaClient admin   BOOTSTRAP TOPIC               create the topic, describe cluster/topic/configs, list offsets
//   JavaClient produce BOOTSTRAP TOPIC CODEC COUNT   CODEC: none, gzip, snappy, lz4, zstd
//   JavaClient consume BOOTSTRAP TOPIC GROUP COUNT PROTOCOL   PROTOCOL: classic or consumer (KIP-848)
//   JavaClient txn     BOOTSTRAP TOPIC TXID COUNT    one committed and one aborted transaction
//
// The interop scenarios' driver commands (JSON lines out, see interop/drivers/process.ts):
//   JavaClient create-topic     BOOTSTRAP TOPIC PARTITIONS
//   JavaClient produce-records  BOOTSTRAP TOPIC CODEC        records on stdin, tab-separated base64
//   JavaClient read             BOOTSTRAP TOPIC PARTITIONS   assign, from 0 to the log end offsets
//   JavaClient member           BOOTSTRAP TOPIC GROUP PROTOCOL   until stdin says 'leave' or closes
//   JavaClient describe-configs BOOTSTRAP TOPIC
//   JavaClient alter-configs    BOOTSTRAP TOPIC NAME=VALUE...   (IncrementalAlterConfigs)
//
// Exits 0 after doing exactly that, or prints what failed and exits 1.
package dev.sluice.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public final class JavaClient {
  private static final long TIMEOUT_MS = 30_000;
  private static final int COUNT_MAX = 1_000_000;

  private JavaClient() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: JavaClient admin|produce|consume|txn BOOTSTRAP TOPIC ...");
      System.exit(2);
    }
    try {
      switch (args[0]) {
        case "admin" -> admin(args[1], args[2]);
        case "produce" -> produce(args[1], args[2], arg(args, 3), count(arg(args, 4)));
        case "consume" -> consume(args[1], args[2], arg(args, 3), count(arg(args, 4)), arg(args, 5));
        case "txn" -> txn(args[1], args[2], arg(args, 3), count(arg(args, 4)));
        case "create-topic" -> Driver.createTopic(args[1], args[2], Integer.parseInt(arg(args, 3)));
        case "produce-records" -> Driver.produce(args[1], args[2], arg(args, 3));
        case "read" -> Driver.read(args[1], args[2], Integer.parseInt(arg(args, 3)));
        case "member" -> Driver.member(args[1], args[2], arg(args, 3), arg(args, 4));
        case "describe-configs" -> Driver.describeConfigs(args[1], args[2]);
        case "alter-configs" -> Driver.alterConfigs(args[1], args[2], java.util.Arrays.copyOfRange(args, 3, args.length));
        default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
      }
    } catch (Exception e) {
      System.err.println("JavaClient " + String.join(" ", args) + " failed: " + e);
      System.exit(1);
    }
  }

  private static String arg(String[] args, int i) {
    if (i >= args.length) throw new IllegalArgumentException("missing argument " + i + " of " + args[0]);
    return args[i];
  }

  private static int count(String s) {
    int n = Integer.parseInt(s);
    if (n < 1 || n > COUNT_MAX) throw new IllegalArgumentException("COUNT must be 1.." + COUNT_MAX + ", got " + n);
    return n;
  }

  private static Properties base(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("client.id", "sluice-golden-java");
    return p;
  }

  private static void admin(String bootstrap, String topic) throws Exception {
    try (Admin admin = Admin.create(base(bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest())).all()
          .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      admin.listGroups().all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
  }

  private static List<ProducerRecord<String, String>> records(String topic, String tag, int count) {
    List<ProducerRecord<String, String>> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ProducerRecord<String, String> r = new ProducerRecord<>(topic, 0, "k" + i, "java " + tag + " " + i);
      r.headers().add("h", ("v" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.add(r);
    }
    return out;
  }

  private static Properties producerProps(String bootstrap) {
    Properties p = base(bootstrap);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    p.put("acks", "all");
    p.put("linger.ms", "5");
    return p;
  }

  private static void produce(String bootstrap, String topic, String codec, int count) throws Exception {
    Properties p = producerProps(bootstrap);
    p.put("compression.type", codec);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (ProducerRecord<String, String> r : records(topic, codec, count)) sent.add(producer.send(r));
      for (java.util.concurrent.Future<?> f : sent) f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
  }

  private static void consume(String bootstrap, String topic, String group, int count, String protocol) {
    Properties p = base(bootstrap);
    p.put("group.id", group);
    p.put("group.protocol", protocol);
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    p.put("fetch.max.wait.ms", "200");
    if (protocol.equals("classic")) p.put("heartbeat.interval.ms", "200");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(Set.of(topic));
      long deadline = System.currentTimeMillis() + TIMEOUT_MS;
      int seen = 0;
      while (seen < count) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("consumed " + seen + " of " + count + " records in " + TIMEOUT_MS + " ms");
        }
        ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(200));
        seen += polled.count();
      }
      consumer.commitSync();
      consumer.committed(consumer.assignment());
      System.out.println("consumed " + seen + " records");
    }
  }

  private static void txn(String bootstrap, String topic, String txid, int count) throws Exception {
    Properties p = producerProps(bootstrap);
    p.put("transactional.id", txid);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      producer.initTransactions();
      producer.beginTransaction();
      for (ProducerRecord<String, String> r : records(topic, "committed", count)) producer.send(r);
      producer.commitTransaction();
      producer.beginTransaction();
      for (ProducerRecord<String, String> r : records(topic, "aborted", count)) producer.send(r);
      producer.abortTransaction();
    }
  }
}
