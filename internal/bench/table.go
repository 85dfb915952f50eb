package bench

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteTable prints r as a small aligned table, plain bleve's figures
// beside askdocs's when it ran.
func WriteTable(w io.Writer, r Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "corpus\t%d passages, %d documents, %.1f MB\t%s\n", r.Passages, r.Documents, r.CorpusMB, r.Source)
	fmt.Fprintf(tw, "build\t%.2f s\t%.2f MB/s, %.1f s CPU (load average %.1f, GOGC %d)\n", r.BuildS, r.BuildMBs, r.BuildCPUS, r.LoadAvg, r.GOGC)
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
	if r.UpdateFiles > 0 {
		how := "updated in place"
		if r.UpdateRebuilt != "" {
			how = "rebuilt: " + r.UpdateRebuilt
		}
		files := "files"
		if r.UpdateFiles == 1 {
			files = "file"
		}
		fmt.Fprintf(tw, "update\t%.2f s\t%d %s changed, %s\n", r.UpdateS, r.UpdateFiles, files, how)
	}
	if b := r.Bleve; b != nil {
		fmt.Fprintf(tw, "plain bleve build\t%.2f s\t%.2f MB/s, %.1f s CPU; askdocs builds at %.2f× its speed (%.2f× in CPU time)\n", b.BuildS, b.BuildMBs, b.BuildCPUS, r.BuildRatio, r.BuildCPURatio)
		fmt.Fprintf(tw, "plain bleve warm start\t%.1f ms\t\n", b.WarmStartMS)
		fmt.Fprintf(tw, "plain bleve query\tp50 %.0f µs\tp99 %.0f µs (%d runs)\n", b.P50us, b.P99us, b.Runs)
		fmt.Fprintf(tw, "plain bleve memory\tpeak heap %.1f MB\tpeak RSS %.1f MB\n", b.HeapMB, b.RSSMB)
		fmt.Fprintf(tw, "plain bleve index\t%.1f MB\ton disk\n", b.IndexMB)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(tw, "note\t%s\t\n", n)
	}
	return tw.Flush()
}
