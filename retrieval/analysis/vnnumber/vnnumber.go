// Package vnnumber is a bleve token filter that gives each number one
// spelling. Vietnamese writes thousands with '.' and decimals with ','
// ("1.300 suất", "476,8 triệu"), while people type "1300" or the English
// "476.8": all of these must match.
package vnnumber

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Name is the name the filter is registered under in bleve.
const Name = "vi_number"

// Normalize returns the normal form of a number token: '.' between groups
// of three digits is a thousands separator and is dropped ("1.300" →
// "1300"); any other '.' is a decimal point and becomes ',' ("476.8" →
// "476,8"). Commas are kept: "1,300" is 1.3 in Vietnamese. Tokens that are
// not numbers are returned unchanged.
func Normalize(s string) string {
	if strings.IndexByte(s, '.') < 0 {
		return s
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && c != '.' && c != ',' {
			return s
		}
	}
	if strings.IndexByte(s, ',') < 0 {
		groups := strings.Split(s, ".")
		thousands := len(groups[0]) >= 1 && len(groups[0]) <= 3
		for _, g := range groups[1:] {
			if len(g) != 3 {
				thousands = false
			}
		}
		if thousands {
			return strings.Join(groups, "")
		}
		if len(groups) == 2 {
			return groups[0] + "," + groups[1]
		}
		return s
	}
	// Both separators: "1.234,5" is Vietnamese; keep the comma.
	if i := strings.IndexByte(s, ','); i > strings.LastIndexByte(s, '.') {
		return strings.ReplaceAll(s[:i], ".", "") + s[i:]
	}
	return s
}

// Filter is the bleve token filter.
type Filter struct{}

// Filter implements analysis.TokenFilter.
func (Filter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.Type == analysis.Numeric {
			tok.Term = []byte(Normalize(string(tok.Term)))
		}
	}
	return input
}

func init() {
	registry.RegisterTokenFilter(Name, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return Filter{}, nil
	})
}
