// Package bench measures the askdocs engine for `askdocs bench`: it
// writes or takes a corpus, builds its index (timed), reopens it (warm
// start), runs a question set many times, and reads what the process
// spent — CPU time, peak heap, peak resident memory (from /proc, with
// procfs) — and the index's size. As the comparison, it indexes the same
// passages with plain bleve in the same run (see plain.go), so that the
// two builds meet the same load on a shared machine.
//
// It owns the Result of a run (the --json contract of askdocs bench) and
// its table; the command only parses flags into a Config.
package bench

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/askdocs/askdocs/internal/synth"
	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/retrieval/corpus"
)

// PerFile is how many synthetic paragraphs go in one file.
const PerFile = 1000

// Questions is the built-in query set: realistic questions about the
// seeds' topics, half typed with diacritics and half without, two out of
// scope, and (last) a few that name a rare token of the synthetic corpus.
var Questions = []string{
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

// Config is one benchmark run.
type Config struct {
	// Docs is a folder of documents to measure; "" means a synthetic
	// corpus of Passages paragraphs of Vocab, drawn with Seed.
	Docs     string
	Vocab    synth.Vocab
	Passages int
	Seed     uint64

	Questions []string // nil means Questions
	Runs      int      // times each question runs after the warm-up pass
	// IndexDir keeps the index; "" means a temporary folder.
	IndexDir  string
	BatchSize int // passages per bleve batch; 0 means the engine's
	// CPUProfile, if set, receives a CPU profile of the build, warm
	// start and queries.
	CPUProfile io.Writer
	// Baseline also indexes the corpus with plain bleve (see plain.go),
	// after askdocs, and reports it next to askdocs.
	Baseline bool
	// Progress, if set, is told what the run is doing.
	Progress func(format string, a ...any)
	Log      *slog.Logger
}

// Result is the --json contract of askdocs bench: keep these names.
type Result struct {
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
	Slowest    []SlowQ  `json:"slowest"`  // the questions with the highest median latency
	Source     string   `json:"source"`
	GOMAXPROCS int      `json:"gomaxprocs"`
	GOGC       int      `json:"gogc"`
	Notes      []string `json:"notes,omitempty"`

	// UpdateS is how long opening the index took after UpdateFiles of
	// the files of a synthetic corpus (1%, at least one) were replaced;
	// UpdateRebuilt says why that rebuilt rather than updated ("" when it
	// updated, as it should).
	UpdateS       float64 `json:"update_s,omitempty"`
	UpdateFiles   int     `json:"update_files,omitempty"`
	UpdateRebuilt string  `json:"update_rebuilt,omitempty"`

	// Bleve is plain bleve on the same corpus in the same run (nil
	// without Config.Baseline); BuildRatio is askdocs's build speed over
	// bleve's, and BuildCPURatio the same in CPU time (bleve's CPU
	// seconds over askdocs's), which the load of a shared machine sways
	// less than it does wall time.
	Bleve         *Baseline `json:"bleve,omitempty"`
	BuildRatio    float64   `json:"build_ratio,omitempty"`
	BuildCPURatio float64   `json:"build_cpu_ratio,omitempty"`
}

// SlowQ is one question's median latency.
type SlowQ struct {
	Question string  `json:"q"`
	P50us    float64 `json:"p50_us"`
}

// slowestN is how many of the slowest questions the result names.
const slowestN = 3

// Run measures cfg.
func Run(ctx context.Context, cfg Config) (Result, error) {
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	progress := cfg.Progress
	if progress == nil {
		progress = func(string, ...any) {}
	}
	questions := cfg.Questions
	if questions == nil {
		questions = Questions
	}
	runs := max(1, cfg.Runs)

	tmp, err := os.MkdirTemp("", "askdocs-bench-")
	if err != nil {
		return Result{}, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)

	gogc := debug.SetGCPercent(100)
	debug.SetGCPercent(gogc)
	res := Result{Queries: len(questions), Runs: runs, GOMAXPROCS: runtime.GOMAXPROCS(0), GOGC: gogc}
	corpusDir := cfg.Docs
	if corpusDir == "" {
		corpusDir = filepath.Join(tmp, "corpus")
		vocab := cmp.Or(cfg.Vocab, synth.Chain)
		progress("generating %d synthetic passages (%s vocabulary, seed %d)", cfg.Passages, vocab, cfg.Seed)
		if _, err := synth.WriteCorpusOf(corpusDir, vocab, cfg.Seed, cfg.Passages, PerFile); err != nil {
			return res, fmt.Errorf("bench: %w", err)
		}
		res.Source = fmt.Sprintf("synthetic, %s vocabulary (seed %d)", vocab, cfg.Seed)
	} else {
		res.Source = corpusDir
	}
	corpusBytes, err := DocumentBytes(corpusDir)
	if err != nil {
		return res, fmt.Errorf("bench: measure corpus: %w", err)
	}
	res.CorpusMB = round(float64(corpusBytes)/(1<<20), 3)
	fsys := os.DirFS(corpusDir)

	dir := cfg.IndexDir
	if dir == "" {
		dir = filepath.Join(tmp, "index")
	} else if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		res.Notes = append(res.Notes, "--index folder was not empty: the first open may update rather than build")
	}

	opts := retrieval.Options{BatchSize: cfg.BatchSize}
	heap := startHeapSampler(10 * time.Millisecond)
	defer heap.stop()
	if cfg.CPUProfile != nil {
		if err := pprof.StartCPUProfile(cfg.CPUProfile); err != nil {
			return res, fmt.Errorf("bench: cpu profile: %w", err)
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
		return res, fmt.Errorf("bench: build index: %w", err)
	}
	if rep.Rebuilt == "" {
		res.Notes = append(res.Notes, "first open reused a stored index: build_s is an update")
	}
	res.BuildS = round(build.Seconds(), 3)
	res.BuildMBs = rate(corpusBytes, build)
	if err := ix.Close(); err != nil {
		return res, fmt.Errorf("bench: close index: %w", err)
	}
	ix = nil
	runtime.GC()

	// Warm: open the stored index again, as a restarted bot would.
	progress("warm start")
	start = time.Now()
	ix, rep, err = retrieval.Open(ctx, fsys, dir, opts)
	warm := time.Since(start)
	if err != nil {
		return res, fmt.Errorf("bench: reopen index: %w", err)
	}
	defer ix.Close()
	res.WarmStartMS = round(float64(warm.Microseconds())/1000, 3)
	if rep.Rebuilt != "" || rep.Added+rep.Changed+rep.Removed > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("warm start was not clean: rebuilt %q, %d added, %d changed, %d removed",
			rep.Rebuilt, rep.Added, rep.Changed, rep.Removed))
	}
	st := ix.Stats()
	res.Passages, res.Documents = st.Passages, st.Documents

	progress("querying: %d questions × %d runs", len(questions), runs)
	lat, answered, err := timeQueries(ctx, questions, runs, func(q string) (bool, error) {
		a, err := ix.Search(ctx, q, 3)
		return a.Answered, err
	})
	if err != nil {
		return res, err
	}
	res.Answered = answered
	res.P50us, res.P99us, res.MaxUs = summary(lat)
	res.Slowest = slowest(questions, lat, slowestN)

	res.HeapMB = round(float64(heap.stop())/(1<<20), 1)
	if hwm, rss, err := procMemory(); err == nil {
		res.RSSMB, res.RSSEndMB = mb(hwm), mb(rss)
	} else {
		res.RSSMB, res.RSSEndMB = -1, -1
		res.Notes = append(res.Notes, "rss unavailable: "+err.Error())
	}
	indexBytes, err := dirBytes(dir)
	if err != nil {
		return res, fmt.Errorf("bench: measure index: %w", err)
	}
	res.IndexMB = round(float64(indexBytes)/(1<<20), 3)
	if cfg.CPUProfile != nil {
		pprof.StopCPUProfile() // the profile is of askdocs, not of bleve
	}

	ix.Close()
	ix = nil
	if cfg.Docs == "" {
		// Incremental: replace 1% of the files, as an editor would, and
		// open the index again.
		vocab := cmp.Or(cfg.Vocab, synth.Chain)
		files := (cfg.Passages + PerFile - 1) / PerFile
		change := max(1, files/100)
		for k := range change {
			f := k * files / change // spread over the corpus
			n := min(PerFile, cfg.Passages-f*PerFile)
			path := filepath.Join(corpusDir, fmt.Sprintf("doc_%05d.txt", f+1))
			if _, err := synth.WriteFile(path, vocab, cfg.Seed+1+uint64(k), n); err != nil {
				return res, fmt.Errorf("bench: change the corpus: %w", err)
			}
		}
		progress("update: %d of the %d files changed", change, files)
		start := time.Now()
		ux, rep, err := retrieval.Open(ctx, fsys, dir, opts)
		if err != nil {
			return res, fmt.Errorf("bench: update index: %w", err)
		}
		res.UpdateS = round(time.Since(start).Seconds(), 3)
		res.UpdateFiles = change
		if rep.Rebuilt != retrieval.NotRebuilt {
			res.UpdateRebuilt = rep.Why()
		}
		if rep.Changed != change {
			res.Notes = append(res.Notes, fmt.Sprintf("update found %d changed files, not %d", rep.Changed, change))
		}
		if err := ux.Close(); err != nil {
			return res, fmt.Errorf("bench: close index: %w", err)
		}
	}

	if cfg.Baseline {
		progress("plain bleve: building the same corpus")
		b, err := plainBleve(ctx, fsys, filepath.Join(tmp, "bleve"), corpusBytes, questions, min(runs, baselineRuns), &res)
		if err != nil {
			return res, err
		}
		res.Bleve = b
		if b.BuildMBs > 0 {
			res.BuildRatio = round(res.BuildMBs/b.BuildMBs, 2)
		}
		if res.BuildCPUS > 0 && b.BuildCPUS > 0 {
			res.BuildCPURatio = round(b.BuildCPUS/res.BuildCPUS, 2)
		}
	}
	return res, nil
}

// timeQueries runs every question once to warm up, then runs times,
// interleaved so that no question runs hot from the one before. It
// returns each question's latencies and how many answered on warm-up.
func timeQueries(ctx context.Context, questions []string, runs int, search func(string) (bool, error)) ([][]time.Duration, int, error) {
	answered := 0
	for _, q := range questions {
		ok, err := search(q)
		if err != nil {
			return nil, 0, fmt.Errorf("bench: search %q: %w", q, err)
		}
		if ok {
			answered++
		}
	}
	runtime.GC()
	perQ := make([][]time.Duration, len(questions))
	for range runs {
		for i, q := range questions {
			start := time.Now()
			_, err := search(q)
			perQ[i] = append(perQ[i], time.Since(start))
			if err != nil {
				return nil, 0, fmt.Errorf("bench: search %q: %w", q, err)
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, 0, fmt.Errorf("bench: %w", err)
		}
	}
	return perQ, answered, nil
}

// summary returns the p50, p99 and max of all latencies, in µs.
func summary(perQ [][]time.Duration) (p50, p99, maxUs float64) {
	var all []time.Duration
	for _, ds := range perQ {
		all = append(all, ds...)
	}
	if len(all) == 0 {
		return 0, 0, 0
	}
	slices.Sort(all)
	return micros(percentile(all, 0.50)), micros(percentile(all, 0.99)), micros(all[len(all)-1])
}

// ReadQuestions reads a question file: one question a line; blank lines
// and lines starting with '#' are skipped.
func ReadQuestions(path string) ([]string, error) {
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

// slowest returns the n questions with the highest median latency,
// slowest first.
func slowest(questions []string, perQ [][]time.Duration, n int) []SlowQ {
	out := make([]SlowQ, len(questions))
	for i, ds := range perQ {
		ds = slices.Clone(ds)
		slices.Sort(ds)
		out[i] = SlowQ{questions[i], micros(percentile(ds, 0.5))}
	}
	slices.SortStableFunc(out, func(a, b SlowQ) int { return cmp.Compare(b.P50us, a.P50us) })
	return out[:min(n, len(out))]
}

// percentile returns the p-quantile of sorted by nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func micros(d time.Duration) float64 { return round(float64(d.Nanoseconds())/1e3, 1) }

func mb(b uint64) float64 { return round(float64(b)/(1<<20), 1) }

// rate is n bytes over d, in MB/s.
func rate(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return round(float64(n)/(1<<20)/d.Seconds(), 3)
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

// DocumentBytes is the size of the files the engine reads under dir,
// as the corpus lists them (every format; hidden files and folders left
// out).
func DocumentBytes(dir string) (int64, error) {
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
