"""A small program on confluent-kafka or kafka-python that interop tests and captures drive.

    python client.py LIB produce BOOTSTRAP TOPIC CODEC COUNT
    python client.py LIB consume BOOTSTRAP TOPIC GROUP COUNT
    python client.py confluent txn BOOTSTRAP TOPIC TXID COUNT

LIB is `confluent` (confluent-kafka, librdkafka inside) or `kafka-python`. CODEC is none, gzip,
snappy, lz4 or zstd (kafka-python needs the codec's Python package for all but gzip). Exits 0
after doing exactly that, or prints what failed and exits 1. Installed by interop/install/python.sh.
"""

import sys
import time

TIMEOUT_S = 30.0
COUNT_MAX = 1_000_000
CLIENT_ID = "sluice-golden-python"


def records(tag, count):
    return [(f"k{i}".encode(), f"python {tag} {i}".encode(), [("h", f"v{i}".encode())]) for i in range(count)]


def confluent_produce(bootstrap, topic, codec, count):
    from confluent_kafka import Producer

    producer = Producer({"bootstrap.servers": bootstrap, "client.id": CLIENT_ID, "compression.type": codec,
                         "linger.ms": 5, "acks": "all"})
    errors = []
    for key, value, headers in records(codec, count):
        producer.produce(topic, value=value, key=key, headers=headers, partition=0,
                         on_delivery=lambda err, _msg: errors.append(err) if err else None)
    left = producer.flush(TIMEOUT_S)
    if left or errors:
        raise RuntimeError(f"{left} records unsent, delivery errors {errors}")


def confluent_consume(bootstrap, topic, group, count):
    from confluent_kafka import Consumer

    consumer = Consumer({"bootstrap.servers": bootstrap, "client.id": CLIENT_ID, "group.id": group,
                         "auto.offset.reset": "earliest", "enable.auto.commit": False,
                         "heartbeat.interval.ms": 200, "fetch.wait.max.ms": 200})
    consumer.subscribe([topic])
    seen, deadline = 0, time.monotonic() + TIMEOUT_S
    while seen < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"consumed {seen} of {count} records in {TIMEOUT_S} s")
        msg = consumer.poll(0.2)
        if msg is None:
            continue
        if msg.error():
            raise RuntimeError(f"consume error {msg.error()}")
        seen += 1
    time.sleep(0.6)  # a few heartbeats
    consumer.commit(asynchronous=False)
    consumer.committed(consumer.assignment(), timeout=TIMEOUT_S)
    consumer.close()
    print(f"consumed {seen} records")


def confluent_txn(bootstrap, topic, txid, count):
    from confluent_kafka import Producer

    producer = Producer({"bootstrap.servers": bootstrap, "client.id": CLIENT_ID, "transactional.id": txid})
    producer.init_transactions(TIMEOUT_S)
    for commit in (True, False):
        producer.begin_transaction()
        for key, value, headers in records("txn", count):
            producer.produce(topic, value=value, key=key, headers=headers, partition=0)
        producer.flush(TIMEOUT_S)
        if commit:
            producer.commit_transaction(TIMEOUT_S)
        else:
            producer.abort_transaction(TIMEOUT_S)


def kafka_python_produce(bootstrap, topic, codec, count):
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap, client_id=CLIENT_ID, acks="all", linger_ms=5,
                             compression_type=None if codec == "none" else codec)
    futures = [producer.send(topic, value=value, key=key, headers=headers, partition=0)
               for key, value, headers in records(codec, count)]
    for future in futures:
        future.get(timeout=TIMEOUT_S)
    producer.close(timeout=TIMEOUT_S)


def kafka_python_consume(bootstrap, topic, group, count):
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, client_id=CLIENT_ID, group_id=group,
                             auto_offset_reset="earliest", enable_auto_commit=False,
                             heartbeat_interval_ms=200, fetch_max_wait_ms=200)
    seen, deadline = 0, time.monotonic() + TIMEOUT_S
    while seen < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"consumed {seen} of {count} records in {TIMEOUT_S} s")
        for batch in consumer.poll(timeout_ms=200).values():
            seen += len(batch)
    time.sleep(0.6)
    consumer.commit()
    consumer.close()
    print(f"consumed {seen} records")


COMMANDS = {
    ("confluent", "produce"): confluent_produce,
    ("confluent", "consume"): confluent_consume,
    ("confluent", "txn"): confluent_txn,
    ("kafka-python", "produce"): kafka_python_produce,
    ("kafka-python", "consume"): kafka_python_consume,
}


def main(argv):
    if len(argv) != 7 or (argv[1], argv[2]) not in COMMANDS:
        known = ", ".join(f"{lib} {cmd}" for lib, cmd in COMMANDS)
        print(f"usage: client.py LIB COMMAND BOOTSTRAP TOPIC ARG COUNT ({known}); got {argv[1:]}", file=sys.stderr)
        return 2
    count = int(argv[6])
    if not 1 <= count <= COUNT_MAX:
        print(f"COUNT must be 1..{COUNT_MAX}, got {count}", file=sys.stderr)
        return 2
    try:
        COMMANDS[(argv[1], argv[2])](argv[3], argv[4], argv[5], count)
    except Exception as error:  # noqa: BLE001 - report any failure with the command that failed
        print(f"client.py {' '.join(argv[1:])} failed: {error!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
