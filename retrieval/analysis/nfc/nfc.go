// Package nfc is a bleve char filter that puts text in Unicode
// Normalization Form C, so decomposed input (NFD: a base letter followed
// by combining marks) and precomposed input index and match alike.
package nfc

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// Name is the name the filter is registered under in bleve.
const Name = "vi_nfc"

// Filter is the NFC char filter.
type Filter struct{}

// Filter returns input in NFC. It returns input itself when it is
// already in NFC, which is the common case and costs no allocation.
func (Filter) Filter(input []byte) []byte {
	if norm.NFC.QuickSpan(input) == len(input) {
		return input
	}
	return norm.NFC.Bytes(input)
}

func init() {
	registry.RegisterCharFilter(Name, func(map[string]interface{}, *registry.Cache) (analysis.CharFilter, error) {
		return Filter{}, nil
	})
}
