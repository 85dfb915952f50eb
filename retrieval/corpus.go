package retrieval

import (
	"context"
	"errors"
	"io/fs"

	"github.com/askdocs/askdocs/retrieval/corpus"
)

// The corpus — listing a folder, reading each format, passages, titles —
// is package corpus; these names keep the retrieval API whole.
type (
	// Corpus is a loaded folder of documents, split into passages.
	Corpus = corpus.Corpus
	// Document is one file of the corpus.
	Document = corpus.Document
	// Passage is one paragraph, list item, table row or code block.
	Passage = corpus.Passage
	// Warning names a file that was skipped and why.
	Warning = corpus.Warning
)

// MaxFileSize is the largest document read.
const MaxFileSize = corpus.MaxFileSize

// ErrNoDocuments is returned when a folder holds no usable document.
var ErrNoDocuments = corpus.ErrNoDocuments

// LoadCorpus reads every document below the root of fsys (see
// corpus.Load).
func LoadCorpus(ctx context.Context, fsys fs.FS) (*Corpus, []Warning, error) {
	return corpus.Load(ctx, fsys)
}

// passageKeyOf returns the bleve id of passage i of c.
func passageKeyOf(c *Corpus, i int) string {
	return passageKey(c.Key(i))
}

// passageURL is where a person reads passage p of document d: the
// document's own address (front matter), else the one Options.URLs
// makes, else "".
func (ix *Index) passageURL(d Document, p Passage) string {
	if d.URL != "" {
		return d.URL
	}
	return ix.urls.Expand(d.Source, p.Line, p.Page)
}

// errText is err without the path an fs.PathError repeats.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
