package corpus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Limits on what the loader takes in.
const (
	// MaxFileSize is the largest document read; larger files are skipped
	// with a warning.
	MaxFileSize = 64 << 20
	// maxPassageBytes is the longest passage indexed as one; a longer
	// paragraph (a huge one-line file, say) is cut into several passages
	// at sentence or word boundaries, each citing the same lines.
	maxPassageBytes = 4000
	// maxCodeBytes is the longest code block kept whole.
	maxCodeBytes = 16000
)

// Document is one file of the corpus.
type Document struct {
	Source string // path relative to the corpus root, with forward slashes
	Title  string
	// Format is how the file was read; it says what a passage's Line
	// counts (lines, or paragraphs for DOCX) and whether Page is set.
	Format Format
	// URL is where a person reads the document, from Markdown front
	// matter ("" when unknown).
	URL     string
	Size    int64
	ModTime time.Time
	Hash    string // hex SHA-256 of the content
	// First and N locate the document's passages in Corpus.Passages.
	First, N int
}

// Passage is one paragraph, list item, table row or code block of a
// document.
type Passage struct {
	Doc int // index in Corpus.Docs
	// Line and EndLine are the first and last line of the passage in the
	// source file, 1-based, inclusive. In a DOCX they number paragraphs;
	// in a PDF they number the lines of the extracted text.
	Line, EndLine int
	// Page is the PDF page, 1-based; 0 for other formats.
	Page int
	// Section is the heading path above the passage ("Cài đặt › Linux"),
	// "" when there is none.
	Section string
	// Chunk numbers the pieces of a paragraph too long to be one passage.
	Chunk int
	Text  string
}

// Corpus is a loaded folder of documents, split into passages. Documents
// are sorted by source, passages by document then position; a passage's
// index in Passages is its ordinal, which breaks ranking ties.
type Corpus struct {
	Docs     []Document
	Passages []Passage
}

// SectionSep separates the headings of a heading path.
const SectionSep = " › "

// ErrNoDocuments is returned when a folder holds no usable document.
var ErrNoDocuments = errors.New("no readable documents found (text, Markdown, HTML, PDF or DOCX)")

// Load reads every document below the root of fsys, recursively. Files
// that cannot be used are skipped and reported as warnings; a corpus with
// no passage at all is ErrNoDocuments.
func Load(ctx context.Context, fsys fs.FS) (*Corpus, []Warning, error) {
	c, _, warnings, err := LoadFiles(ctx, fsys)
	return c, warnings, err
}

// LoadFiles is Load that also returns the files listed, as List does.
func LoadFiles(ctx context.Context, fsys fs.FS) (*Corpus, []File, []Warning, error) {
	files, warnings, err := List(ctx, fsys)
	if err != nil {
		return nil, nil, warnings, err
	}
	read, err := ReadAll(ctx, fsys, files)
	if err != nil {
		return nil, nil, warnings, err
	}
	c := &Corpus{}
	for _, r := range read {
		if w, ok := c.Add(r); !ok {
			warnings = append(warnings, w)
		}
	}
	if len(c.Passages) == 0 {
		return nil, files, warnings, ErrNoDocuments
	}
	return c, files, warnings, nil
}

// Read is one file read and parsed, ready to be added to a corpus, or the
// reason it cannot be.
type Read struct {
	Doc  Document
	Skip *Warning // non-nil when the file cannot be used
	// parsed is the file's content, split into blocks.
	parsed parsed
}

// ReadAll reads files with ReadFile, several at a time, returning them in
// the order given.
func ReadAll(ctx context.Context, fsys fs.FS, files []File) ([]Read, error) {
	out := make([]Read, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(files)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = ReadFile(fsys, files[i])
			}
		}()
	}
	var err error
	for i := range files {
		if err = ctx.Err(); err != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReadFile reads and parses one listed file.
func ReadFile(fsys fs.FS, f File) Read {
	r, _ := ReadChanged(fsys, f, "")
	return r
}

// ReadChanged is ReadFile for a file known before with content hash
// hash: when its content still has that hash, it is not parsed again and
// unchanged is true (r.Doc then holds its new size and time).
func ReadChanged(fsys fs.FS, f File, hash string) (r Read, unchanged bool) {
	r = Read{Doc: Document{Source: f.Source}}
	skip := func(k Kind, reason string) (Read, bool) {
		r.Skip = &Warning{Source: f.Source, Kind: k, Reason: reason}
		return r, false
	}
	fm := formatOf(f.Source)
	if fm.skip != "" {
		return skip(fm.skip, string(fm.skip))
	}
	info, err := fs.Stat(fsys, f.Source)
	if err != nil {
		return skip(Unreadable, "unreadable: "+errText(err))
	}
	if !info.Mode().IsRegular() {
		return skip(NotRegular, "not a regular file")
	}
	if info.Size() > MaxFileSize {
		return skip(TooLarge, fmt.Sprintf("too large (%d MB, limit %d MB)", info.Size()>>20, MaxFileSize>>20))
	}
	b, err := fs.ReadFile(fsys, f.Source)
	if err != nil {
		return skip(Unreadable, "unreadable: "+errText(err))
	}
	if len(b) == 0 {
		return skip(Empty, "empty")
	}
	sum := sha256.Sum256(b)
	r.Doc.Size, r.Doc.ModTime, r.Doc.Hash = info.Size(), info.ModTime(), hex.EncodeToString(sum[:])
	r.Doc.Format = fm.format
	if hash != "" && r.Doc.Hash == hash {
		return r, true
	}
	p, w := fm.parse(b)
	if w != nil {
		w.Source = f.Source
		r.Skip = w
		return r, false
	}
	r.parsed = p
	return r, false
}

// Add splits a read document into passages and appends it. It returns
// the warning to report, and false, when the document cannot be added
// (it was skipped, or holds no text).
func (c *Corpus) Add(r Read) (Warning, bool) {
	if r.Skip != nil {
		return *r.Skip, false
	}
	doc := r.Doc
	docIdx := len(c.Docs)
	doc.First = len(c.Passages)
	for _, bl := range r.parsed.blocks {
		text := norm.NFC.String(bl.text)
		if strings.TrimFunc(text, notWordRune) == "" {
			continue
		}
		limit := maxPassageBytes
		if bl.code {
			limit = maxCodeBytes
		}
		line, counted := bl.line, 0 // line of text[counted]
		for n, ch := range chunk(text, limit) {
			line += strings.Count(text[counted:ch.start], "\n")
			counted = ch.start
			from, to := line, line+strings.Count(text[ch.start:ch.end], "\n")
			if !bl.lines { // the text does not keep the source's line breaks
				from, to = bl.line, max(bl.endLine, bl.line)
			}
			c.Passages = append(c.Passages, Passage{
				Doc: docIdx, Line: from, EndLine: to, Page: bl.page,
				Section: norm.NFC.String(bl.section), Chunk: n, Text: text[ch.start:ch.end],
			})
		}
	}
	doc.N = len(c.Passages) - doc.First
	if doc.N == 0 {
		c.Passages = c.Passages[:doc.First]
		return Warning{Source: doc.Source, Kind: NoText, Reason: "no text"}, false
	}
	doc.Title = norm.NFC.String(r.parsed.title)
	if doc.Title == "" {
		doc.Title = fileTitle(doc.Source)
	}
	doc.URL = r.parsed.url
	c.Docs = append(c.Docs, doc)
	return Warning{}, true
}

// Key returns the stable id of passage i: source, line and chunk.
func (c *Corpus) Key(i int) (source string, line, chunk int) {
	p := c.Passages[i]
	return c.Docs[p.Doc].Source, p.Line, p.Chunk
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
