// The kafka benchmark's Go anchor: the workload of ci/bench kafka on franz-go (kgo).
//
// -mode produce: -count messages of -size bytes (no key) go to -topic from one idempotent
// producer (franz-go's default) with acks=all, linger and the batch size as the other clients
// use them, and the given compression codec. At most -window messages are unacked at a time:
// kgo.MaxBufferedRecords makes Produce wait while that many are buffered or in flight. Each
// message's latency runs from the Produce call to its promise.
//
// -mode consume: one client consumes every partition of -topic from the start, without a
// group, and reads -count messages.
//
// Prints one JSON line like bench/kafka/librdkafka_bench.c: throughput, the process's own CPU
// seconds in the phase (getrusage: user + sys), for produce p50/p99 send-to-ack latency and how
// many were acked and failed. Exits 1 if any message failed or did not arrive, 2 on bad
// arguments.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"sync"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

func cpuSeconds() float64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(usage.Utime) + tv(usage.Stime)
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []int64, p float64) int64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted)) + 0.999999)
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
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
	return kgo.NoCompression(), fmt.Errorf("unknown codec %q", name)
}

// version is franz-go's module version, from the build information.
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/twmb/franz-go" {
				return dep.Version
			}
		}
	}
	return "unknown"
}

type options struct {
	mode, bootstrap, topic, codec string
	count, size, window, lingerMs int
	batchSize, idleTimeoutS       int
}

func produce(o options) int {
	c, err := codec(o.codec)
	if err != nil {
		fail(err)
	}
	client, err := kgo.NewClient(
		kgo.SeedBrokers(o.bootstrap),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.ProducerBatchCompression(c),
		kgo.ProducerLinger(time.Duration(o.lingerMs)*time.Millisecond),
		kgo.ProducerBatchMaxBytes(int32(o.batchSize)),
		kgo.MaxBufferedRecords(o.window),
		kgo.DefaultProduceTopic(o.topic),
	)
	if err != nil {
		fail(err)
	}
	defer client.Close()

	body := make([]byte, o.size)
	for i := range body {
		body[i] = 'x'
	}
	latencies := make([]int64, 0, o.count)
	var mu sync.Mutex
	var acked, failed int
	var done sync.WaitGroup
	done.Add(o.count)
	ctx := context.Background()

	cpu0 := cpuSeconds()
	t0 := time.Now()
	for i := 0; i < o.count; i++ {
		sent := time.Now()
		// The value is not copied: every record shares the body, which nothing changes.
		client.Produce(ctx, &kgo.Record{Value: body}, func(_ *kgo.Record, err error) {
			elapsed := time.Since(sent).Microseconds()
			mu.Lock()
			if err != nil {
				if failed < 5 {
					fmt.Fprintf(os.Stderr, "franz_bench: delivery failed: %v\n", err)
				}
				failed++
			} else {
				acked++
				latencies = append(latencies, elapsed)
			}
			mu.Unlock()
			done.Done()
		})
	}
	waited := make(chan struct{})
	go func() { done.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(time.Duration(o.idleTimeoutS) * time.Second):
		fmt.Fprintln(os.Stderr, "franz_bench: not every message was acked in time")
	}
	elapsed := time.Since(t0).Seconds()
	cpu := cpuSeconds() - cpu0

	mu.Lock()
	defer mu.Unlock()
	sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
	emit(map[string]any{
		"client": "franz-go", "version": version(), "phase": "produce", "count": o.count,
		"size": o.size, "codec": o.codec, "msgs_per_s": float64(o.count) / elapsed, "cpu_s": cpu,
		"p50_us": percentile(latencies, 50), "p99_us": percentile(latencies, 99),
		"acked": acked, "failed": failed,
	})
	if acked == o.count && failed == 0 {
		return 0
	}
	return 1
}

func consume(o options) int {
	client, err := kgo.NewClient(
		kgo.SeedBrokers(o.bootstrap),
		kgo.ConsumeTopics(o.topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
	)
	if err != nil {
		fail(err)
	}
	defer client.Close()

	received := 0
	idle := time.Duration(o.idleTimeoutS) * time.Second
	cpu0 := cpuSeconds()
	t0 := time.Now()
	for received < o.count {
		ctx, cancel := context.WithTimeout(context.Background(), idle)
		fetches := client.PollFetches(ctx)
		cancel()
		if ctx.Err() != nil && fetches.NumRecords() == 0 {
			fmt.Fprintf(os.Stderr, "franz_bench: no message for %v; %d of %d received\n", idle,
				received, o.count)
			break
		}
		fetches.EachError(func(topic string, partition int32, err error) {
			fmt.Fprintf(os.Stderr, "franz_bench: fetch %s/%d: %v\n", topic, partition, err)
		})
		received += fetches.NumRecords()
	}
	elapsed := time.Since(t0).Seconds()
	cpu := cpuSeconds() - cpu0
	emit(map[string]any{
		"client": "franz-go", "version": version(), "phase": "consume", "count": o.count,
		"msgs_per_s": float64(received) / elapsed, "cpu_s": cpu, "received": received,
	})
	if received >= o.count {
		return 0
	}
	return 1
}

func emit(result map[string]any) {
	line, _ := json.Marshal(result)
	fmt.Println(string(line))
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "franz_bench: %v\n", err)
	os.Exit(2)
}

func main() {
	var o options
	flag.StringVar(&o.mode, "mode", "produce", "produce or consume")
	flag.StringVar(&o.bootstrap, "bootstrap", "127.0.0.1:9092", "a broker's host:port")
	flag.StringVar(&o.topic, "topic", "", "the topic (it must exist)")
	flag.StringVar(&o.codec, "codec", "none", "none, gzip, snappy, lz4 or zstd")
	flag.IntVar(&o.count, "count", 200000, "messages")
	flag.IntVar(&o.size, "size", 100, "bytes per message")
	flag.IntVar(&o.window, "window", 10000, "unacked messages at most")
	flag.IntVar(&o.lingerMs, "linger-ms", 5, "linger before a batch is sent")
	flag.IntVar(&o.batchSize, "batch-size", 1048576, "bytes per batch at most")
	flag.IntVar(&o.idleTimeoutS, "idle-timeout", 60, "seconds to wait for progress")
	flag.Parse()
	if o.topic == "" || (o.mode != "produce" && o.mode != "consume") {
		flag.Usage()
		os.Exit(2)
	}
	if o.mode == "produce" {
		os.Exit(produce(o))
	}
	os.Exit(consume(o))
}
