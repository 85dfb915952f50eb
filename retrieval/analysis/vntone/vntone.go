// Package vntone is a bleve token filter that unifies the spellings of a
// Vietnamese syllable that differ only by where the tone mark sits (old
// "hoà", "thoả", "thuý" and new "hòa", "thỏa", "thúy") or by i/y after a
// consonant ("sĩ"/"sỹ", "kĩ"/"kỹ", "lí"/"lý", "quí"/"quý").
//
// The normal form keeps the vowel-quality marks (ă â ê ô ơ ư đ), moves the
// tone mark, as a combining character, to the end of the syllable, and
// writes a lone y after a consonant as i. It is a matching key, not a
// spelling to show: "thỏa" and "thoả" both become "thoa\u0309".
package vntone

import (
	"strings"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval/analysis/termcache"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// Name is the name the filter is registered under in bleve.
const Name = "vi_tone"

// The five Vietnamese tone marks, as combining characters.
const (
	Grave = '\u0300' // huyền
	Acute = '\u0301' // sắc
	Tilde = '\u0303' // ngã
	Hook  = '\u0309' // hỏi
	Dot   = '\u0323' // nặng
)

// IsTone reports whether r is one of the five combining tone marks.
func IsTone(r rune) bool {
	return r == Grave || r == Acute || r == Tilde || r == Hook || r == Dot
}

// letter is the table entry of one precomposed letter.
type letter struct {
	base rune // the letter without its tone mark, vowel quality kept
	fold rune // the bare ASCII letter
	tone rune // the tone mark, or 0
}

// letters maps every precomposed Latin letter that carries a mark to its
// parts. Built once from Unicode's own decompositions.
var letters = func() map[rune]letter {
	m := make(map[rune]letter)
	for r := rune(0xC0); r <= 0x1EFF; r++ {
		d := norm.NFD.String(string(r))
		if d == string(r) {
			continue
		}
		first, size := utf8.DecodeRuneInString(d)
		if first >= utf8.RuneSelf {
			continue
		}
		var tone rune
		var quality strings.Builder
		quality.WriteRune(first)
		for _, mk := range d[size:] {
			if IsTone(mk) && tone == 0 {
				tone = mk
				continue
			}
			quality.WriteRune(mk)
		}
		base, _ := utf8.DecodeRuneInString(norm.NFC.String(quality.String()))
		m[r] = letter{base: base, fold: first, tone: tone}
	}
	m['đ'] = letter{base: 'đ', fold: 'd'}
	m['Đ'] = letter{base: 'Đ', fold: 'D'}
	return m
}()

// Parts returns the parts of r: the letter without tone mark, the bare
// ASCII letter, and the tone mark (0 if none). ok is false for runes that
// carry no mark.
func Parts(r rune) (base, fold, tone rune, ok bool) {
	l, ok := letters[r]
	return l.base, l.fold, l.tone, ok
}

// Normalize returns the normal form of one lowercase syllable.
func Normalize(s string) string {
	if isASCII(s) {
		return YToI(s)
	}
	if hasCombining(s) {
		s = norm.NFC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	var tone rune
	for _, r := range s {
		if l, ok := letters[r]; ok {
			b.WriteRune(l.base)
			if tone == 0 {
				tone = l.tone
			}
			continue
		}
		if IsTone(r) { // a stray combining tone mark
			if tone == 0 {
				tone = r
			}
			continue
		}
		b.WriteRune(r)
	}
	out := YToI(b.String())
	if tone != 0 {
		out += string(tone)
	}
	return out
}

// clusters are the Vietnamese initial consonants after which a lone final
// "y" is an i/y spelling variant (kỹ = kĩ, quý = quí).
var clusters = map[string]bool{
	"b": true, "c": true, "ch": true, "d": true, "đ": true, "g": true,
	"gh": true, "h": true, "k": true, "kh": true, "l": true, "m": true,
	"n": true, "ng": true, "ngh": true, "nh": true, "p": true, "ph": true,
	"qu": true, "r": true, "s": true, "t": true, "th": true, "tr": true,
	"v": true, "x": true,
}

// YToI writes a toneless syllable that is an initial consonant followed by
// a lone y with i instead ("ky" → "ki", "quy" → "qui"), and returns any
// other string unchanged.
func YToI(s string) string {
	if len(s) < 2 || s[len(s)-1] != 'y' {
		return s
	}
	if clusters[s[:len(s)-1]] {
		return s[:len(s)-1] + "i"
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasCombining reports whether s holds a combining diacritical mark
// (U+0300–U+036F), the sign of decomposed input.
func hasCombining(s string) bool {
	for _, r := range s {
		if r >= 0x300 && r <= 0x36F {
			return true
		}
	}
	return false
}

// Filter is the bleve token filter. It expects lowercase tokens.
type Filter struct{}

// Filter implements analysis.TokenFilter.
func (Filter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.Type == analysis.Numeric {
			continue
		}
		tok.Term = normalized.Get(tok.Term)
	}
	return input
}

// normalized remembers normal forms.
var normalized = termcache.New(1<<18, Normalize)

func init() {
	registry.RegisterTokenFilter(Name, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return Filter{}, nil
	})
}
