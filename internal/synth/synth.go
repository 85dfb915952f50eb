// Package synth generates deterministic synthetic Vietnamese-like
// corpora for benchmarks, of two vocabularies (see Vocab): paragraphs of
// prose drawn from a word-bigram (Markov) chain trained on the embedded
// seed documents, whose vocabulary is small and common; and paragraphs
// that mix runs of that chain with words of a realistic Zipfian
// vocabulary of generated syllables (zipf.go).
//
// A token is a whitespace-separated word of the seeds with its
// punctuation attached ("Lào," and "Lào" are different states), so the
// output has commas and sentences where Vietnamese prose has them. Every
// paragraph holds 40 to 120 words, is valid UTF-8 and is in NFC. One
// paragraph in a hundred also holds a rare token (see RareToken), so that
// rare-term queries have exactly one answer.
//
// The same seed always yields byte-identical output.
package synth

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/askdocs/askdocs/seeds"
)

// Paragraph sizes, in whitespace-separated words.
const (
	MinWords = 40
	MaxWords = 120
)

// RareEvery is how often a paragraph holds a rare token: paragraph i
// (0-based, counted across the whole corpus) holds RareToken(i/RareEvery)
// when i%RareEvery == RareEvery/2.
const RareEvery = 100

// maxSentence bounds a sentence, since the chain can wander.
const maxSentence = 60

// stream is the PCG stream (second seed word) of every generator.
const stream = 0x5eed_a5d0_c5d0_c5d0

// chain is a word-bigram model: the words seen after each word, with
// repeats, in training order; "" stands for the end of a line.
type chain struct {
	next   map[string][]string
	starts []string // words that begin a line or sentence
}

var trained = sync.OnceValue(func() *chain {
	c, err := train(seeds.FS)
	if err != nil {
		// The seeds are embedded: this is a broken build, not bad input.
		panic(fmt.Sprintf("synth: train on embedded seeds: %v", err))
	}
	return c
})

// train builds the chain from every .txt file of fsys, in name order.
// Each non-blank line is a run of sentences.
func train(fsys fs.FS) (*chain, error) {
	names, err := fs.Glob(fsys, "*.txt")
	if err != nil {
		return nil, fmt.Errorf("list seeds: %w", err)
	}
	c := &chain{next: map[string][]string{}}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read seed: %w", err)
		}
		for _, line := range strings.Split(norm.NFC.String(string(b)), "\n") {
			words := cleanWords(strings.Fields(line))
			for i, w := range words {
				if i == 0 || endsSentence(words[i-1]) {
					c.starts = append(c.starts, w)
				}
				next := ""
				if i+1 < len(words) {
					next = words[i+1]
				}
				c.next[w] = append(c.next[w], next)
			}
		}
	}
	if len(c.starts) == 0 {
		return nil, fmt.Errorf("no text in %d seed files", len(names))
	}
	return c, nil
}

// cleanWords drops quotes and brackets (which the chain could not keep
// balanced) and a leading "date YYYY-MM-DD" export tag.
func cleanWords(words []string) []string {
	if len(words) >= 2 && words[0] == "date" && strings.Count(words[1], "-") == 2 {
		words = words[2:]
	}
	out := words[:0:0]
	for _, w := range words {
		w = strings.Map(func(r rune) rune {
			switch r {
			case '"', '“', '”', '(', ')', '\ufeff':
				return -1
			}
			return r
		}, w)
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

func endsSentence(w string) bool {
	r, _ := utf8.DecodeLastRuneInString(w)
	return r == '.' || r == '!' || r == '?' || r == '…'
}

func hasWordRune(w string) bool {
	return strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// closeSentence makes words end a sentence: trailing punctuation-only
// words and clause punctuation go, and a full stop is added if needed.
func closeSentence(words []string) []string {
	for len(words) > 0 {
		last := words[len(words)-1]
		if !hasWordRune(last) {
			words = words[:len(words)-1]
			continue
		}
		if !endsSentence(last) {
			words[len(words)-1] = strings.TrimRight(last, ",;:-–") + "."
		}
		break
	}
	return words
}

// sentence walks the chain from a sentence start to a sentence end.
func (c *chain) sentence(r *rand.Rand) []string {
	w := c.starts[r.IntN(len(c.starts))]
	var out []string
	for {
		out = append(out, w)
		if endsSentence(w) || len(out) == maxSentence {
			break
		}
		nexts := c.next[w]
		w = nexts[r.IntN(len(nexts))]
		if w == "" {
			break
		}
	}
	return closeSentence(out)
}

// paragraph returns sentences totalling MinWords to max words.
func (c *chain) paragraph(r *rand.Rand, max int) []string {
	target := MinWords + r.IntN(max-MinWords+1)
	var words []string
	for len(words) < target {
		s := c.sentence(r)
		if len(words)+len(s) > max {
			s = closeSentence(s[:max-len(words)])
		}
		words = append(words, s...)
	}
	return words
}

// Paragraph returns one paragraph of MinWords to MaxWords words drawn
// with r, in NFC, with no rare token.
func Paragraph(r *rand.Rand) string {
	return norm.NFC.String(strings.Join(trained().paragraph(r, MaxWords), " "))
}

// rareHeads and rareTails make Lao-sounding names for RareToken.
var (
	rareHeads = []string{"Xay", "Phom", "Sou", "Khăm", "Vông", "Bun", "Thong", "Chăn"}
	rareTails = []string{"kham", "vilay", "phone", "savanh", "xay", "louang"}
)

// RareToken returns the k-th rare token, a name joined to a number such
// as "Xaykham0" or "Phomvilay9": one word to the Vietnamese tokenizer,
// and distinct for every k.
func RareToken(k int) string {
	return rareHeads[k%len(rareHeads)] + rareTails[k/len(rareHeads)%len(rareTails)] + strconv.Itoa(k)
}

// Vocab names the vocabulary of a corpus.
type Vocab string

const (
	// Chain is the seeds' word chain alone: about 650 syllables, all
	// common.
	Chain Vocab = "chain"
	// Zipf mixes the chain (40% of the words) with about 30,000 words on
	// about 7,000 generated syllables, Zipf-distributed, plus names,
	// numbers and rare tokens: the shape of a real archive.
	Zipf Vocab = "zipf"
)

// ParseVocab returns the Vocab named s.
func ParseVocab(s string) (Vocab, error) {
	switch v := Vocab(s); v {
	case Chain, Zipf:
		return v, nil
	}
	return "", fmt.Errorf("synth: unknown vocabulary %q (want %q or %q)", s, Chain, Zipf)
}

// A Generator produces the paragraphs of one synthetic corpus in order.
// It is not safe for concurrent use.
type Generator struct {
	r     *rand.Rand
	n     int // paragraphs produced
	vocab Vocab
}

// New returns a generator of the chain vocabulary whose output depends
// only on seed.
func New(seed uint64) *Generator { return NewOf(Chain, seed) }

// NewOf returns a generator of vocabulary v ("" is Chain) whose output
// depends only on v and seed.
func NewOf(v Vocab, seed uint64) *Generator {
	if v == "" {
		v = Chain
	}
	return &Generator{r: rand.New(rand.NewPCG(seed, stream)), vocab: v}
}

// paragraph draws the words of one paragraph of at most max words.
func (g *Generator) paragraph(max int) []string {
	if g.vocab == Zipf {
		return zipfVocab().paragraph(g.r, trained(), max)
	}
	return trained().paragraph(g.r, max)
}

// Next returns the next paragraph. Paragraph i (from 0) holds
// RareToken(i/RareEvery) when i%RareEvery == RareEvery/2.
func (g *Generator) Next() string {
	i := g.n
	g.n++
	if i%RareEvery != RareEvery/2 {
		return norm.NFC.String(strings.Join(g.paragraph(MaxWords), " "))
	}
	words := g.paragraph(MaxWords - 1)
	at := 1 + g.r.IntN(len(words)-1) // not first: keep the capital start
	words = append(words[:at], append([]string{RareToken(i / RareEvery)}, words[at:]...)...)
	return norm.NFC.String(strings.Join(words, " "))
}

// Generate writes passages paragraphs to w, separated by blank lines and
// ending with a newline, and returns the bytes written.
func Generate(w io.Writer, seed uint64, passages int) (int64, error) {
	return New(seed).write(w, passages)
}

// GenerateOf is Generate for vocabulary v.
func GenerateOf(w io.Writer, v Vocab, seed uint64, passages int) (int64, error) {
	return NewOf(v, seed).write(w, passages)
}

func (g *Generator) write(w io.Writer, n int) (int64, error) {
	var total int64
	for i := range n {
		sep := "\n\n"
		if i == n-1 {
			sep = "\n"
		}
		k, err := io.WriteString(w, g.Next()+sep)
		total += int64(k)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// WriteCorpus writes a corpus of passages paragraphs into dir (created if
// needed) as files doc_00001.txt, doc_00002.txt, … of perFile paragraphs
// each (perFile <= 0 means 1000), and returns the bytes written.
func WriteCorpus(dir string, seed uint64, passages, perFile int) (int64, error) {
	return WriteCorpusOf(dir, Chain, seed, passages, perFile)
}

// WriteCorpusOf is WriteCorpus for vocabulary v.
func WriteCorpusOf(dir string, v Vocab, seed uint64, passages, perFile int) (int64, error) {
	if _, err := ParseVocab(string(v)); err != nil {
		return 0, fmt.Errorf("synth: write corpus: %w", err)
	}
	if passages < 0 {
		return 0, fmt.Errorf("synth: write corpus: negative passage count %d", passages)
	}
	if perFile <= 0 {
		perFile = 1000
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("synth: write corpus: %w", err)
	}
	g := NewOf(v, seed)
	var total int64
	for file := 1; passages > 0; file++ {
		n := min(perFile, passages)
		passages -= n
		k, err := writeFile(filepath.Join(dir, fmt.Sprintf("doc_%05d.txt", file)), g, n)
		total += k
		if err != nil {
			return total, fmt.Errorf("synth: write corpus: %w", err)
		}
	}
	return total, nil
}

// WriteFile writes one file of passages paragraphs of vocabulary v,
// drawn with seed, to path, replacing it: for benchmarks that change a
// corpus.
func WriteFile(path string, v Vocab, seed uint64, passages int) (int64, error) {
	if _, err := ParseVocab(string(v)); err != nil {
		return 0, fmt.Errorf("synth: write file: %w", err)
	}
	n, err := writeFile(path, NewOf(v, seed), passages)
	if err != nil {
		return n, fmt.Errorf("synth: write file: %w", err)
	}
	return n, nil
}

func writeFile(path string, g *Generator, n int) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	total, err := g.write(bw, n)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return total, err
}
