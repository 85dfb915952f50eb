package retrieval

import (
	"github.com/askdocs/askdocs/retrieval/analysis/vnbigram"
	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
)

// passageDoc is what bleve indexes of passage p: the field fieldFold
// with the passage's folded syllables and the bigrams of its content
// syllables, exactly what the vi_fold analyzer gives for its text
// (TestPassageDocMatchesAnalyzer). The terms come from the term ids the
// vocabulary already holds, so bleve does not analyse every passage a
// second time: that was a third of the time spent building an index.
func (ix *Index) passageDoc(p int) *document.Document {
	return ix.passageDocFrom(p, ix.vocab.terms, ix.vocab.function)
}

// passageDocFrom is passageDoc with the vocabulary's terms and function
// flags as given, for a build that indexes while it analyses.
func (ix *Index) passageDocFrom(p int, terms []term, function []bool) *document.Document {
	d := document.NewDocument(ix.corpus.key(p))
	d.AddField(newTermsField(ix.ids[p], terms, function, len(ix.corpus.Passages[p].Text)))
	return d
}

// termsField is a text field analysed in advance. It implements
// bleve's document.Field.
type termsField struct {
	freqs  index.TokenFrequencies
	length int // terms, repeats counted, as bleve counts a field's length
	bytes  uint64
}

// newTermsField counts the folded syllables of ids and the bigrams of
// adjacent syllables that are not function words.
func newTermsField(ids []uint32, terms []term, function []bool, textBytes int) *termsField {
	f := &termsField{freqs: make(index.TokenFrequencies, len(ids)), bytes: uint64(textBytes)}
	// The TokenFreqs of a passage are allocated together: bleve reads
	// them all when it builds a segment.
	pool := make([]index.TokenFreq, 0, 2*len(ids))
	add := func(term string) {
		if tf, ok := f.freqs[term]; ok {
			tf.SetFrequency(tf.Frequency() + 1)
			f.length++
			return
		}
		pool = append(pool, index.TokenFreq{Term: []byte(term)})
		tf := &pool[len(pool)-1]
		tf.SetFrequency(1)
		f.freqs[term] = tf
		f.length++
	}
	for _, id := range ids {
		add(terms[id].fold)
	}
	prev := noTerm
	for _, id := range ids {
		if function[id] {
			continue
		}
		if prev != noTerm {
			add(vnbigram.Join(terms[prev].fold, terms[id].fold))
		}
		prev = id
	}
	return f
}

func (f *termsField) Name() string                                     { return fieldFold }
func (f *termsField) ArrayPositions() []uint64                         { return nil }
func (f *termsField) Options() index.FieldIndexingOptions              { return index.IndexField }
func (f *termsField) Analyze()                                         {}
func (f *termsField) Value() []byte                                    { return nil }
func (f *termsField) NumPlainTextBytes() uint64                        { return f.bytes }
func (f *termsField) EncodedFieldType() byte                           { return 't' }
func (f *termsField) AnalyzedLength() int                              { return f.length }
func (f *termsField) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

func (f *termsField) Size() int {
	n := 64
	for k, tf := range f.freqs {
		n += 2*len(k) + 48 + tf.Size()
	}
	return n
}
