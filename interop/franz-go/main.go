// franz-go-client: a small franz-go program that interop tests and golden captures drive.
// It is our own code; franz-go comes from the Go module proxy (see go.mod).
//
//	franz-go-client produce -brokers HOST:PORT -topic T [-codec none|gzip|snappy|lz4|zstd] [-n 5]
//	franz-go-client consume -brokers HOST:PORT -topic T -group G [-n 5]
//	franz-go-client txn     -brokers HOST:PORT -topic T -txid ID [-n 5]
//
// and the interop scenarios' driver commands (driver.go), positional:
//
//	franz-go-client create-topic|read BROKERS TOPIC PARTITIONS
//	franz-go-client produce-records   BROKERS TOPIC CODEC   (records on stdin)
//	franz-go-client member            BROKERS TOPIC GROUP   (until stdin says 'leave')
//	franz-go-client describe-configs  BROKERS TOPIC
//	franz-go-client alter-configs     BROKERS TOPIC NAME=VALUE...
//
// Each command exits 0 after doing exactly what it says, or prints what failed and exits 1.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

type options struct {
	brokers string
	topic   string
	group   string
	txid    string
	codec   string
	count   int
	timeout time.Duration
}

func parse(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("franz-go-client", flag.ContinueOnError)
	fs.StringVar(&o.brokers, "brokers", "127.0.0.1:9092", "bootstrap broker host:port")
	fs.StringVar(&o.topic, "topic", "", "topic")
	fs.StringVar(&o.group, "group", "", "consumer group (consume)")
	fs.StringVar(&o.txid, "txid", "", "transactional id (txn)")
	fs.StringVar(&o.codec, "codec", "none", "compression: none, gzip, snappy, lz4, zstd")
	fs.IntVar(&o.count, "n", 5, "records to produce or consume")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.topic == "" {
		return o, fmt.Errorf("-topic is required")
	}
	if o.count < 1 || o.count > 1_000_000 {
		return o, fmt.Errorf("-n must be between 1 and 1000000, got %d", o.count)
	}
	return o, nil
}

func codec(name string) (kgo.CompressionCodec, error) {
	switch name {
	case "none":
		return kgo.NoCompression(), nil
	case "gzip":
		return kgo.GzipCompression(), nil
	case "snappy":
		return kgo.SnappyCompression(), nil
	case "lz4":
		return kgo.Lz4Compression(), nil
	case "zstd":
		return kgo.ZstdCompression(), nil
	}
	return kgo.NoCompression(), fmt.Errorf("unknown codec %q (none, gzip, snappy, lz4, zstd)", name)
}

func records(o options, tag string) []*kgo.Record {
	out := make([]*kgo.Record, 0, o.count)
	for i := 0; i < o.count; i++ {
		out = append(out, &kgo.Record{
			Topic:   o.topic,
			Key:     []byte(fmt.Sprintf("k%d", i)),
			Value:   []byte(fmt.Sprintf("franz-go %s %d", tag, i)),
			Headers: []kgo.RecordHeader{{Key: "h", Value: []byte(fmt.Sprintf("v%d", i))}},
		})
	}
	return out
}

func produce(ctx context.Context, o options) error {
	c, err := codec(o.codec)
	if err != nil {
		return err
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(o.brokers), kgo.ProducerBatchCompression(c),
		kgo.AllowAutoTopicCreation(), kgo.ClientID("sluice-golden-franz-go"))
	if err != nil {
		return err
	}
	defer cl.Close()
	return cl.ProduceSync(ctx, records(o, o.codec)...).FirstErr()
}

func consume(ctx context.Context, o options) error {
	if o.group == "" {
		return fmt.Errorf("consume needs -group")
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(o.brokers), kgo.ConsumerGroup(o.group),
		kgo.ConsumeTopics(o.topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.HeartbeatInterval(200*time.Millisecond), kgo.FetchMaxWait(200*time.Millisecond),
		kgo.ClientID("sluice-golden-franz-go"))
	if err != nil {
		return err
	}
	defer cl.Close()
	seen := 0
	for seen < o.count {
		fetches := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("consumed %d of %d records: %w", seen, o.count, err)
		}
		var ferr error
		fetches.EachError(func(t string, p int32, e error) { ferr = fmt.Errorf("fetch %s[%d]: %w", t, p, e) })
		if ferr != nil {
			return ferr
		}
		seen += fetches.NumRecords()
	}
	// Stay for a few heartbeats, then commit and leave the group.
	time.Sleep(600 * time.Millisecond)
	if err := cl.CommitUncommittedOffsets(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	fmt.Printf("consumed %d records\n", seen)
	return nil
}

func txn(ctx context.Context, o options) error {
	if o.txid == "" {
		return fmt.Errorf("txn needs -txid")
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(o.brokers), kgo.TransactionalID(o.txid),
		kgo.AllowAutoTopicCreation(), kgo.ClientID("sluice-golden-franz-go"))
	if err != nil {
		return err
	}
	defer cl.Close()
	for _, end := range []kgo.TransactionEndTry{kgo.TryCommit, kgo.TryAbort} {
		if err := cl.BeginTransaction(); err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		if err := cl.ProduceSync(ctx, records(o, "txn")...).FirstErr(); err != nil {
			return fmt.Errorf("produce in transaction: %w", err)
		}
		if err := cl.EndTransaction(ctx, end); err != nil {
			return fmt.Errorf("end transaction (commit=%v): %w", end, err)
		}
	}
	return nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: franz-go-client produce|consume|txn [flags]")
		os.Exit(2)
	}
	// Driver commands run until done or told to leave; the hang guard is the test's deadline.
	driverCtx, stop := context.WithTimeout(context.Background(), 10*time.Minute)
	defer stop()
	if handled, err := runDriver(driverCtx, os.Args[1:]); handled {
		if err != nil {
			fmt.Fprintf(os.Stderr, "franz-go-client %s: %v\n", strings.Join(os.Args[1:4], " "), err)
			os.Exit(1)
		}
		return
	}
	o, err := parse(os.Args[2:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "franz-go-client:", err)
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	commands := map[string]func(context.Context, options) error{"produce": produce, "consume": consume, "txn": txn}
	run, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "franz-go-client: unknown command %q (produce, consume, txn)\n", os.Args[1])
		os.Exit(2)
	}
	if err := run(ctx, o); err != nil {
		fmt.Fprintf(os.Stderr, "franz-go-client %s on %s: %v\n", os.Args[1], o.topic, err)
		os.Exit(1)
	}
}
