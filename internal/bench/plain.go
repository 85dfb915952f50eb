package bench

import (
	"context"
	"fmt"
	"io/fs"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Plain bleve is the comparison: what a developer gets from bleve with
// a sensible set-up for this text and nothing of askdocs. An analyzer of
// the asciifolding char filter (so "hợp tác" matches "hop tac"), the
// unicode tokenizer and lowercase; a static mapping of one text field
// with nothing stored, no term vectors, no _all and no doc values;
// batches of plainBatch passages; scorch on disk with its default merge
// policy. It indexes the passages askdocs indexes (retrieval.LoadCorpus),
// and its build is timed from reading the files to closing the index, as
// askdocs's is from reading the files to the index being ready.
const (
	plainBatch    = 10000
	plainAnalyzer = "plain"
	plainField    = "text"
	// baselineRuns bounds the query runs of plain bleve, whose queries
	// are slow: its latencies are for scale, not tuning.
	baselineRuns = 3
)

// Baseline is what plain bleve measured.
type Baseline struct {
	BuildS      float64 `json:"build_s"`
	BuildMBs    float64 `json:"build_mb_s"`
	BuildCPUS   float64 `json:"build_cpu_s"`
	WarmStartMS float64 `json:"warm_start_ms"`
	P50us       float64 `json:"p50_us"`
	P99us       float64 `json:"p99_us"`
	Runs        int     `json:"runs"`
	HeapMB      float64 `json:"heap_mb"`
	// RSSMB is the peak resident size from the start of plain bleve's
	// build (the peak is reset then), on top of what the process kept
	// from askdocs; -1 if it could not be reset.
	RSSMB   float64 `json:"rss_mb"`
	IndexMB float64 `json:"index_mb"`
}

func plainMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	if err := m.AddCustomAnalyzer(plainAnalyzer, map[string]any{
		"type":          custom.Name,
		"char_filters":  []any{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name},
	}); err != nil {
		return nil, fmt.Errorf("bench: plain bleve analyzer: %w", err)
	}
	dm := bleve.NewDocumentStaticMapping()
	fm := bleve.NewTextFieldMapping()
	fm.Analyzer = plainAnalyzer
	fm.Store = false
	fm.IncludeTermVectors = false
	fm.IncludeInAll = false
	fm.DocValues = false
	dm.AddFieldMappingsAt(plainField, fm)
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	m.DefaultMapping = dm
	m.DefaultAnalyzer = plainAnalyzer
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m, nil
}

// plainBleve builds, reopens and queries the corpus of fsys with plain
// bleve in dir. res is askdocs's result, for notes.
func plainBleve(ctx context.Context, fsys fs.FS, dir string, corpusBytes int64, questions []string, runs int, res *Result) (*Baseline, error) {
	out := &Baseline{Runs: runs, RSSMB: -1}
	runtime.GC()
	debug.FreeOSMemory()
	peakReset := resetPeakRSS() == nil
	heap := startHeapSampler(10 * time.Millisecond)
	defer heap.stop()

	m, err := plainMapping()
	if err != nil {
		return nil, err
	}
	cpu0 := procCPU()
	start := time.Now()
	c, _, err := retrieval.LoadCorpus(ctx, fsys)
	if err != nil {
		return nil, fmt.Errorf("bench: plain bleve: %w", err)
	}
	bi, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("bench: plain bleve: create: %w", err)
	}
	doc := map[string]any{}
	b := bi.NewBatch()
	for i, p := range c.Passages {
		doc[plainField] = p.Text
		if err := b.Index(strconv.Itoa(i), doc); err != nil {
			bi.Close()
			return nil, fmt.Errorf("bench: plain bleve: index: %w", err)
		}
		if b.Size() == plainBatch || i == len(c.Passages)-1 {
			if err := bi.Batch(b); err != nil {
				bi.Close()
				return nil, fmt.Errorf("bench: plain bleve: batch: %w", err)
			}
			b = bi.NewBatch()
			if err := ctx.Err(); err != nil {
				bi.Close()
				return nil, err
			}
		}
	}
	if err := bi.Close(); err != nil {
		return nil, fmt.Errorf("bench: plain bleve: close: %w", err)
	}
	build := time.Since(start)
	if cpu1 := procCPU(); cpu0 >= 0 && cpu1 >= 0 {
		out.BuildCPUS = round((cpu1 - cpu0).Seconds(), 2)
	}
	out.BuildS = round(build.Seconds(), 3)
	out.BuildMBs = rate(corpusBytes, build)
	c = nil
	runtime.GC()

	start = time.Now()
	bi, err = bleve.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("bench: plain bleve: reopen: %w", err)
	}
	defer bi.Close()
	out.WarmStartMS = round(float64(time.Since(start).Microseconds())/1000, 3)
	lat, _, err := timeQueries(ctx, questions, runs, func(q string) (bool, error) {
		mq := bleve.NewMatchQuery(q)
		mq.SetField(plainField)
		r, err := bi.SearchInContext(ctx, bleve.NewSearchRequestOptions(mq, 3, 0, false))
		if err != nil {
			return false, err
		}
		return r.Total > 0, nil
	})
	if err != nil {
		return nil, err
	}
	out.P50us, out.P99us, _ = summary(lat)
	out.HeapMB = round(float64(heap.stop())/(1<<20), 1)
	if hwm, _, err := procMemory(); err == nil && peakReset {
		out.RSSMB = mb(hwm)
	} else {
		res.Notes = append(res.Notes, "plain bleve's peak RSS is unknown: its peak could not be told from askdocs's")
	}
	n, err := dirBytes(dir)
	if err != nil {
		return nil, fmt.Errorf("bench: measure plain bleve index: %w", err)
	}
	out.IndexMB = round(float64(n)/(1<<20), 3)
	return out, nil
}
