package retrieval

import (
	"github.com/askdocs/askdocs/retrieval/analysis/vnbigram"
	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
)

// passageDoc is what bleve indexes of passage p: the field fieldFold
// with the passage's folded syllables and the bigrams of its content
// syllables that the vocabulary marks pairable (see pairDF): what the
// vi_fold analyzer gives for its text, less the bigrams of rare
// syllables (TestPassageDocMatchesAnalyzer). The terms come from the
// term ids the vocabulary already holds, so bleve does not analyse every
// passage a second time: that was a third of the time spent building an
// index.
func (ix *Index) passageDoc(p int) *document.Document {
	d := document.NewDocument(passageKeyOf(ix.corpus, p))
	d.AddField(newTermsField(ix.ids[p], ix.vocab, len(ix.corpus.Passages[p].Text)))
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
// adjacent syllables that are not function words, when both are
// pairable. This runs for every
// passage of a build, so it allocates little: the TokenFreqs of a
// passage and the bytes of its terms are laid out together, syllables
// are keyed by the vocabulary's own strings, and a bigram is looked up
// without building a string unless it is new.
func newTermsField(ids []uint32, v *vocab, textBytes int) *termsField {
	terms, function := v.terms, v.function
	f := &termsField{freqs: make(index.TokenFrequencies, len(ids)), bytes: uint64(textBytes)}
	pool := make([]index.TokenFreq, 0, 2*len(ids)) // never grows: at most 2*len(ids)-1 terms
	arena := make([]byte, 0, 2*len(ids)*8)
	// insert adds a term not seen yet; key is "" to make it from term.
	insert := func(key string, term []byte) {
		f.length++
		start := len(arena)
		arena = append(arena, term...) // earlier terms keep the old array if this grows
		pool = append(pool, index.TokenFreq{Term: arena[start:len(arena):len(arena)]})
		tf := &pool[len(pool)-1]
		tf.SetFrequency(1)
		if key == "" {
			key = string(term)
		}
		f.freqs[key] = tf
	}
	for _, id := range ids {
		fold := terms[id].fold
		if tf, ok := f.freqs[fold]; ok {
			tf.SetFrequency(tf.Frequency() + 1)
			f.length++
			continue
		}
		insert(fold, []byte(fold))
	}
	var bg []byte
	prev := noTerm
	for _, id := range ids {
		if function[id] {
			continue
		}
		if prev != noTerm && v.pairIndexed(terms[prev].foldID, terms[id].foldID) {
			bg = append(append(append(bg[:0], terms[prev].fold...), vnbigram.Sep...), terms[id].fold...)
			if tf, ok := f.freqs[string(bg)]; ok { // no allocation
				tf.SetFrequency(tf.Frequency() + 1)
				f.length++
			} else {
				insert("", bg)
			}
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
