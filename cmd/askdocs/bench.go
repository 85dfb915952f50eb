package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/askdocs/askdocs/internal/synth"
	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/retrieval/corpus"
)

// benchPerFile is how many synthetic paragraphs go in one file.
const benchPerFile = 1000

// benchDefaultPassages is the synthetic corpus size when neither
// --passages nor --docs is given.
const benchDefaultPassages = 10000

// benchQuestions is the built-in query set: realistic questions about the
// seeds' topics, half typed with diacritics and half without, two out of
// scope, and (last) a few that name a rare token of the synthetic corpus.
var benchQuestions = []string{
	"hợp tác quốc phòng an ninh",
	"Viêng Chăn",
	"Thương mại song phương Việt - Lào quý I năm 2024 đạt bao nhiêu?",
	"Việt Nam có bao nhiêu dự án đầu tư tại Lào?",
	"tổng vốn đăng ký đầu tư của Việt Nam tại Lào",
	"Thủ tướng Phạm Minh Chính gặp Thủ tướng Lào ở đâu?",
	"Diễn đàn Tương lai ASEAN",
	"đường sắt Viêng Chăn – Vũng Áng",
	"năm mới Bun Pi May",
	"kỳ họp lần thứ 48 Ủy ban liên Chính phủ",
	"Đại học Lào - Việt",
	"phòng chống tội phạm ma túy xuyên quốc gia",
	"hồi hương hài cốt liệt sỹ quân tình nguyện",
	"Việt - Lào thiết lập quan hệ ngoại giao năm nào?",
	"Tổng Bí thư Tô Lâm hội kiến Thủ tướng Lào",
	"dự án khai thác muối mỏ kali",
	"hợp tác giáo dục đào tạo và phát triển nguồn nhân lực",
	"kết nối ba nền kinh tế Việt Nam – Lào – Campuchia",
	"vai trò Chủ tịch ASEAN năm 2024",
	"giá lúa gạo hôm nay là bao nhiêu?",
	"thuong mai viet lao quy 1 2024",
	"hoc bong cho sinh vien lao",
	"hop tac quoc phong an ninh",
	"duong cao toc vieng chan ha noi",
	"bao nhieu du an dau tu cua viet nam tai lao",
	"thu tuong lao sonexay siphandone",
	"dien dan tuong lai asean",
	"nam moi bun pi may",
	"ky hop lan thu 48 uy ban lien chinh phu",
	"dai hoc lao viet",
	"chong toi pham ma tuy",
	"quan he ngoai giao viet lao thiet lap nam nao",
	"tong bi thu to lam",
	"ket noi ha tang giao thong nang luong",
	"muoi mo kali",
	"gan ket chien luoc",
	"ky niem 65 nam quan he ngoai giao",
	"thoi tiet ha noi ngay mai",
	synth.RareToken(0) + " là ai?",
	"thông tin về " + synth.RareToken(1),
	strings.ToLower(synth.RareToken(2)),
}

// benchResult is the --json contract of askdocs bench: keep these names.
type benchResult struct {
	Passages    int     `json:"passages"`
	CorpusMB    float64 `json:"corpus_mb"`
	BuildS      float64 `json:"build_s"`
	BuildMBs    float64 `json:"build_mb_s"`
	WarmStartMS float64 `json:"warm_start_ms"`
	P50us       float64 `json:"p50_us"`
	P99us       float64 `json:"p99_us"`
	MaxUs       float64 `json:"max_us"`
	RSSMB       float64 `json:"rss_mb"`
	IndexMB     float64 `json:"index_mb"`

	BuildCPUS  float64  `json:"build_cpu_s"` // CPU time of the build, all threads (-1 if unknown)
	LoadAvg    float64  `json:"loadavg"`     // 1-minute load average at the start: noise (-1 if unknown)
	HeapMB     float64  `json:"heap_mb"`     // peak heap in use
	RSSEndMB   float64  `json:"rss_end_mb"`  // resident at the end, warm-started and queried
	Documents  int      `json:"documents"`
	Queries    int      `json:"queries"`
	Runs       int      `json:"runs"`
	Answered   int      `json:"answered"` // queries answered (not abstained)
	Slowest    []slowQ  `json:"slowest"`  // the questions with the highest median latency
	Source     string   `json:"source"`
	GOMAXPROCS int      `json:"gomaxprocs"`
	Notes      []string `json:"notes,omitempty"`
}

// slowQ is one question's median latency.
type slowQ struct {
	Question string  `json:"q"`
	P50us    float64 `json:"p50_us"`
}

// benchSlowest is how many of the slowest questions the result names.
const benchSlowest = 3

// cmdBench measures the engine on a synthetic or real corpus: build
// time and throughput, warm start, query latency, memory and index size.
func cmdBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := newFlags("bench")
	passages := flags.Int("passages", benchDefaultPassages, "synthetic corpus size, in paragraphs")
	seed := flags.Uint64("seed", 1, "synthetic corpus seed")
	docs := flags.String("docs", "", "documents folder to measure instead of a synthetic corpus")
	queries := flags.String("queries", "", "file of questions, one a line (default: a built-in set)")
	runs := flags.Int("runs", 20, "times each question is run after the warm-up pass")
	indexDir := flags.String("index", "", "keep the index in this folder (default: a temporary one)")
	batch := flags.Int("batch", 0, "passages per bleve batch (default: the engine's)")
	cpuProfile := flags.String("cpuprofile", "", "write a CPU profile of the build, warm start and queries to this file")
	asJSON := flags.Bool("json", false, "print one JSON object")
	pos, err := parseFlags(flags, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("bench: unexpected argument %q", pos[0])}
	}
	set := map[string]bool{}
	flags.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case set["passages"] && *docs != "":
		return usageError{"bench: give --passages or --docs, not both"}
	case *docs == "" && *passages < 1:
		return usageError{fmt.Sprintf("bench: --passages %d: want at least 1", *passages)}
	case *batch < 0:
		return usageError{fmt.Sprintf("bench: --batch %d: want at least 1", *batch)}
	case *runs < 1:
		return usageError{fmt.Sprintf("bench: --runs %d: want at least 1", *runs)}
	}
	log, err := newLogger(getenv, stderr, slog.LevelWarn)
	if err != nil {
		return err
	}
	questions := benchQuestions
	if *queries != "" {
		if questions, err = readQuestions(*queries); err != nil {
			return err
		}
	}
	progress := func(format string, a ...any) {
		if !*asJSON {
			fmt.Fprintf(stderr, "bench: "+format+"\n", a...)
		}
	}

	tmp, err := os.MkdirTemp("", "askdocs-bench-")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)

	res := benchResult{Queries: len(questions), Runs: *runs, GOMAXPROCS: runtime.GOMAXPROCS(0)}
	corpusDir := *docs
	if corpusDir == "" {
		corpusDir = filepath.Join(tmp, "corpus")
		progress("generating %d synthetic passages (seed %d)", *passages, *seed)
		if _, err := synth.WriteCorpus(corpusDir, *seed, *passages, benchPerFile); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		res.Source = fmt.Sprintf("synthetic (seed %d)", *seed)
	} else {
		if st, err := os.Stat(corpusDir); err != nil {
			return fmt.Errorf("bench: docs folder %s: %w", corpusDir, unwrapPath(err))
		} else if !st.IsDir() {
			return fmt.Errorf("bench: docs folder %s: not a folder", corpusDir)
		}
		res.Source = corpusDir
	}
	corpusBytes, err := documentBytes(corpusDir)
	if err != nil {
		return fmt.Errorf("bench: measure corpus: %w", err)
	}
	res.CorpusMB = round(float64(corpusBytes)/(1<<20), 3)
	fsys := os.DirFS(corpusDir)

	dir := *indexDir
	if dir == "" {
		dir = filepath.Join(tmp, "index")
	} else if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		res.Notes = append(res.Notes, "--index folder was not empty: the first open may update rather than build")
	}

	opts := retrieval.Options{BatchSize: *batch}
	heap := startHeapSampler(10 * time.Millisecond)
	defer heap.stop()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("bench: cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("bench: cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}

	// Cold: build the index from the documents.
	progress("building the index of %.1f MB in %s", res.CorpusMB, dir)
	runtime.GC()
	res.LoadAvg = loadAvg()
	cpu0 := procCPU()
	start := time.Now()
	ix, rep, err := retrieval.Open(ctx, fsys, dir, opts)
	build := time.Since(start)
	res.BuildCPUS = -1
	if cpu1 := procCPU(); cpu0 >= 0 && cpu1 >= 0 {
		res.BuildCPUS = round((cpu1 - cpu0).Seconds(), 2)
	}
	if rep != nil {
		for _, w := range rep.Skipped {
			log.Warn("skipped document", "file", w.Source, "reason", w.Reason)
		}
	}
	if err != nil {
		return fmt.Errorf("bench: build index: %w", err)
	}
	if rep.Rebuilt == "" {
		res.Notes = append(res.Notes, "first open reused a stored index: build_s is an update")
	}
	res.BuildS = round(build.Seconds(), 3)
	if s := build.Seconds(); s > 0 {
		res.BuildMBs = round(float64(corpusBytes)/(1<<20)/s, 3)
	}
	if err := ix.Close(); err != nil {
		return fmt.Errorf("bench: close index: %w", err)
	}
	ix = nil
	runtime.GC()

	// Warm: open the stored index again, as a restarted bot would.
	progress("warm start")
	start = time.Now()
	ix, rep, err = retrieval.Open(ctx, fsys, dir, opts)
	warm := time.Since(start)
	if err != nil {
		return fmt.Errorf("bench: reopen index: %w", err)
	}
	defer ix.Close()
	res.WarmStartMS = round(float64(warm.Microseconds())/1000, 3)
	if rep.Rebuilt != "" || rep.Added+rep.Changed+rep.Removed > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("warm start was not clean: rebuilt %q, %d added, %d changed, %d removed",
			rep.Rebuilt, rep.Added, rep.Changed, rep.Removed))
	}
	st := ix.Stats()
	res.Passages, res.Documents = st.Passages, st.Documents

	// Queries: one warm-up pass, then every question --runs times,
	// interleaved so that no question runs hot from the one before.
	progress("querying: %d questions × %d runs", len(questions), *runs)
	for _, q := range questions {
		a, err := ix.Search(ctx, q, 3)
		if err != nil {
			return fmt.Errorf("bench: search %q: %w", q, err)
		}
		if a.Answered {
			res.Answered++
		}
	}
	runtime.GC()
	lat := make([]time.Duration, 0, len(questions)**runs)
	perQ := make([][]time.Duration, len(questions))
	for range *runs {
		for i, q := range questions {
			start := time.Now()
			_, err := ix.Search(ctx, q, 3)
			d := time.Since(start)
			lat = append(lat, d)
			perQ[i] = append(perQ[i], d)
			if err != nil {
				return fmt.Errorf("bench: search %q: %w", q, err)
			}
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	slices.Sort(lat)
	res.P50us = micros(percentile(lat, 0.50))
	res.P99us = micros(percentile(lat, 0.99))
	res.MaxUs = micros(lat[len(lat)-1])
	res.Slowest = slowest(questions, perQ, benchSlowest)

	res.HeapMB = round(float64(heap.stop())/(1<<20), 1)
	if hwm, rss, err := procMemory(); err == nil {
		res.RSSMB, res.RSSEndMB = round(float64(hwm)/(1<<20), 1), round(float64(rss)/(1<<20), 1)
	} else {
		res.RSSMB, res.RSSEndMB = -1, -1
		res.Notes = append(res.Notes, "rss unavailable: "+err.Error())
	}
	indexBytes, err := dirBytes(dir)
	if err != nil {
		return fmt.Errorf("bench: measure index: %w", err)
	}
	res.IndexMB = round(float64(indexBytes)/(1<<20), 3)

	if *asJSON {
		b, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		_, err = fmt.Fprintf(stdout, "%s\n", b)
		return err
	}
	return writeBench(stdout, res)
}

// readQuestions reads a question file: one question a line; blank lines
// and lines starting with '#' are skipped.
func readQuestions(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bench: queries: %w", err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		q := strings.TrimSpace(sc.Text())
		if q == "" || strings.HasPrefix(q, "#") {
			continue
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("bench: queries %s: %w", path, err)
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("bench: queries %s: no question in the file", path)
	}
	return qs, nil
}

// writeBench prints res as a small aligned table.
func writeBench(w io.Writer, r benchResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "corpus\t%d passages, %d documents, %.1f MB\t%s\n", r.Passages, r.Documents, r.CorpusMB, r.Source)
	fmt.Fprintf(tw, "build\t%.2f s\t%.2f MB/s, %.1f s CPU (load average %.1f)\n", r.BuildS, r.BuildMBs, r.BuildCPUS, r.LoadAvg)
	fmt.Fprintf(tw, "warm start\t%.1f ms\t\n", r.WarmStartMS)
	fmt.Fprintf(tw, "query p50\t%.0f µs\t%d questions × %d runs, %d answered\n", r.P50us, r.Queries, r.Runs, r.Answered)
	fmt.Fprintf(tw, "query p99\t%.0f µs\t\n", r.P99us)
	fmt.Fprintf(tw, "query max\t%.0f µs\t\n", r.MaxUs)
	for _, q := range r.Slowest {
		fmt.Fprintf(tw, "slow\t%.0f µs\t%s\n", q.P50us, q.Question)
	}
	fmt.Fprintf(tw, "peak heap\t%.1f MB\t\n", r.HeapMB)
	fmt.Fprintf(tw, "peak RSS\t%.1f MB\t%.1f MB at the end\n", r.RSSMB, r.RSSEndMB)
	fmt.Fprintf(tw, "index\t%.1f MB\ton disk\n", r.IndexMB)
	for _, n := range r.Notes {
		fmt.Fprintf(tw, "note\t%s\t\n", n)
	}
	return tw.Flush()
}

// slowest returns the n questions with the highest median latency,
// slowest first.
func slowest(questions []string, perQ [][]time.Duration, n int) []slowQ {
	out := make([]slowQ, len(questions))
	for i, ds := range perQ {
		slices.Sort(ds)
		out[i] = slowQ{questions[i], micros(percentile(ds, 0.5))}
	}
	slices.SortStableFunc(out, func(a, b slowQ) int { return cmp.Compare(b.P50us, a.P50us) })
	return out[:min(n, len(out))]
}

// percentile returns the p-quantile of sorted by nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func micros(d time.Duration) float64 { return round(float64(d.Nanoseconds())/1e3, 1) }

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

// documentBytes is the size of the files the engine reads under dir, as
// the corpus lists them (every format; hidden files and folders left out).
func documentBytes(dir string) (int64, error) {
	files, _, err := corpus.List(context.Background(), os.DirFS(dir))
	if err != nil {
		return 0, err
	}
	var n int64
	for _, f := range files {
		n += f.Size
	}
	return n, nil
}

// dirBytes is the size of every regular file under dir (0 if dir does
// not exist).
func dirBytes(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	return n, err
}

// procMemory reads the peak (VmHWM) and current (VmRSS) resident set
// size of this process from /proc/self/status, in bytes.
func procMemory() (hwm, rss int64, err error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0, fmt.Errorf("read process status: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok || (name != "VmHWM" && name != "VmRSS") {
			continue
		}
		f := strings.Fields(value) // "123456 kB"
		if len(f) != 2 || f[1] != "kB" {
			return 0, 0, fmt.Errorf("read process status: bad %s line %q", name, line)
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("read process status: %w", err)
		}
		if name == "VmHWM" {
			hwm = kb << 10
		} else {
			rss = kb << 10
		}
	}
	if hwm == 0 || rss == 0 {
		return 0, 0, errors.New("read process status: no VmHWM or VmRSS")
	}
	return hwm, rss, nil
}

// clockTick is the unit of /proc/self/stat's CPU times (USER_HZ, 100 on
// every Linux port).
const clockTick = 10 * time.Millisecond

// procCPU returns the user and system CPU time of this process, all
// threads, from /proc/self/stat, or -1 when it cannot be read.
func procCPU() time.Duration {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return -1
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(string(b[i+1:])) // from field 3, the state
	if len(f) < 13 {
		return -1
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return -1
	}
	return time.Duration(utime+stime) * clockTick
}

// loadAvg returns the 1-minute load average, or -1.
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	x, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return x
}

// heapSampler records the peak of the heap in use (runtime/metrics,
// which unlike ReadMemStats does not stop the world), sampled on a tick.
type heapSampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	once sync.Once
	peak uint64
}

var heapMetrics = []string{"/memory/classes/heap/objects:bytes", "/memory/classes/heap/unused:bytes"}

func startHeapSampler(every time.Duration) *heapSampler {
	h := &heapSampler{done: make(chan struct{})}
	h.sample()
	h.wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-h.done:
				return
			case <-t.C:
				h.sample()
			}
		}
	})
	return h
}

// sample is only called by one goroutine at a time: before the sampler
// starts, by the sampler, and after it stops.
func (h *heapSampler) sample() {
	s := make([]metrics.Sample, len(heapMetrics))
	for i, name := range heapMetrics {
		s[i].Name = name
	}
	metrics.Read(s)
	var n uint64
	for _, x := range s {
		if x.Value.Kind() == metrics.KindUint64 {
			n += x.Value.Uint64()
		}
	}
	h.peak = max(h.peak, n)
}

// stop ends sampling and returns the peak, in bytes.
func (h *heapSampler) stop() uint64 {
	h.once.Do(func() {
		close(h.done)
		h.wg.Wait()
		h.sample()
	})
	return h.peak
}
