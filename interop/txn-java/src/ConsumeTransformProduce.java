// A consume-transform-produce loop with Kafka's Java client, exactly once: each input record's
// result ("out-" + value) is produced and the input offsets committed in one transaction.
// Any failure (the broker killed, a fence, a timeout) closes both clients and starts again from
// the group's committed offsets; the new producer's initTransactions aborts what was in flight.
// Usage: ConsumeTransformProduce BOOTSTRAP IN OUT GROUP TXN_ID EXPECTED_RECORDS PAUSE_MS DEADLINE_MS
// Exits 0 once the committed offsets cover EXPECTED_RECORDS, 1 at the deadline.
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public final class ConsumeTransformProduce {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], in = args[1], out = args[2], group = args[3], txnId = args[4];
    long expected = Long.parseLong(args[5]);
    long pauseMs = Long.parseLong(args[6]);
    long deadline = System.currentTimeMillis() + Long.parseLong(args[7]);
    int restarts = 0;
    while (System.currentTimeMillis() < deadline) {
      try (KafkaConsumer<String, String> consumer = consumer(bootstrap, group);
          KafkaProducer<String, String> producer = producer(bootstrap, txnId)) {
        producer.initTransactions();
        consumer.subscribe(List.of(in));
        while (System.currentTimeMillis() < deadline) {
          ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
          if (!records.isEmpty()) {
            producer.beginTransaction();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (ConsumerRecord<String, String> r : records) {
              producer.send(new ProducerRecord<>(out, r.key(), "out-" + r.value()));
              offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            Thread.sleep(pauseMs);
          }
          long done = committed(consumer, in);
          if (done >= expected) {
            System.out.println("{\"committed\":" + done + ",\"restarts\":" + restarts + "}");
            return;
          }
        }
      } catch (Exception e) {
        restarts++;
        System.err.println("restarting after " + e);
        Thread.sleep(500);
      }
    }
    System.exit(1);
  }

  static long committed(KafkaConsumer<String, String> consumer, String topic) {
    var partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
    return consumer.committed(partitions).values().stream()
        .filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
  }

  static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", group);
    p.put("isolation.level", "read_committed");
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "earliest");
    p.put("max.poll.records", "10");
    p.put("session.timeout.ms", "6000");
    p.put("heartbeat.interval.ms", "500");
    p.put("default.api.timeout.ms", "10000");
    p.put("request.timeout.ms", "5000");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  static KafkaProducer<String, String> producer(String bootstrap, String txnId) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("transactional.id", txnId);
    p.put("transaction.timeout.ms", "10000");
    p.put("max.block.ms", "10000");
    p.put("request.timeout.ms", "5000");
    p.put("delivery.timeout.ms", "9000");
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    return new KafkaProducer<>(p);
  }
}
