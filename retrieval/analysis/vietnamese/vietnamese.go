// Package vietnamese registers the bleve analyzers that askdocs indexes
// passages with, built from the components of the sibling packages:
//
//	vi_exact:  nfc → syllables → lowercase → numbers → tone/i-y unified
//	vi_fold:   vi_exact → diacritics folded
//	vi_exact2: vi_exact → function words dropped → bigrams
//	vi_fold2:  vi_exact → function words dropped → folded → bigrams
package vietnamese

import (
	"github.com/askdocs/askdocs/retrieval/analysis/nfc"
	"github.com/askdocs/askdocs/retrieval/analysis/vnbigram"
	"github.com/askdocs/askdocs/retrieval/analysis/vnfold"
	"github.com/askdocs/askdocs/retrieval/analysis/vnnumber"
	"github.com/askdocs/askdocs/retrieval/analysis/vnstop"
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
	Exact2  = "vi_exact2"
	Fold2   = "vi_fold2"
	Version = "vi-1" // changes whenever analysis changes, so stored indexes rebuild
)

// Register adds the four analyzers to an index mapping.
func Register(m *mapping.IndexMappingImpl) error {
	base := []interface{}{lowercase.Name, vnnumber.Name, vntone.Name}
	chains := map[string][]interface{}{
		Exact:  base,
		Fold:   append(append([]interface{}{}, base...), vnfold.Name),
		Exact2: append(append([]interface{}{}, base...), vnstop.Name, vnbigram.Name),
		Fold2:  append(append([]interface{}{}, base...), vnstop.Name, vnfold.Name, vnbigram.Name),
	}
	for _, name := range []string{Exact, Fold, Exact2, Fold2} {
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
	return nil
}
