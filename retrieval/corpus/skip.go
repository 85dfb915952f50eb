package corpus

import (
	"fmt"
	"sort"
	"strings"
)

// Kind is why a file was skipped, for counting: "30 images (not text),
// 6 invalid UTF-8".
type Kind string

// The kinds of skipped file.
const (
	Unreadable  Kind = "unreadable"
	NotRegular  Kind = "not a regular file"
	TooLarge    Kind = "too large"
	Empty       Kind = "empty"
	NoText      Kind = "no text"
	Image       Kind = "image (not text)"
	Media       Kind = "audio or video (not text)"
	Archive     Kind = "archive (not text)"
	Binary      Kind = "binary (not text)"
	InvalidUTF8 Kind = "invalid UTF-8"
	PDFNoText   Kind = "PDF without a text layer"
	Damaged     Kind = "damaged"
	Unsupported Kind = "unsupported format"
	Duplicate   Kind = "same file as another path"
)

// plural is a Kind as counted, where it differs.
var plural = map[Kind]string{
	Image:      "images (not text)",
	Archive:    "archives (not text)",
	NotRegular: "not regular files",
	Duplicate:  "same files as other paths",
}

// Warning names a file that was skipped and why.
type Warning struct {
	Source string
	Kind   Kind
	Reason string // the kind, with details
}

func (w Warning) String() string { return w.Source + ": " + w.Reason }

// Summary counts warnings by kind, most first: "skipped 41: 30 images
// (not text), 6 invalid UTF-8, 5 PDF without a text layer". It is
// "skipped 0" when there are none.
func Summary(ws []Warning) string {
	if len(ws) == 0 {
		return "skipped 0"
	}
	n := map[Kind]int{}
	for _, w := range ws {
		k := w.Kind
		if k == "" {
			k = Unreadable
		}
		n[k]++
	}
	kinds := make([]Kind, 0, len(n))
	for k := range n {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		if n[kinds[i]] != n[kinds[j]] {
			return n[kinds[i]] > n[kinds[j]]
		}
		return kinds[i] < kinds[j]
	})
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		label := string(k)
		if p, ok := plural[k]; ok && n[k] > 1 {
			label = p
		}
		parts[i] = fmt.Sprintf("%d %s", n[k], label)
	}
	return fmt.Sprintf("skipped %d: %s", len(ws), strings.Join(parts, ", "))
}
