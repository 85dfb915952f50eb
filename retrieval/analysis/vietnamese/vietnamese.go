// Package vietnamese registers the bleve analyzers that askdocs indexes
// passages with, built from the components of the sibling packages:
//
//	vi_exact: nfc → syllables → lowercase → numbers → tone/i-y unified
//	          → plus bigrams of the syllables that are not function words
//	vi_fold:  vi_exact → diacritics folded, syllable by syllable
//
// One field holds both syllables and bigrams ("hợp", "tác", "hợp tác"):
// a bigram has a space in it, so the two never collide.
//
// Passages in other languages (package langdetect) are indexed in the
// same field with the analyzers of package langstem ("en_fold", …),
// which Register adds too.
package vietnamese

import (
	"github.com/askdocs/askdocs/retrieval/analysis/langstem"
	"github.com/askdocs/askdocs/retrieval/analysis/nfc"
	"github.com/askdocs/askdocs/retrieval/analysis/vnbigram"
	"github.com/askdocs/askdocs/retrieval/analysis/vnfold"
	"github.com/askdocs/askdocs/retrieval/analysis/vnnumber"
	"github.com/askdocs/askdocs/retrieval/analysis/vntoken"
	"github.com/askdocs/askdocs/retrieval/analysis/vntone"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Analyzer names.
const (
	Exact   = "vi_exact"
	Fold    = "vi_fold"
	Version = "vi-3" // changes whenever analysis changes, so stored indexes rebuild
)

// Register adds the analyzers to an index mapping.
func Register(m *mapping.IndexMappingImpl) error {
	exact := []interface{}{lowercase.Name, vnnumber.Name, vntone.Name, vnbigram.NameWithOriginals}
	chains := map[string][]interface{}{
		Exact: exact,
		Fold:  append(append([]interface{}{}, exact...), vnfold.Name),
	}
	for _, name := range []string{Exact, Fold} {
		err := m.AddCustomAnalyzer(name, map[string]interface{}{
			"type":          custom.Name,
			"char_filters":  []interface{}{nfc.Name},
			"tokenizer":     vntoken.Name,
			"token_filters": chains[name],
		})
		if err != nil {
			return err
		}
	}
	return langstem.Register(m)
}
