"""librdkafka's transactional producer and read_committed consumer (confluent-kafka-python),
driven by src/txn/librdkafka-transactions.test.ts. Prints one JSON object on stdout."""
import json
import sys

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition


def producer(bootstrap, txn_id):
    return Producer({"bootstrap.servers": bootstrap, "transactional.id": txn_id, "linger.ms": 5})


def send(p, topic, values):
    for i, v in enumerate(values):
        p.produce(topic, key=f"k{i}", value=v)
    p.flush(10)


def abort_then_commit(bootstrap, topic):
    p = producer(bootstrap, "rd-writer")
    p.init_transactions(10)
    p.begin_transaction()
    send(p, topic, [f"aborted-{i}" for i in range(5)])
    p.abort_transaction(10)
    p.begin_transaction()
    send(p, topic, [f"committed-{i}" for i in range(5)])
    p.commit_transaction(10)
    return {"ok": True}


def fence(bootstrap, topic):
    first = producer(bootstrap, "rd-fenced")
    first.init_transactions(10)
    first.begin_transaction()
    send(first, topic, ["zombie"])
    second = producer(bootstrap, "rd-fenced")
    second.init_transactions(30)
    result = {"fenced": False, "error": None}
    try:
        first.commit_transaction(10)
    except KafkaException as e:
        err = e.args[0]
        result = {"fenced": err.fatal() or "fenced" in err.str().lower(), "error": err.str()}
    second.begin_transaction()
    send(second, topic, ["successor"])
    second.commit_transaction(10)
    return result


def consume(bootstrap, topic, isolation, partitions):
    c = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "rd-reader",
        "isolation.level": isolation,
        "enable.auto.commit": False,
        "enable.partition.eof": True,
    })
    c.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    values, eof = [], set()
    while len(eof) < partitions:
        m = c.poll(10)
        if m is None:
            break
        if m.error():
            if m.error().code() == -191:  # _PARTITION_EOF
                eof.add(m.partition())
                continue
            raise KafkaException(m.error())
        values.append(m.value().decode())
    c.close()
    return {"values": sorted(values)}


if __name__ == "__main__":
    mode, bootstrap, topic = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "abort-then-commit":
        out = abort_then_commit(bootstrap, topic)
    elif mode == "fence":
        out = fence(bootstrap, topic)
    else:
        out = consume(bootstrap, topic, mode, int(sys.argv[4]))
    print(json.dumps(out))
