package retrieval

import "slices"

// minDuplicateSimilarity is the share of content words two excerpts must
// have in common to count as the same fact; when both hold the same
// number, a lower share suffices.
const (
	minDuplicateSimilarity       = 0.6
	minDuplicateSimilarityNumber = 0.4
)

// mergeDuplicate folds r into an earlier result reporting the same fact
// (another article's near-identical sentence) and reports whether it
// did; sents holds the sentence terms of the earlier results, and the
// terms of r are returned to join them. Excerpts are compared sentence
// by sentence, since two articles often share one sentence and differ
// around it.
func mergeDuplicate(results []Result, sents [][]termSet, r Result, rsents []termSet) bool {
	for i := range results {
		if results[i].Source == r.Source && results[i].Line == r.Line {
			return true
		}
		if !sameFact(rsents, sents[i]) {
			continue
		}
		results[i].Also = append(results[i].Also, Location{Source: r.Source, Line: r.Line, EndLine: r.EndLine, Page: r.Page})
		results[i].Also = append(results[i].Also, r.Also...)
		return true
	}
	return false
}

// termSet is the folded content words and numbers of a sentence, as
// sorted sets.
type termSet struct{ words, numbers []uint32 }

// add adds a content word: its folded form, and apart the numbers of
// more than two digits (years, amounts).
func (ts *termSet) add(t *term) {
	ts.words = append(ts.words, t.foldID)
	if t.number && len(t.exact) > 2 {
		ts.numbers = append(ts.numbers, t.foldID)
	}
}

// done sorts the sets and drops repeats, and reports whether the
// sentence has enough content words (four) to compare.
func (ts *termSet) done() bool {
	slices.Sort(ts.words)
	slices.Sort(ts.numbers)
	ts.words, ts.numbers = slices.Compact(ts.words), slices.Compact(ts.numbers)
	return len(ts.words) >= 4
}

// sameFact reports whether a sentence of a and one of b say the same:
// most content words shared, or many and the same amounts.
func sameFact(a, b []termSet) bool {
	for _, x := range a {
		for _, y := range b {
			sim := jaccard(x.words, y.words)
			shared := intersection(x.numbers, y.numbers) > 0
			if sim >= minDuplicateSimilarity || (shared && sim >= minDuplicateSimilarityNumber) {
				return true
			}
		}
	}
	return false
}

func jaccard(a, b []uint32) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := intersection(a, b)
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// intersection counts the ids two sorted sets share.
func intersection(a, b []uint32) int {
	n := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}
