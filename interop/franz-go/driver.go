// The interop scenarios' operations on franz-go (see interop/drivers/franz-go.ts). Output is JSON
// lines: {"record":[partition,offset,ts,key,value,[[name,value],...]]} (base64 bytes),
// {"assigned":[...]}, {"took":[[partition,offset],...]}, {"configs":{...}}, and {"done":...} last.
// Admin requests go through kmsg, franz-go's own protocol package.
package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

var outMu sync.Mutex

func out(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	outMu.Lock()
	defer outMu.Unlock()
	os.Stdout.Write(append(b, '\n'))
}

func newClient(brokers string, opts ...kgo.Opt) (*kgo.Client, error) {
	base := []kgo.Opt{kgo.SeedBrokers(brokers), kgo.ClientID("sluice-interop-franz-go")}
	return kgo.NewClient(append(base, opts...)...)
}

func driverCreateTopic(ctx context.Context, brokers, topic string, partitions int) error {
	cl, err := newClient(brokers)
	if err != nil {
		return err
	}
	defer cl.Close()
	req := kmsg.NewPtrCreateTopicsRequest()
	req.TimeoutMillis = 30_000
	t := kmsg.NewCreateTopicsRequestTopic()
	t.Topic, t.NumPartitions, t.ReplicationFactor = topic, int32(partitions), 1
	req.Topics = append(req.Topics, t)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return err
	}
	for _, t := range resp.Topics {
		if err := kerr.ErrorForCode(t.ErrorCode); err != nil {
			return fmt.Errorf("create topic %s: %w", t.Topic, err)
		}
	}
	out(map[string]string{"done": "created"})
	return nil
}

func specRecord(topic, line string) (*kgo.Record, error) {
	f := strings.Split(line, "\t")
	if len(f) != 5 {
		return nil, fmt.Errorf("record line has %d fields, want 5", len(f))
	}
	dec := base64.StdEncoding.DecodeString
	p, err := strconv.Atoi(f[0])
	if err != nil {
		return nil, err
	}
	r := &kgo.Record{Topic: topic, Partition: int32(p)}
	if f[1] != "" {
		ms, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return nil, err
		}
		r.Timestamp = time.UnixMilli(ms)
	}
	if r.Key, err = dec(f[2]); err != nil {
		return nil, err
	}
	if r.Value, err = dec(f[3]); err != nil {
		return nil, err
	}
	for _, h := range strings.Split(f[4], ",") {
		if h == "" {
			continue
		}
		kv := strings.SplitN(h, ":", 2)
		k, err := dec(kv[0])
		if err != nil {
			return nil, err
		}
		v, err := dec(kv[1])
		if err != nil {
			return nil, err
		}
		r.Headers = append(r.Headers, kgo.RecordHeader{Key: string(k), Value: v})
	}
	return r, nil
}

func driverProduce(ctx context.Context, brokers, topic, codecName string) error {
	c, err := codec(codecName)
	if err != nil {
		return err
	}
	cl, err := newClient(brokers, kgo.ProducerBatchCompression(c), kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProducerLinger(5*time.Millisecond), kgo.MaxProduceRequestsInflightPerBroker(1))
	if err != nil {
		return err
	}
	defer cl.Close()
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	count := 0
	for in.Scan() {
		if in.Text() == "" {
			continue
		}
		r, err := specRecord(topic, in.Text())
		if err != nil {
			return err
		}
		wg.Add(1)
		count++
		cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
			defer wg.Done()
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return fmt.Errorf("produce: %w", firstErr)
	}
	out(map[string]int{"done": count})
	return in.Err()
}

func endOffsets(ctx context.Context, cl *kgo.Client, topic string, partitions int) (map[int32]int64, error) {
	req := kmsg.NewPtrListOffsetsRequest()
	t := kmsg.NewListOffsetsRequestTopic()
	t.Topic = topic
	for p := 0; p < partitions; p++ {
		rp := kmsg.NewListOffsetsRequestTopicPartition()
		rp.Partition, rp.Timestamp = int32(p), -1
		t.Partitions = append(t.Partitions, rp)
	}
	req.Topics = append(req.Topics, t)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return nil, err
	}
	ends := map[int32]int64{}
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
				return nil, fmt.Errorf("list offsets %s[%d]: %w", t.Topic, p.Partition, err)
			}
			ends[p.Partition] = p.Offset
		}
	}
	return ends, nil
}

func recordLine(r *kgo.Record) []any {
	enc := base64.StdEncoding.EncodeToString
	headers := [][]string{}
	for _, h := range r.Headers {
		headers = append(headers, []string{enc([]byte(h.Key)), enc(h.Value)})
	}
	var key, value any
	if r.Key != nil {
		key = enc(r.Key)
	}
	if r.Value != nil {
		value = enc(r.Value)
	}
	return []any{r.Partition, r.Offset, r.Timestamp.UnixMilli(), key, value, headers}
}

func driverRead(ctx context.Context, brokers, topic string, partitions int) error {
	offsets := map[int32]kgo.Offset{}
	for p := 0; p < partitions; p++ {
		offsets[int32(p)] = kgo.NewOffset().At(0)
	}
	cl, err := newClient(brokers, kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: offsets}),
		kgo.FetchMaxWait(100*time.Millisecond))
	if err != nil {
		return err
	}
	defer cl.Close()
	ends, err := endOffsets(ctx, cl, topic, partitions)
	if err != nil {
		return err
	}
	next := map[int32]int64{}
	done := func() bool {
		for p, end := range ends {
			if next[p] < end {
				return false
			}
		}
		return true
	}
	count := 0
	for !done() {
		fetches := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("read stalled at %v, log end offsets %v: %w", next, ends, err)
		}
		var ferr error
		fetches.EachError(func(t string, p int32, e error) { ferr = fmt.Errorf("fetch %s[%d]: %w", t, p, e) })
		if ferr != nil {
			return ferr
		}
		fetches.EachRecord(func(r *kgo.Record) {
			out(map[string]any{"record": recordLine(r)})
			next[r.Partition] = r.Offset + 1
			count++
		})
	}
	out(map[string]int{"done": count})
	return nil
}

func driverMember(ctx context.Context, brokers, topic, group string) error {
	var mu sync.Mutex
	assigned := map[int32]bool{}
	show := func() {
		list := []int{}
		for p := range assigned {
			list = append(list, int(p))
		}
		sort.Ints(list)
		out(map[string][]int{"assigned": list})
	}
	onAssigned := func(_ context.Context, _ *kgo.Client, m map[string][]int32) {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range m[topic] {
			assigned[p] = true
		}
		show()
	}
	onRevoked := func(_ context.Context, cl *kgo.Client, m map[string][]int32) {
		// Commit what was consumed before the partitions go to another member.
		if err := cl.CommitUncommittedOffsets(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, "commit on revoke failed:", err)
		}
		mu.Lock()
		defer mu.Unlock()
		for _, p := range m[topic] {
			delete(assigned, p)
		}
		show()
	}
	cl, err := newClient(brokers, kgo.ConsumerGroup(group), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit(),
		kgo.HeartbeatInterval(300*time.Millisecond), kgo.FetchMaxWait(100*time.Millisecond),
		kgo.OnPartitionsAssigned(onAssigned), kgo.OnPartitionsRevoked(onRevoked), kgo.OnPartitionsLost(onRevoked))
	if err != nil {
		return err
	}
	leave := make(chan struct{})
	go func() {
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() && strings.TrimSpace(in.Text()) != "leave" {
		}
		close(leave)
	}()
	for {
		select {
		case <-leave:
			if err := cl.CommitUncommittedOffsets(ctx); err != nil {
				fmt.Fprintln(os.Stderr, "final commit failed:", err)
			}
			cl.Close() // leaves the group
			out(map[string]string{"done": "left"})
			return nil
		default:
		}
		pollCtx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		fetches := cl.PollFetches(pollCtx)
		cancel()
		if err := ctx.Err(); err != nil {
			return err
		}
		var ferr error
		fetches.EachError(func(t string, p int32, e error) {
			if e != context.DeadlineExceeded {
				ferr = fmt.Errorf("fetch %s[%d]: %w", t, p, e)
			}
		})
		if ferr != nil {
			return ferr
		}
		took := [][]int64{}
		fetches.EachRecord(func(r *kgo.Record) { took = append(took, []int64{int64(r.Partition), r.Offset}) })
		if len(took) == 0 {
			continue
		}
		if err := cl.CommitUncommittedOffsets(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "commit failed:", err) // racing a rebalance; the next one covers it
		}
		out(map[string][][]int64{"took": took})
	}
}

func driverDescribeConfigs(ctx context.Context, brokers, topic string) error {
	cl, err := newClient(brokers)
	if err != nil {
		return err
	}
	defer cl.Close()
	req := kmsg.NewPtrDescribeConfigsRequest()
	r := kmsg.NewDescribeConfigsRequestResource()
	r.ResourceType, r.ResourceName = kmsg.ConfigResourceTypeTopic, topic
	req.Resources = append(req.Resources, r)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return err
	}
	configs := map[string]*string{}
	for _, res := range resp.Resources {
		if err := kerr.ErrorForCode(res.ErrorCode); err != nil {
			return fmt.Errorf("describe configs of %s: %w", res.ResourceName, err)
		}
		for _, c := range res.Configs {
			configs[c.Name] = c.Value
		}
	}
	out(map[string]any{"configs": configs})
	out(map[string]int{"done": len(configs)})
	return nil
}

func driverAlterConfigs(ctx context.Context, brokers, topic string, pairs []string) error {
	cl, err := newClient(brokers)
	if err != nil {
		return err
	}
	defer cl.Close()
	req := kmsg.NewPtrIncrementalAlterConfigsRequest()
	r := kmsg.NewIncrementalAlterConfigsRequestResource()
	r.ResourceType, r.ResourceName = kmsg.ConfigResourceTypeTopic, topic
	for _, pair := range pairs {
		kv := strings.SplitN(pair, "=", 2)
		if len(kv) != 2 {
			return fmt.Errorf("config %q is not NAME=VALUE", pair)
		}
		c := kmsg.NewIncrementalAlterConfigsRequestResourceConfig()
		value := kv[1]
		c.Name, c.Op, c.Value = kv[0], kmsg.IncrementalAlterConfigOpSet, &value
		r.Configs = append(r.Configs, c)
	}
	req.Resources = append(req.Resources, r)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return err
	}
	for _, res := range resp.Resources {
		if err := kerr.ErrorForCode(res.ErrorCode); err != nil {
			return fmt.Errorf("alter configs of %s: %w", res.ResourceName, err)
		}
	}
	out(map[string]string{"done": "altered"})
	return nil
}

// runDriver runs a driver command: COMMAND BROKERS TOPIC [ARG...]; ok is false for unknown commands.
func runDriver(ctx context.Context, args []string) (handled bool, err error) {
	if len(args) < 3 {
		return false, nil
	}
	command, brokers, topic, rest := args[0], args[1], args[2], args[3:]
	need := func(n int) error {
		if len(rest) < n {
			return fmt.Errorf("%s needs %d more arguments, got %v", command, n, rest)
		}
		return nil
	}
	switch command {
	case "create-topic", "read":
		if err := need(1); err != nil {
			return true, err
		}
		n, err := strconv.Atoi(rest[0])
		if err != nil {
			return true, err
		}
		if command == "read" {
			return true, driverRead(ctx, brokers, topic, n)
		}
		return true, driverCreateTopic(ctx, brokers, topic, n)
	case "produce-records":
		if err := need(1); err != nil {
			return true, err
		}
		return true, driverProduce(ctx, brokers, topic, rest[0])
	case "member":
		if err := need(1); err != nil {
			return true, err
		}
		return true, driverMember(ctx, brokers, topic, rest[0])
	case "describe-configs":
		return true, driverDescribeConfigs(ctx, brokers, topic)
	case "alter-configs":
		return true, driverAlterConfigs(ctx, brokers, topic, rest)
	}
	return false, nil
}
