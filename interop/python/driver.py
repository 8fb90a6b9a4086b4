"""The interop scenarios' driver on confluent-kafka or kafka-python (run by the venv python).

    python driver.py LIB create-topic     BOOTSTRAP TOPIC PARTITIONS
    python driver.py LIB produce          BOOTSTRAP TOPIC CODEC      < records
    python driver.py LIB read             BOOTSTRAP TOPIC PARTITIONS
    python driver.py LIB member           BOOTSTRAP TOPIC GROUP      (stdin: a line 'leave', or EOF)
    python driver.py LIB describe-configs BOOTSTRAP TOPIC
    python driver.py LIB alter-configs    BOOTSTRAP TOPIC NAME=VALUE...

LIB is `confluent` (librdkafka inside) or `kafka-python`. Records on stdin are one per line,
tab-separated: partition, timestamp ms (empty: the client's), key, value, headers; key, value and
header names and values are base64, headers `name:value` pairs joined by commas. Output is JSON
lines: `{"record": [partition, offset, ts, key, value, [[name, value], ...]]}` (base64 bytes),
`{"assigned": [partitions]}`, `{"took": [[partition, offset], ...]}`, `{"configs": {...}}`,
`{"done": ...}` last. Exits 0 after doing exactly that, or prints what failed and exits 1.
"""

import base64
import json
import sys
import threading
import time

TIMEOUT_S = 60.0
CLIENT_ID = "sluice-interop-python"
POLL_S = 0.2
CONSUME_BATCH_MAX = 500
READ_IDLE_POLLS_MAX = 600  # 2 minutes of empty polls before a read gives up


def out(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def b64(data):
    return None if data is None else base64.b64encode(data).decode()


def unb64(text):
    return base64.b64decode(text)


def read_spec():
    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line:
            continue
        partition, ts, key, value, headers = line.split("\t")
        pairs = [tuple(unb64(x).decode() if i == 0 else unb64(x) for i, x in enumerate(h.split(":")))
                 for h in headers.split(",") if h]
        yield int(partition), (int(ts) if ts else None), unb64(key), unb64(value), pairs


def record_line(partition, offset, ts, key, value, headers):
    hs = [[b64(k.encode() if isinstance(k, str) else k), b64(v if v is not None else b"")] for k, v in headers or []]
    out({"record": [partition, offset, ts, b64(key), b64(value), hs]})


def watch_stdin(stop):
    """Sets `stop` when stdin says 'leave' or closes."""
    for line in sys.stdin:
        if line.strip() == "leave":
            break
    stop.set()


# ---------------------------------------------------------------- confluent-kafka (librdkafka)

def confluent_conf(bootstrap, **extra):
    conf = {"bootstrap.servers": bootstrap, "client.id": CLIENT_ID}
    conf.update(extra)
    return conf


def confluent_create_topic(bootstrap, topic, partitions):
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient(confluent_conf(bootstrap))
    for future in admin.create_topics([NewTopic(topic, num_partitions=int(partitions), replication_factor=1)]).values():
        future.result(TIMEOUT_S)
    out({"done": "created"})


def confluent_produce(bootstrap, topic, codec):
    from confluent_kafka import Producer

    producer = Producer(confluent_conf(bootstrap, **{"compression.type": codec, "linger.ms": 5, "acks": "all",
                                                     "max.in.flight.requests.per.connection": 1}))
    errors, count = [], 0
    for partition, ts, key, value, headers in read_spec():
        kwargs = {"timestamp": ts} if ts is not None else {}
        while True:
            try:
                producer.produce(topic, value=value, key=key, headers=headers, partition=partition,
                                 on_delivery=lambda err, _msg: errors.append(str(err)) if err else None, **kwargs)
                break
            except BufferError:
                producer.poll(0.05)
        count += 1
    left = producer.flush(TIMEOUT_S)
    if left or errors:
        raise RuntimeError(f"{left} records unsent, delivery errors {errors[:5]}")
    out({"done": count})


def confluent_read(bootstrap, topic, partitions):
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer(confluent_conf(bootstrap, **{"group.id": "sluice-interop-unused", "enable.auto.commit": False,
                                                     "fetch.wait.max.ms": 100}))
    ends = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), TIMEOUT_S)[1] for p in range(int(partitions))}
    consumer.assign([TopicPartition(topic, p, 0) for p in ends])
    nxt = {p: 0 for p in ends}
    idle, count = 0, 0
    while any(nxt[p] < ends[p] for p in ends):
        msgs = consumer.consume(CONSUME_BATCH_MAX, POLL_S)
        idle = 0 if msgs else idle + 1
        if idle > READ_IDLE_POLLS_MAX:
            raise RuntimeError(f"read stalled at {nxt}, log end offsets {ends}")
        for m in msgs:
            if m.error():
                raise RuntimeError(f"consume error {m.error()}")
            record_line(m.partition(), m.offset(), m.timestamp()[1], m.key(), m.value(), m.headers())
            nxt[m.partition()] = m.offset() + 1
            count += 1
    consumer.close()
    out({"done": count})


def confluent_member(bootstrap, topic, group):
    from confluent_kafka import Consumer, KafkaException, TopicPartition

    consumer = Consumer(confluent_conf(bootstrap, **{
        "group.id": group, "auto.offset.reset": "earliest", "enable.auto.commit": False,
        "heartbeat.interval.ms": 300, "fetch.wait.max.ms": 100}))
    consumer.subscribe([topic])
    stop = threading.Event()
    threading.Thread(target=watch_stdin, args=(stop,), daemon=True).start()
    shown = None
    while not stop.is_set():
        msgs = consumer.consume(CONSUME_BATCH_MAX, POLL_S)
        assigned = sorted(tp.partition for tp in consumer.assignment())
        if assigned != shown:
            shown = assigned
            out({"assigned": assigned})
        took, nxt = [], {}
        for m in msgs:
            if m.error():
                raise RuntimeError(f"consume error {m.error()}")
            took.append([m.partition(), m.offset()])
            nxt[m.partition()] = m.offset() + 1
        if nxt:
            try:
                consumer.commit(offsets=[TopicPartition(topic, p, o) for p, o in nxt.items()], asynchronous=False)
            except KafkaException as error:  # a commit racing a rebalance; the next one covers it
                print(f"commit failed: {error}", file=sys.stderr)
            out({"took": took})
    consumer.close()
    out({"done": "left"})


def confluent_describe_configs(bootstrap, topic):
    from confluent_kafka.admin import AdminClient, ConfigResource, ResourceType

    admin = AdminClient(confluent_conf(bootstrap))
    futures = admin.describe_configs([ConfigResource(ResourceType.TOPIC, topic)])
    configs = {}
    for future in futures.values():
        configs.update({name: entry.value for name, entry in future.result(TIMEOUT_S).items()})
    out({"configs": configs})
    out({"done": len(configs)})


def confluent_alter_configs(bootstrap, topic, *pairs):
    from confluent_kafka.admin import AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource, ResourceType

    admin = AdminClient(confluent_conf(bootstrap))
    entries = [ConfigEntry(k, v, incremental_operation=AlterConfigOpType.SET)
               for k, v in (p.split("=", 1) for p in pairs)]
    futures = admin.incremental_alter_configs([ConfigResource(ResourceType.TOPIC, topic, incremental_configs=entries)])
    for future in futures.values():
        future.result(TIMEOUT_S)
    out({"done": "altered"})


# ---------------------------------------------------------------- kafka-python

def kp_create_topic(bootstrap, topic, partitions):
    from kafka.admin import KafkaAdminClient, NewTopic

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id=CLIENT_ID)
    admin.create_topics([NewTopic(topic, num_partitions=int(partitions), replication_factor=1)])
    admin.close()
    out({"done": "created"})


def kp_produce(bootstrap, topic, codec):
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap, client_id=CLIENT_ID, acks="all", linger_ms=5,
                             max_in_flight_requests_per_connection=1,
                             compression_type=None if codec == "none" else codec)
    futures = [producer.send(topic, value=value, key=key, headers=headers, partition=partition, timestamp_ms=ts)
               for partition, ts, key, value, headers in read_spec()]
    for future in futures:
        future.get(timeout=TIMEOUT_S)
    producer.close(timeout=TIMEOUT_S)
    out({"done": len(futures)})


def kp_read(bootstrap, topic, partitions):
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id=CLIENT_ID, group_id=None,
                             enable_auto_commit=False, fetch_max_wait_ms=100)
    tps = [TopicPartition(topic, p) for p in range(int(partitions))]
    consumer.assign(tps)
    consumer.seek_to_beginning(*tps)
    ends = {tp.partition: o for tp, o in consumer.end_offsets(tps).items()}
    nxt = {p: 0 for p in ends}
    idle, count = 0, 0
    while any(nxt[p] < ends[p] for p in ends):
        batches = consumer.poll(timeout_ms=int(POLL_S * 1000), max_records=CONSUME_BATCH_MAX)
        idle = 0 if batches else idle + 1
        if idle > READ_IDLE_POLLS_MAX:
            raise RuntimeError(f"read stalled at {nxt}, log end offsets {ends}")
        for tp, msgs in batches.items():
            for m in msgs:
                record_line(tp.partition, m.offset, m.timestamp, m.key, m.value, m.headers)
                nxt[tp.partition] = m.offset + 1
                count += 1
    consumer.close()
    out({"done": count})


def kp_member(bootstrap, topic, group):
    from kafka import KafkaConsumer
    from kafka.errors import KafkaError
    from kafka.structs import OffsetAndMetadata

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id=CLIENT_ID, group_id=group,
                             auto_offset_reset="earliest", enable_auto_commit=False,
                             heartbeat_interval_ms=300, fetch_max_wait_ms=100)
    consumer.subscribe([topic])
    stop = threading.Event()
    threading.Thread(target=watch_stdin, args=(stop,), daemon=True).start()
    shown = None
    while not stop.is_set():
        batches = consumer.poll(timeout_ms=int(POLL_S * 1000), max_records=CONSUME_BATCH_MAX)
        assigned = sorted(tp.partition for tp in consumer.assignment())
        if assigned != shown:
            shown = assigned
            out({"assigned": assigned})
        took, commit = [], {}
        for tp, msgs in batches.items():
            for m in msgs:
                took.append([tp.partition, m.offset])
            if msgs:
                commit[tp] = OffsetAndMetadata(msgs[-1].offset + 1, "", -1)
        if commit:
            try:
                consumer.commit(commit)
            except KafkaError as error:  # a commit racing a rebalance; the next one covers it
                print(f"commit failed: {error!r}", file=sys.stderr)
            out({"took": took})
    consumer.close(autocommit=False)
    out({"done": "left"})


def kp_describe_configs(bootstrap, topic):
    from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id=CLIENT_ID)
    described = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)], config_filter="all")
    admin.close()
    configs = {}
    for by_name in described.values():
        for entries in by_name.values():
            for key, data in entries.items():
                configs[key] = data.get("value") if isinstance(data, dict) else data
    out({"configs": configs})
    out({"done": len(configs)})


def kp_alter_configs(bootstrap, topic, *pairs):
    from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id=CLIENT_ID)
    configs = dict(p.split("=", 1) for p in pairs)
    result = admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs)])
    admin.close()
    out({"done": str(result)})


COMMANDS = {
    "confluent": {"create-topic": confluent_create_topic, "produce": confluent_produce, "read": confluent_read,
                  "member": confluent_member, "describe-configs": confluent_describe_configs,
                  "alter-configs": confluent_alter_configs},
    "kafka-python": {"create-topic": kp_create_topic, "produce": kp_produce, "read": kp_read, "member": kp_member,
                     "describe-configs": kp_describe_configs, "alter-configs": kp_alter_configs},
}


def main(argv):
    if len(argv) < 5 or argv[1] not in COMMANDS or argv[2] not in COMMANDS[argv[1]]:
        print(f"usage: driver.py confluent|kafka-python COMMAND BOOTSTRAP TOPIC ...; got {argv[1:]}", file=sys.stderr)
        return 2
    try:
        COMMANDS[argv[1]][argv[2]](*argv[3:])
    except Exception as error:  # noqa: BLE001 - report any failure with the command that failed
        print(f"driver.py {' '.join(argv[1:4])} failed: {error!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
