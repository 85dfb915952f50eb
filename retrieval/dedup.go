package retrieval

import "github.com/askdocs/askdocs/retrieval/analysis/vntoken"

// minDuplicateSimilarity is the share of content words two excerpts must
// have in common to count as the same fact; when both hold the same
// number, a lower share suffices.
const (
	minDuplicateSimilarity       = 0.6
	minDuplicateSimilarityNumber = 0.4
)

// mergeDuplicate folds r into an earlier result reporting the same fact
// (another article's near-identical sentence) and reports whether it did.
func mergeDuplicate(results []Result, r Result, ix *Index) bool {
	rs, rn := excerptTerms(r.Excerpt, ix.vocab)
	for i := range results {
		if results[i].Source == r.Source && results[i].Line == r.Line {
			return true
		}
		s, n := excerptTerms(results[i].Excerpt, ix.vocab)
		sim := jaccard(rs, s)
		shared := false
		for x := range rn {
			shared = shared || n[x]
		}
		if sim >= minDuplicateSimilarity || (shared && sim >= minDuplicateSimilarityNumber) {
			results[i].Also = append(results[i].Also, Location{Source: r.Source, Line: r.Line, EndLine: r.EndLine})
			results[i].Also = append(results[i].Also, r.Also...)
			return true
		}
	}
	return false
}

// excerptTerms returns the folded content words of an excerpt and, apart,
// its numbers of more than two digits (years, amounts).
func excerptTerms(s string, v *vocab) (words, numbers map[uint32]bool) {
	words, numbers = map[uint32]bool{}, map[uint32]bool{}
	vntoken.Each(s, func(a, b int) {
		id := v.lookup(s[a:b])
		if id == noTerm || v.terms[id].function {
			return
		}
		t := v.terms[id]
		words[t.foldID] = true
		if t.number && len(t.exact) > 2 {
			numbers[t.foldID] = true
		}
	})
	return words, numbers
}

func jaccard(a, b map[uint32]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for x := range a {
		if b[x] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}
