package synth

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The zipf vocabulary is a realistic one: about 7,000 distinct
// syllables spelled by the rules of Vietnamese (see spell), about
// 30,000 words of one to three syllables on them, used with a Zipfian
// frequency curve, and also names, numbers and rare tokens. Paragraphs
// mix runs of the seed chain's words (about 40% of the words) with
// words drawn from that list.

// Sizes and shape of the zipf vocabulary.
const (
	zipfSyllables = 7000
	zipfWords     = 30000
	// monoShare is the share of words past the function words that are
	// one syllable: they take the ranked syllables in order.
	monoShare = 0.2
	// Syllables of compound words are drawn Zipf–Mandelbrot, p(k) ∝
	// (k+q)^-s, mixed with uniform draws.
	syllableS       = 1.0
	syllableQ       = 30.0
	syllableUniform = 0.25
	// Words are drawn p(r) ∝ (r+wordQ)^-1.
	wordQ = 8.0
	// chainShare is the share of a paragraph's words from the chain, in
	// runs of chainRun on average; list words come in runs of listRun.
	chainRun = 4.0
	listRun  = 6.0
	// Shares of all words that are rare tokens, numbers and person
	// names; they stand among the list words.
	rareShare   = 0.02
	numberShare = 0.015
	nameShare   = 0.01
	// rarePool is how many distinct rare tokens there are.
	rarePool = 1 << 20
	// vocabSeed fixes the vocabulary: the corpus seed changes the text,
	// not the language.
	vocabSeed = 0x7a1bf
)

// functionSyllables are the commonest real Vietnamese syllables, mostly
// function words, ranked first.
var functionSyllables = strings.Fields(`của và là các có được cho với những trong một này đã không người đến để từ khi về theo sẽ như cũng ra nhiều tại đó hai lại năm vào đang thì nhưng trên bị do mà nên nếu vì còn hay rất chỉ đều qua sau trước giữa bởi cùng thêm nữa hơn ai gì nào đây kia ấy vẫn rồi chưa`)

// Person names: a surname, a middle name and a given name.
var (
	surnames = strings.Fields("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý")
	middles  = strings.Fields("Văn Thị Minh Hữu Đức Thanh Quốc Ngọc Xuân Thu Hoài Kim")
)

// onsetWeight and toneWeight make common spellings likelier; every
// syllable's weight also has log-normal jitter.
var onsetWeight = map[string]float64{
	"": 0.6, "b": 1, "c": 1.2, "ch": 1, "d": 0.9, "đ": 1.2, "g": 0.6, "gi": 0.7, "h": 1.3, "kh": 0.9,
	"l": 1.2, "m": 1, "n": 1.1, "ng": 1, "nh": 1, "p": 0.1, "ph": 0.9, "qu": 0.7, "r": 0.6, "s": 0.8,
	"t": 1.3, "th": 1.3, "tr": 1.1, "v": 1, "x": 0.7,
}

var toneWeight = [numTones]float64{ngang: 1.4, huyen: 1, sac: 1, hoi: 0.6, nga: 0.35, nang: 0.9}

// zipfModel is the vocabulary and its sampling tables, built once.
type zipfModel struct {
	syllables []string  // ranked: function syllables first
	words     []string  // ranked
	wordCum   []float64 // cumulative p(r) ∝ (r+wordQ)^-1
	sylCum    []float64 // cumulative Zipf–Mandelbrot over content syllables
	content   []string  // syllables past the function ones
}

var zipfVocab = sync.OnceValue(func() *zipfModel { return newZipfModel(vocabSeed) })

// rankedSyllables returns every syllable spelling allows, weighted for
// plausibility with log-normal jitter, the n heaviest, function
// syllables first.
func rankedSyllables(r *rand.Rand, n int) []string {
	type cand struct {
		s string
		w float64
	}
	var cs []cand
	seen := map[string]bool{}
	for _, on := range onsets {
		for ri, rh := range rhymes {
			for t := ngang; t < numTones; t++ {
				s, ok := spell(on, rh, t)
				if !ok || seen[s] {
					continue
				}
				seen[s] = true
				// Short and early-listed rhymes are the common ones.
				w := onsetWeight[on] * toneWeight[t] / (1 + 0.02*float64(ri)) / float64(utf8.RuneCountInString(rh))
				w *= math.Exp(r.NormFloat64())
				cs = append(cs, cand{s, w})
			}
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int {
		if a.w != b.w {
			return cmp.Compare(b.w, a.w)
		}
		return strings.Compare(a.s, b.s)
	})
	out := append([]string(nil), functionSyllables...)
	have := map[string]bool{}
	for _, s := range out {
		have[s] = true
	}
	for _, c := range cs {
		if len(out) == n {
			break
		}
		if !have[c.s] {
			have[c.s] = true
			out = append(out, c.s)
		}
	}
	return out
}

// cumulative returns the running sums of w(0), …, w(n-1).
func cumulative(n int, w func(k int) float64) []float64 {
	c := make([]float64, n)
	t := 0.0
	for k := range n {
		t += w(k)
		c[k] = t
	}
	return c
}

// draw picks an index from cumulative weights.
func draw(r *rand.Rand, cum []float64) int {
	x := r.Float64() * cum[len(cum)-1]
	return min(sort.SearchFloat64s(cum, x), len(cum)-1)
}

func newZipfModel(seed uint64) *zipfModel {
	r := rand.New(rand.NewPCG(seed, stream))
	m := &zipfModel{syllables: rankedSyllables(r, zipfSyllables)}
	m.content = m.syllables[len(functionSyllables):]
	m.sylCum = cumulative(len(m.content), func(k int) float64 {
		return math.Pow(float64(k+1)+syllableQ, -syllableS)
	})
	m.words = append(m.words, functionSyllables...)
	have := map[string]bool{}
	for _, w := range m.words {
		have[w] = true
	}
	mono := 0
	for len(m.words) < zipfWords {
		var w string
		if r.Float64() < monoShare && mono < len(m.content) {
			w = m.content[mono]
			mono++
		} else {
			n := 2
			if r.Float64() < 0.2 {
				n = 3
			}
			parts := make([]string, n)
			for i := range parts {
				parts[i] = m.contentSyllable(r)
			}
			w = strings.Join(parts, " ")
		}
		if !have[w] {
			have[w] = true
			m.words = append(m.words, w)
		}
	}
	m.wordCum = cumulative(len(m.words), func(k int) float64 { return 1 / (float64(k) + wordQ) })
	return m
}

// contentSyllable draws a content syllable: Zipf–Mandelbrot, or uniform
// one time in four.
func (m *zipfModel) contentSyllable(r *rand.Rand) string {
	if r.Float64() < syllableUniform {
		return m.content[r.IntN(len(m.content))]
	}
	return m.content[draw(r, m.sylCum)]
}

// rareWord returns rare token k: a made-up Latin-letter word (a foreign
// name, a code), the same for the same k.
func rareWord(k int) string {
	r := rand.New(rand.NewPCG(uint64(k), stream^0xa11))
	const cons, vows = "bcdfghklmnprstvxz", "aeiouy"
	var b strings.Builder
	for i := range 2 + r.IntN(3) {
		c := cons[r.IntN(len(cons))]
		if i == 0 && r.IntN(2) == 0 {
			c -= 'a' - 'A'
		}
		b.WriteByte(c)
		b.WriteByte(vows[r.IntN(len(vows))])
	}
	if r.IntN(4) == 0 {
		b.WriteString(strconv.Itoa(r.IntN(100)))
	}
	return b.String()
}

// number returns a number as news prose writes them.
func number(r *rand.Rand) string {
	switch r.IntN(5) {
	case 0:
		return strconv.Itoa(1990 + r.IntN(40)) // a year
	case 1:
		return strconv.Itoa(r.IntN(10)) + "," + strconv.Itoa(r.IntN(10))
	case 2:
		return strconv.Itoa(1+r.IntN(999)) + "." + fmt.Sprintf("%03d", r.IntN(1000))
	default:
		return strconv.Itoa(1 + r.IntN(100))
	}
}

// capitalize returns s with its first letter upper-case, in NFC.
func capitalize(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	return norm.NFC.String(string(unicode.ToUpper(c)) + s[n:])
}

// geometric returns a run length of mean mean, at least 1.
func geometric(r *rand.Rand, mean float64) int {
	n := 1
	for r.Float64() > 1/mean {
		n++
	}
	return n
}

// paragraph returns MinWords to max whitespace-separated words.
func (m *zipfModel) paragraph(r *rand.Rand, c *chain, max int) []string {
	target := MinWords + r.IntN(max-MinWords+1)
	words := make([]string, 0, max+3)
	listP := 1 - 40.0/100 // share of the words drawn from the list
	capNext := true
	sentence, sentenceLen := 0, 10+r.IntN(16)
	var cur string // the chain's state
	add := func(w string) {
		if capNext {
			w = capitalize(w)
			capNext = false
		}
		words = append(words, w)
		sentence++
	}
	for len(words) < target {
		// A run of chain words, continuing the chain where it was.
		for range geometric(r, chainRun) {
			if cur == "" || endsSentence(cur) {
				cur = c.starts[r.IntN(len(c.starts))]
			} else if nexts := c.next[cur]; len(nexts) > 0 {
				cur = nexts[r.IntN(len(nexts))]
			}
			if cur == "" {
				cur = c.starts[r.IntN(len(c.starts))]
			}
			add(cur)
			if endsSentence(cur) {
				sentence = 0
				capNext = true
			}
		}
		// A run of list words, names, numbers and rare tokens.
		for range geometric(r, listRun) {
			switch x := r.Float64() * listP; {
			case x < rareShare:
				add(rareWord(r.IntN(rarePool)))
			case x < rareShare+numberShare:
				add(number(r))
			case x < rareShare+numberShare+nameShare:
				add(surnames[r.IntN(len(surnames))])
				add(middles[r.IntN(len(middles))])
				add(capitalize(m.content[r.IntN(2000)]))
			default:
				for _, s := range strings.Fields(m.words[draw(r, m.wordCum)]) {
					add(s)
				}
			}
			if sentence >= sentenceLen {
				words[len(words)-1] += "."
				sentence, sentenceLen = 0, 10+r.IntN(16)
				capNext = true
			}
		}
	}
	if len(words) > max {
		words = words[:max]
	}
	return closeSentence(words)
}
