// Package langdetect tells which language a passage or a question is
// in, so that each gets its own analysis: Vietnamese syllables for
// Vietnamese, bleve's stemming and stop words for the other languages
// bleve ships (package langstem).
//
// Vietnamese is told by its letters (ă, đ, ơ, ư, and the vowels with a
// dot below, a hook above or two marks, which no other language uses),
// by its function words, and by the shape of its syllables: people type
// Vietnamese without diacritics too ("hop tac quoc phong", "cho minh
// hoi"), and every word of such text still reads as one Vietnamese
// syllable. The other languages are told by how many of their stop words
// (the lists bleve ships in analysis/lang/…) the text holds.
//
// Text with no evidence for any language (a name, a number, another
// script) is Unknown; askdocs, Vietnamese-first, analyses it as
// Vietnamese.
package langdetect

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval/analysis/vnfold"
	"github.com/askdocs/askdocs/retrieval/analysis/vnstop"
	"github.com/askdocs/askdocs/retrieval/analysis/vntoken"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/da"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fi"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/hu"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	"github.com/blevesearch/bleve/v2/analysis/lang/nl"
	"github.com/blevesearch/bleve/v2/analysis/lang/no"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/analysis/lang/ro"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/analysis/lang/sv"
	"github.com/blevesearch/bleve/v2/analysis/lang/tr"
)

// Lang is a language askdocs tells apart.
type Lang uint8

// The languages. Unknown is text with no evidence for any of them.
const (
	Unknown Lang = iota
	Vietnamese
	English
	French
	German
	Spanish
	Italian
	Portuguese
	Dutch
	Swedish
	Norwegian
	Danish
	Finnish
	Hungarian
	Romanian
	Russian
	Turkish
	numLangs
)

var codes = [numLangs]string{"", "vi", "en", "fr", "de", "es", "it", "pt", "nl", "sv", "no", "da", "fi", "hu", "ro", "ru", "tr"}

// Code returns the ISO 639-1 code of l ("vi", "en"), or "" for Unknown.
func (l Lang) Code() string {
	if l >= numLangs {
		return ""
	}
	return codes[l]
}

// String implements fmt.Stringer.
func (l Lang) String() string {
	if l == Unknown || l >= numLangs {
		return "unknown"
	}
	return codes[l]
}

// Parse returns the language of an ISO 639-1 code, case-insensitive, as
// in a LANG setting ("en", "en_US.UTF-8", "vi_VN").
func Parse(code string) (Lang, bool) {
	code = strings.ToLower(code)
	if i := strings.IndexAny(code, "_-.@"); i >= 0 {
		code = code[:i]
	}
	for l := Vietnamese; l < numLangs; l++ {
		if codes[l] == code {
			return l, true
		}
	}
	return Unknown, false
}

// Others returns the languages other than Vietnamese, in order.
func Others() []Lang {
	out := make([]Lang, 0, numLangs-English)
	for l := English; l < numLangs; l++ {
		out = append(out, l)
	}
	return out
}

// stopData is each language's stop list as bleve ships it.
var stopData = [numLangs][]byte{
	English:    en.EnglishStopWords,
	French:     fr.FrenchStopWords,
	German:     de.GermanStopWords,
	Spanish:    es.SpanishStopWords,
	Italian:    it.ItalianStopWords,
	Portuguese: pt.PortugueseStopWords,
	Dutch:      nl.DutchStopWords,
	Swedish:    sv.SwedishStopWords,
	Norwegian:  no.NorwegianStopWords,
	Danish:     da.DanishStopWords,
	Finnish:    fi.FinnishStopWords,
	Hungarian:  hu.HungarianStopWords,
	Romanian:   ro.RomanianStopWords,
	Russian:    ru.RussianStopWords,
	Turkish:    tr.TurkishStopWords,
}

// stops maps a lowercased word to the set of languages (bit l) whose
// stop list holds it: one lookup per word whatever the number of
// languages.
var stops = func() map[string]uint32 {
	m := map[string]uint32{}
	for l := English; l < numLangs; l++ {
		tm := analysis.NewTokenMap()
		if err := tm.LoadBytes(stopData[l]); err != nil {
			panic("langdetect: stop list " + codes[l] + ": " + err.Error())
		}
		for w := range tm {
			m[w] |= 1 << l
		}
	}
	return m
}()

// IsStop reports whether word, lowercased, is one of l's stop words, as
// bleve's stop list for l has them. Vietnamese function words are
// package vnstop's.
func IsStop(l Lang, word string) bool {
	return l > Vietnamese && l < numLangs && stops[word]&(1<<l) != 0
}

// Evidence weights, per word.
const (
	vietLetter  = 2.0 // a letter only Vietnamese writes
	vietMarked  = 1.0 // diacritics, on a word shaped as a Vietnamese syllable
	vietWord    = 1.0 // a Vietnamese function word typed without diacritics
	vietShape   = 0.5 // a plain word shaped as a Vietnamese syllable
	notVietnam  = 1.0 // a word that cannot be a Vietnamese syllable (subtracted)
	stopWord    = 1.0 // a stop word of a language
	capitalised = 0.5 // the share of its vote a capitalised word has
	sampleWords = 300 // words read at most: plenty to decide
	// A lead of decisive votes after a chunk of about chunkBytes ends
	// the count: a passage in Vietnamese with diacritics is told by its
	// first sentence.
	chunkBytes = 64
	decisive   = 12.0
)

// lead is how many votes the leading language has over the next.
func lead(score *[numLangs]float64) float64 {
	first, second := 0.0, 0.0
	for _, x := range score {
		switch {
		case x > first:
			first, second = x, first
		case x > second:
			second = x
		}
	}
	return first - second
}

// Detect returns the language of a passage. Every word votes: for
// Vietnamese by its letters, marks, shape or function, against it when
// it cannot be a Vietnamese syllable, and for each language whose stop
// list holds it. The language with most votes wins when it has at least
// one; Vietnamese wins ties, being askdocs's first language, then
// English, then the others in the order of the constants. Latin words
// that cannot be Vietnamese and hold no stop word ("opens") are English,
// the likeliest; text with no votes at all is Unknown. A capitalised
// word, as often a name as the first of a sentence, has half a vote and
// never counts against Vietnamese: a line of names ("Sonexay
// Siphandone", "Super Bowl 50") is Unknown, analysed as Vietnamese.
func Detect(text string) Lang { return detect(text, false) }

// DetectQuestion is Detect for a question, where a line of names that
// cannot be Vietnamese ("Super Bowl 50") is English: a question in
// another language is also matched as Vietnamese analysis has its
// words, so names lose nothing by it.
func DetectQuestion(text string) Lang { return detect(text, true) }

func detect(text string, namesForeign bool) Lang {
	var d detector
	// Chunks end at a space, so no word is cut; counting stops at the
	// first chunk after which one language leads decisively.
	for rest := text; rest != "" && d.words < sampleWords && lead(&d.score) < decisive; {
		n := len(rest)
		if n > chunkBytes {
			if i := strings.IndexByte(rest[chunkBytes:], ' '); i >= 0 {
				n = chunkBytes + i + 1
			}
		}
		chunk := rest[:n]
		vntoken.Each(chunk, func(start, end int) { d.vote(chunk, start, end) })
		rest = rest[n:]
	}
	best := Unknown
	for l := Vietnamese; l < numLangs; l++ {
		if d.score[l] > 0 && (best == Unknown || d.score[l] > d.score[best]) {
			best = l
		}
	}
	if best == Unknown && (d.score[Vietnamese] < 0 || namesForeign && d.score[Vietnamese]+d.names < 0) {
		return English
	}
	return best
}

// detector counts the votes of Detect.
type detector struct {
	score [numLangs]float64
	words int
	names float64 // the votes against Vietnamese of capitalised words
}

// vote counts the word text[start:end].
func (d *detector) vote(text string, start, end int) {
	if d.words >= sampleWords {
		return
	}
	w := text[start:end]
	if !hasLetter(w) {
		return
	}
	d.words++
	// A capitalised word is as often a name ("Los Angeles",
	// "California" in a Vietnamese text) as a sentence's first word: it
	// counts half, and never against Vietnamese.
	weight := 1.0
	if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
		weight = capitalised
	}
	if !isASCII(w) && hasVietnameseLetter(w) {
		// No stop list of another language has these letters.
		d.score[Vietnamese] += weight * vietLetter
		return
	}
	lower := strings.ToLower(w)
	if len(lower) == 1 {
		// One letter ("a", "y", "e", "s") is a stop word in too many
		// languages to tell; but "'s" and "'t" are English.
		if (lower == "s" || lower == "t") && afterApostrophe(text, start) {
			d.score[English] += stopWord
		}
		return
	}
	in := stops[lower]
	for b := in >> English; b != 0; b &= b - 1 {
		d.score[English+Lang(bits.TrailingZeros32(b))] += weight * stopWord
	}
	if v := vietVote(w, lower, in&(1<<English) != 0); v > 0 || weight == 1 {
		d.score[Vietnamese] += weight * v
	} else {
		d.names += weight * v
	}
}

// afterApostrophe reports whether text[:i] ends with a letter and an
// apostrophe ("store'", "don’").
func afterApostrophe(text string, i int) bool {
	r, n := utf8.DecodeLastRuneInString(text[:i])
	if r != '\'' && r != '’' {
		return false
	}
	r, _ = utf8.DecodeLastRuneInString(text[:i-n])
	return unicode.IsLetter(r)
}

// vietVote is what one word without a letter only Vietnamese writes
// says for Vietnamese (negative: against).
func vietVote(w, lower string, english bool) float64 {
	ascii := isASCII(w)
	fold := vnfold.Fold(lower)
	if !ascii {
		if isASCII(fold) && Syllable(fold) {
			return vietMarked
		}
		if vnfold.HasDiacritics(w) || isLatin(w) {
			return -notVietnam
		}
		return 0 // another script
	}
	switch {
	case isAcronym(w):
		return 0 // "ASEAN", "USD": any language writes them
	case !Syllable(fold):
		return -notVietnam
	case vnstop.Default.IsFoldedFunction(fold) && !english:
		return vietWord + vietShape
	}
	return vietShape
}

// Syllable reports whether folded, a word in lowercase ASCII, has the
// shape of one Vietnamese syllable: an initial consonant, one to three
// vowels, a final consonant ("nghieng", "hop", "quoc", "a").
func Syllable(folded string) bool {
	s := folded[initial(folded):]
	n := 0
	for n < len(s) && isVowel(s[n]) {
		n++
	}
	if n == 0 || n > 3 {
		return false
	}
	switch s[n:] {
	case "", "ng", "nh", "ch", "c", "m", "n", "p", "t":
		return true
	}
	return false
}

// initials are the initial consonants of more than one letter, by first
// letter, longest first.
var initials = [256][]string{
	'n': {"ngh", "ng", "nh"}, 'g': {"gh", "gi"}, 'k': {"kh"}, 'p': {"ph"},
	't': {"th", "tr"}, 'c': {"ch"}, 'q': {"qu"},
}

// initial returns the length of the initial consonant of s: the longest
// that a vowel follows, else one letter.
func initial(s string) int {
	if s == "" {
		return 0
	}
	for _, ini := range initials[s[0]] {
		if len(s) > len(ini) && s[:len(ini)] == ini && isVowel(s[len(ini)]) {
			return len(ini)
		}
	}
	if strings.IndexByte("bcdghklmnprstvx", s[0]) >= 0 {
		return 1
	}
	return 0
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// hasVietnameseLetter reports whether w holds a letter or mark that only
// Vietnamese writes: ă, đ, ơ, ư, a vowel with a dot below, a hook above
// or two marks (U+1EA0–U+1EF9), or the combining horn, hook, dot below
// or breve of decomposed text.
func hasVietnameseLetter(w string) bool {
	for _, r := range w {
		switch {
		case r >= 0x1EA0 && r <= 0x1EF9,
			r == 'ă' || r == 'Ă' || r == 'đ' || r == 'Đ' || r == 'ơ' || r == 'Ơ' || r == 'ư' || r == 'Ư',
			r == 0x031B || r == 0x0309 || r == 0x0323 || r == 0x0306:
			return true
		}
	}
	return false
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isLatin reports whether every letter of s is a Latin one.
func isLatin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// isAcronym reports whether w is two or more capitals and nothing else.
func isAcronym(w string) bool {
	if len(w) < 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return false
		}
	}
	return true
}
