package retrieval

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits on what the corpus loader takes in.
const (
	// MaxFileSize is the largest document read; larger files are skipped
	// with a warning.
	MaxFileSize = 64 << 20
	// maxPassageBytes is the longest passage indexed as one; a longer
	// paragraph (a huge one-line file, say) is cut into several passages
	// at sentence or word boundaries, each citing the same lines.
	maxPassageBytes = 4000
)

// Document is one file of the corpus.
type Document struct {
	Source  string // path relative to the corpus root, with forward slashes
	Title   string
	Size    int64
	ModTime time.Time
	Hash    string // hex SHA-256 of the content
	// First and N locate the document's passages in Corpus.Passages.
	First, N int
}

// Passage is one paragraph of a document: a run of non-blank lines.
type Passage struct {
	Doc     int // index in Corpus.Docs
	Line    int // first line, 1-based
	EndLine int // last line, 1-based, inclusive
	// Chunk numbers the pieces of a paragraph too long to be one passage.
	Chunk int
	Text  string
}

// Corpus is a loaded folder of documents, split into passages. Documents
// are sorted by source, passages by document then line; a passage's index
// in Passages is its ordinal, which breaks ranking ties.
type Corpus struct {
	Docs     []Document
	Passages []Passage
}

// Warning names a file that was skipped and why.
type Warning struct {
	Source string
	Reason string
}

func (w Warning) String() string { return w.Source + ": " + w.Reason }

// ErrNoDocuments is returned when a folder holds no usable document.
var ErrNoDocuments = errors.New("no .txt or .md documents found")

// LoadCorpus reads every .txt and .md file below the root of fsys,
// recursively. Files that cannot be used (unreadable, not UTF-8, binary,
// empty, too large) are skipped and reported as warnings; a corpus with no
// passage at all is ErrNoDocuments.
func LoadCorpus(ctx context.Context, fsys fs.FS) (*Corpus, []Warning, error) {
	files, warnings, err := listDocuments(ctx, fsys)
	if err != nil {
		return nil, warnings, err
	}
	c := &Corpus{}
	read, err := readDocuments(ctx, fsys, files)
	if err != nil {
		return nil, warnings, err
	}
	for _, r := range read {
		if r.reason != "" {
			warnings = append(warnings, Warning{r.doc.Source, r.reason})
			continue
		}
		if !c.add(r.doc, r.text) {
			warnings = append(warnings, Warning{r.doc.Source, "no text"})
		}
	}
	if len(c.Passages) == 0 {
		return nil, warnings, ErrNoDocuments
	}
	return c, warnings, nil
}

// fileInfo is a document file as listed, before it is read.
type fileInfo struct {
	Source  string
	Size    int64
	ModTime time.Time
}

// listDocuments returns the .txt and .md files below the root of fsys,
// sorted by path, with their size and modification time. Folders that
// cannot be read are reported as warnings; symbolic links to folders are
// not followed, so a link loop cannot trap the walk.
func listDocuments(ctx context.Context, fsys fs.FS) ([]fileInfo, []Warning, error) {
	var files []fileInfo
	var warnings []Warning
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			warnings = append(warnings, Warning{p, "unreadable: " + errText(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir // .git and the like
			}
			return nil
		}
		if !isDocument(p) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			warnings = append(warnings, Warning{p, "unreadable: " + errText(err)})
			return nil
		}
		files = append(files, fileInfo{Source: p, Size: info.Size(), ModTime: info.ModTime()})
		return ctx.Err()
	})
	if err != nil {
		return nil, warnings, fmt.Errorf("retrieval: walk documents: %w", err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Source < files[j].Source })
	return files, warnings, nil
}

func isDocument(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".txt", ".md", ".markdown":
		return !strings.HasPrefix(path.Base(p), ".")
	}
	return false
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// readDocument reads one file; reason is non-empty when it must be skipped.
// readDocuments reads files with readDocument, several at a time,
// returning them in the order given. A file that cannot be used has its
// source and the reason.
func readDocuments(ctx context.Context, fsys fs.FS, files []fileInfo) ([]docRead, error) {
	out := make([]docRead, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(files)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r := &out[i]
				r.doc, r.text, r.reason = readDocument(fsys, files[i].Source)
				r.doc.Source = files[i].Source
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

// docRead is a document read by readDocuments.
type docRead struct {
	doc          Document
	text, reason string
}

func readDocument(fsys fs.FS, src string) (doc Document, text string, reason string) {
	info, err := fs.Stat(fsys, src)
	if err != nil {
		return doc, "", "unreadable: " + errText(err)
	}
	if !info.Mode().IsRegular() {
		return doc, "", "not a regular file"
	}
	if info.Size() > MaxFileSize {
		return doc, "", fmt.Sprintf("too large (%d MB, limit %d MB)", info.Size()>>20, MaxFileSize>>20)
	}
	b, err := fs.ReadFile(fsys, src)
	if err != nil {
		return doc, "", "unreadable: " + errText(err)
	}
	if len(b) == 0 {
		return doc, "", "empty"
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return doc, "", "binary (holds NUL bytes)"
	}
	if !utf8.Valid(b) {
		return doc, "", "not valid UTF-8 (convert it, e.g. from a legacy Vietnamese encoding, to UTF-8)"
	}
	sum := sha256.Sum256(b)
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	return Document{
		Source:  src,
		Size:    info.Size(),
		ModTime: info.ModTime(),
		Hash:    hex.EncodeToString(sum[:]),
	}, norm.NFC.String(string(b)), ""
}

// add splits text into passages and appends the document; it reports
// false when the text holds no passage.
func (c *Corpus) add(doc Document, text string) bool {
	docIdx := len(c.Docs)
	doc.First = len(c.Passages)
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	md := strings.HasSuffix(strings.ToLower(doc.Source), ".md") || strings.HasSuffix(strings.ToLower(doc.Source), ".markdown")
	start := -1
	emit := func(from, to int) { // lines[from:to] is one paragraph
		para := strings.Join(trimAll(lines[from:to]), "\n")
		if strings.TrimFunc(para, notWordRune) == "" {
			return
		}
		line, counted := from+1, 0 // line of para[counted]
		for n, chunk := range chunk(para, maxPassageBytes) {
			line += strings.Count(para[counted:chunk.start], "\n")
			counted = chunk.start
			endLine := line + strings.Count(para[chunk.start:chunk.end], "\n")
			c.Passages = append(c.Passages, Passage{Doc: docIdx, Line: line, EndLine: endLine, Chunk: n, Text: para[chunk.start:chunk.end]})
		}
	}
	flush := func(end int) { // lines[start:end] is a run of non-blank lines
		if unwrapped(lines[start:end]) {
			for i := start; i < end; i++ {
				emit(i, i+1)
			}
		} else {
			emit(start, end)
		}
		start = -1
	}
	for i, l := range lines {
		blank := strings.TrimSpace(l) == ""
		switch {
		case blank && start >= 0:
			flush(i)
		case !blank && start < 0:
			start = i
		}
	}
	if start >= 0 {
		flush(len(lines))
	}
	doc.N = len(c.Passages) - doc.First
	if doc.N == 0 {
		return false
	}
	doc.Title = title(lines, md)
	c.Docs = append(c.Docs, doc)
	return true
}

// unwrapLineRunes is the line length past which a run of lines is taken
// as unwrapped prose, where each line is a paragraph of its own (news
// exports often put one paragraph a line with no blank line between).
// Hard-wrapped text keeps its lines shorter and its run is one paragraph.
const unwrapLineRunes = 200

func unwrapped(run []string) bool {
	if len(run) < 2 {
		return false
	}
	for _, l := range run {
		if utf8.RuneCountInString(l) > unwrapLineRunes {
			return true
		}
	}
	return false
}

func trimAll(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimSpace(l)
	}
	return out
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

type span struct{ start, end int }

// chunk cuts s into pieces of at most max bytes, at a sentence end when
// one is near the limit, else at a space, else at a rune boundary.
func chunk(s string, max int) []span {
	var out []span
	for start := 0; start < len(s); {
		end := len(s)
		if end-start > max {
			end = start + max
			for end > start && !utf8.RuneStart(s[end]) {
				end--
			}
			cut := -1
			window := s[start:end]
			if i := lastSentenceEnd(window); i > len(window)/2 {
				cut = start + i
			} else if i := strings.LastIndexAny(window, " \n\t"); i > len(window)/2 {
				cut = start + i + 1
			}
			if cut > start {
				end = cut
			}
		}
		// Trim the spaces a cut leaves around pieces.
		a, b := start, end
		for a < b && (s[a] == ' ' || s[a] == '\n') {
			a++
		}
		for b > a && (s[b-1] == ' ' || s[b-1] == '\n') {
			b--
		}
		if a < b {
			out = append(out, span{a, b})
		}
		start = end
	}
	return out
}

// lastSentenceEnd returns the byte offset just past the last ". ", "? " or
// "! " in s, or -1.
func lastSentenceEnd(s string) int {
	best := -1
	for _, sep := range []string{". ", "? ", "! ", "; "} {
		if i := strings.LastIndex(s, sep); i >= 0 && i+len(sep) > best {
			best = i + len(sep)
		}
	}
	return best
}

// title returns a document's title: its first line when that reads as a
// headline, else the opening words of its first sentence.
func title(lines []string, md bool) string {
	first := ""
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			first = l
			break
		}
	}
	if len(first) > 600 {
		// A title is in the first words; a huge one-line file must not
		// make it costly.
		cut := 600
		for cut > 0 && !utf8.RuneStart(first[cut]) {
			cut--
		}
		first = first[:cut]
	}
	if md {
		first = strings.TrimSpace(strings.TrimLeft(first, "#"))
	}
	first = stripMetadata(first)
	if isHeadline(first) {
		return first
	}
	return openingWords(first, 10)
}

// stripMetadata removes a leading "date 2025-12-03" (or "date: …") tag,
// which some exports put before the first sentence.
func stripMetadata(s string) string {
	f := strings.Fields(s)
	if len(f) >= 3 && strings.EqualFold(strings.TrimSuffix(f[0], ":"), "date") && looksLikeDate(f[1]) {
		return strings.TrimSpace(s[strings.Index(s, f[1])+len(f[1]):])
	}
	return s
}

func looksLikeDate(s string) bool {
	if len(s) < 8 {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '-' && r != '/' && r != '.' {
			return false
		}
	}
	return true
}

// isHeadline: short, no sentence punctuation at the end.
func isHeadline(s string) bool {
	n := utf8.RuneCountInString(s)
	if n == 0 || n > 140 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".!?;:,…", last) && len(strings.Fields(s)) <= 25
}

// openingWords returns up to n words of s's first sentence, with "…" when
// it cuts.
func openingWords(s string, n int) string {
	if i := strings.IndexAny(s, ".!?;"); i > 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, ",:; ")
	f := strings.Fields(s)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return strings.TrimRight(strings.Join(f[:n], " "), ",:;-–") + "…"
}
