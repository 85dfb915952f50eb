// Package vntoken is a bleve tokenizer for Vietnamese text: a token is a
// run of letters (with their combining marks) and digits, so a syllable
// such as "nghiêng" or a code such as "5G" is one token. Digits separated
// by a single '.' or ',' stay one number ("1.300", "476,8"), since those
// are thousands and decimal separators, not word breaks.
package vntoken

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Name is the name the tokenizer is registered under in bleve.
const Name = "vi_syllable"

// Token is one token of Split: its text and byte offsets in the input.
type Token struct {
	Text       string
	Start, End int
}

// Split returns the tokens of s in order. Invalid UTF-8 bytes are
// treated as separators.
func Split(s string) []Token {
	var out []Token
	Each(s, func(start, end int) {
		out = append(out, Token{Text: s[start:end], Start: start, End: end})
	})
	return out
}

// Each calls fn with the byte range of each token of s, in order, without
// allocating.
func Each(s string, fn func(start, end int)) {
	start := -1
	for i := 0; i < len(s); {
		var r rune
		var size int
		var inWord bool
		if c := s[i]; c < utf8.RuneSelf {
			// ASCII, most of any Vietnamese text: no decoding.
			r, size, inWord = rune(c), 1, asciiWord[c]
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
			inWord = r != utf8.RuneError && isWordRune(r)
		}
		if !inWord && start >= 0 && (r == '.' || r == ',') && i > 0 {
			// A separator inside a number: digit before and after.
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			next, _ := utf8.DecodeRuneInString(s[i+size:])
			if unicode.IsDigit(prev) && unicode.IsDigit(next) && allDigits(s[start:i]) {
				i += size
				continue
			}
		}
		switch {
		case inWord && start < 0:
			if unicode.IsMark(r) {
				// A mark with no base letter is not a word.
				i += size
				continue
			}
			start = i
		case !inWord && start >= 0:
			fn(start, i)
			start = -1
		}
		i += size
	}
	if start >= 0 {
		fn(start, len(s))
	}
}

// asciiWord marks the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// allDigits reports whether s (a number so far, possibly with separators)
// has only digits and separators.
func allDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '.' && r != ',' {
			return false
		}
	}
	return s != ""
}

// Tokenizer is the bleve tokenizer.
type Tokenizer struct{}

// Tokenize implements analysis.Tokenizer.
func (Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	s := string(input)
	var out analysis.TokenStream
	pos := 1
	Each(s, func(start, end int) {
		typ := analysis.AlphaNumeric
		if r, _ := utf8.DecodeRuneInString(s[start:]); unicode.IsDigit(r) && allDigits(s[start:end]) {
			typ = analysis.Numeric
		}
		out = append(out, &analysis.Token{
			Term:     input[start:end:end],
			Start:    start,
			End:      end,
			Position: pos,
			Type:     typ,
		})
		pos++
	})
	return out
}

func init() {
	registry.RegisterTokenizer(Name, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return Tokenizer{}, nil
	})
}
