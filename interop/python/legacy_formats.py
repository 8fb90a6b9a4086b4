"""kafka-python pinned to an old protocol (legacy message formats): produce, then read back.

    python legacy_formats.py BOOTSTRAP TOPIC API_VERSION CODEC COUNT

API_VERSION is dotted (0.9, 0.10.0): 0.9 makes kafka-python use Produce v1 / Fetch v1 (magic 0),
0.10.0 Produce v2 / Fetch v2 (magic 1). Sends COUNT records to partition 0 (key k<i> for even i,
none for odd; value v<i>, none when i % 4 == 2 (keyed, as a tombstone must be); timestamp 1700000000000 + i), flushes, then reads
partition 0 from the beginning without a group and prints one JSON line per record:
{"record": [offset, timestamp, key, value]} (text, or null), then {"requests": [...]} (the
Produce and Fetch versions kafka-python sent, from its debug log) and {"done": COUNT}. Exits 1
with what failed.
"""

import json
import logging
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

TIMEOUT_MS = 30_000
BASE_TS = 1_700_000_000_000


class RequestNames(logging.Handler):
    """Collects the Produce and Fetch request versions kafka.conn logs as it sends them."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.names = set()

    def emit(self, record):
        for arg in record.args or ():
            name = type(arg).__name__
            if name in ("ProduceRequest", "FetchRequest"):
                self.names.add(f"{name}_v{arg.API_VERSION}")


def main():
    bootstrap, topic, api_text, codec, count_text = sys.argv[1:6]
    api_version = tuple(int(x) for x in api_text.split("."))
    count = int(count_text)
    names = RequestNames()
    conn_log = logging.getLogger("kafka.protocol.parser")
    conn_log.setLevel(logging.DEBUG)
    conn_log.addHandler(names)
    producer = KafkaProducer(
        bootstrap_servers=bootstrap,
        api_version=api_version,
        compression_type=None if codec == "none" else codec,
        linger_ms=50,
        request_timeout_ms=TIMEOUT_MS,
    )
    futures = []
    for i in range(count):
        key = f"k{i}".encode() if i % 2 == 0 else None
        value = None if i % 4 == 2 else f"v{i}".encode()
        futures.append(producer.send(topic, key=key, value=value, partition=0, timestamp_ms=BASE_TS + i))
    producer.flush(TIMEOUT_MS / 1000)
    offsets = [f.get(timeout=TIMEOUT_MS / 1000).offset for f in futures]
    producer.close()
    sys.stderr.write(f"produced at offsets {offsets[0]}..{offsets[-1]}\n")

    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        api_version=api_version,
        group_id=None,
        enable_auto_commit=False,
        consumer_timeout_ms=TIMEOUT_MS,
    )
    tp = TopicPartition(topic, 0)
    consumer.assign([tp])
    consumer.seek(tp, offsets[0])
    seen = 0
    for message in consumer:
        text = lambda b: None if b is None else b.decode()
        print(json.dumps({"record": [message.offset, message.timestamp, text(message.key), text(message.value)]}))
        seen += 1
        if seen == count:
            break
    consumer.close()
    print(json.dumps({"requests": sorted(names.names)}))
    print(json.dumps({"done": seen}))
    if seen != count:
        sys.stderr.write(f"read {seen} of {count} records before {TIMEOUT_MS} ms of silence\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
