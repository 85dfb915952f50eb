package retrieval

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval/analysis/vietnamese"
	"github.com/askdocs/askdocs/retrieval/corpus"
	"github.com/askdocs/askdocs/retrieval/storefile"
)

// The store is the part of a persistent index that bleve does not hold:
// the documents' records (for the manifest), the passages' text and the
// term ids the ranker scans. With it, an unchanged corpus opens without
// reading or analysing a single document.
//
// Layout: magic, origin (folder, name, hash: see Origin), analysis
// version, documents, passages, term ids, vocabulary, then a CRC-32 of
// everything before it. Integers are uvarints, strings are
// length-prefixed. The origin comes first so that it can be read from a
// store built by another analysis version, which is then rebuilt from
// the same documents.
const storeMagic = "ASKDOCS-STORE-8\n"

// analysisVersion changes whenever analysis or passage splitting does, so
// that a stored index built otherwise is rebuilt.
const analysisVersion = vietnamese.Version + "/p3"

// AnalysisVersion is the version of the analysis and passage splitting
// a stored index is built with; an index built with another is rebuilt.
func AnalysisVersion() string { return analysisVersion }

// errBadStore is a damaged or truncated store.
var errBadStore = storefile.ErrDamaged

// writeStore writes ix's store to path, atomically: a temporary file
// renamed into place once synced.
func writeStore(path string, ix *Index) error {
	s, err := storefile.Create(path, storeMagic)
	if err != nil {
		return fmt.Errorf("retrieval: write store: %w", err)
	}
	s.Str(ix.origin.Dir)
	s.Str(ix.origin.Name)
	s.Str(ix.origin.Hash)
	s.Str(analysisVersion)
	c := ix.corpus
	s.Uint(uint64(len(c.Docs)))
	for _, d := range c.Docs {
		s.Str(d.Source)
		s.Str(d.Title)
		s.Str(string(d.Format))
		s.Str(d.URL)
		s.Uint(uint64(d.Size))
		s.Uint(uint64(d.ModTime.UnixNano()))
		s.Str(d.Hash)
		s.Uint(uint64(d.First))
		s.Uint(uint64(d.N))
	}
	s.Uint(uint64(len(c.Passages)))
	total := 0
	for i, p := range c.Passages {
		s.Uint(uint64(p.Doc))
		s.Uint(uint64(p.Line))
		s.Uint(uint64(p.EndLine))
		s.Uint(uint64(p.Chunk))
		s.Uint(uint64(p.Page))
		s.Str(p.Section)
		s.Str(p.Text)
		s.Uint(uint64(len(ix.ids[i])))
		total += len(ix.ids[i])
	}
	// All term ids in one block of uvarints (common terms, met first,
	// have small ids: most take one or two bytes), encoded a buffer at a
	// time, and read back in one pass into one array.
	s.Uint(uint64(total))
	buf := make([]byte, 0, 64<<10)
	for _, row := range ix.ids {
		for _, id := range row {
			if len(buf)+binary.MaxVarintLen32 > cap(buf) {
				s.Bytes(buf)
				buf = buf[:0]
			}
			buf = binary.AppendUvarint(buf, uint64(id))
		}
	}
	s.Bytes(buf)
	s.Uint(uint64(len(ix.vocab.terms)))
	for _, t := range ix.vocab.terms {
		s.Str(t.exact)
	}
	// Document frequencies, so opening needs no pass over the ids.
	s.Uint(uint64(ix.vocab.tokens))
	s.Uint(uint64(len(ix.vocab.foldDF)))
	for _, df := range ix.vocab.foldDF {
		s.Uint(uint64(df))
	}
	// Which folded forms have their bigrams indexed, a bit each: decided
	// at the build, kept through updates.
	s.Uint(uint64(len(ix.vocab.pairable)))
	bits := make([]byte, (len(ix.vocab.pairable)+7)/8)
	for f, ok := range ix.vocab.pairable {
		if ok {
			bits[f/8] |= 1 << (f % 8)
		}
	}
	s.Bytes(bits)
	// Bigram frequencies: sorted keys, then counts, fixed width.
	s.Uint(uint64(len(ix.vocab.bigramKeys)))
	var k [8]byte
	for _, key := range ix.vocab.bigramKeys {
		binary.LittleEndian.PutUint64(k[:], key)
		s.Bytes(k[:])
	}
	for _, df := range ix.vocab.bigramDF {
		binary.LittleEndian.PutUint32(k[:4], uint32(df))
		s.Bytes(k[:4])
	}
	// The spellings met in the text, so excerpts and highlights look
	// words up without analysing them again.
	s.Uint(uint64(len(ix.vocab.surface)))
	for w, id := range ix.vocab.surface {
		s.Str(w)
		s.Uint(uint64(id))
	}
	if err := s.Commit(); err != nil {
		return fmt.Errorf("retrieval: write store: %w", err)
	}
	return nil
}

// readStore reads a store written by writeStore into an Index without
// bleve. It fails with errBadStore when the file is damaged or truncated,
// and with errStaleStore when analysis has changed since it was written.
func readStore(path string) (*Index, error) {
	s, err := storefile.ReadFile(path, storeMagic)
	switch {
	case errors.Is(err, storefile.ErrOtherFormat):
		return nil, errStaleStore // written by another version of askdocs
	case err != nil:
		return nil, err
	}
	origin := Origin{Dir: s.Str(), Name: s.Str(), Hash: s.Str()}
	if s.Err() != nil {
		return nil, errBadStore
	}
	if v := s.Str(); s.Err() == nil && v != analysisVersion {
		return nil, errStaleStore
	}
	ix, err := readStoreBody(s)
	if err != nil {
		return nil, err
	}
	ix.origin = origin
	return ix, nil
}

// readStoreBody reads what follows the analysis version.
func readStoreBody(s *storefile.Reader) (*Index, error) {
	c := &Corpus{}
	nd := s.Int(s.Len())
	c.Docs = make([]Document, 0, nd)
	for i := 0; i < nd && s.Err() == nil; i++ {
		var d Document
		d.Source = s.Str()
		d.Title = s.Str()
		d.Format = corpus.Format(s.Str())
		d.URL = s.Str()
		d.Size = int64(s.Uint())
		d.ModTime = time.Unix(0, int64(s.Uint()))
		d.Hash = s.Str()
		d.First = s.Int(1 << 40)
		d.N = s.Int(1 << 40)
		c.Docs = append(c.Docs, d)
	}
	np := s.Int(s.Len())
	c.Passages = make([]Passage, 0, np)
	lens := make([]int, 0, np)
	for i := 0; i < np && s.Err() == nil; i++ {
		var p Passage
		p.Doc = s.Int(nd - 1)
		p.Line = s.Int(1 << 40)
		p.EndLine = s.Int(1 << 40)
		p.Chunk = s.Int(1 << 40)
		p.Page = s.Int(1 << 40)
		p.Section = s.Str()
		p.Text = s.Str()
		lens = append(lens, s.Int(s.Len()))
		c.Passages = append(c.Passages, p)
	}
	total := s.Int(s.Len())
	if s.Err() != nil {
		return nil, s.Err()
	}
	arena := make([]uint32, total)
	if err := s.Uvarints32(arena); err != nil {
		return nil, err
	}
	ids := make([][]uint32, len(lens))
	off := 0
	for i, n := range lens {
		if off+n > total {
			return nil, errBadStore
		}
		ids[i] = arena[off : off+n : off+n]
		off += n
	}
	nt := s.Int(s.Len())
	// Maps and arrays sized once: growing them term by term was a third
	// of a warm start on a large vocabulary.
	v := &vocab{
		surface:  map[string]uint32{},
		exact:    make(map[string]uint32, nt),
		fold:     make(map[string]uint32, nt),
		terms:    make([]term, 0, nt),
		foldOf:   make([]uint32, 0, nt),
		function: make([]bool, 0, nt),
	}
	for i := 0; i < nt && s.Err() == nil; i++ {
		v.addTerm(s.Str())
	}
	tokens := s.Int(1 << 50)
	nf := s.Int(s.Len())
	if s.Err() == nil && nf != len(v.foldDF) {
		return nil, errBadStore
	}
	for i := 0; i < nf && s.Err() == nil; i++ {
		v.foldDF[i] = int32(s.Int(np))
	}
	npair := s.Int(nf)
	bits := s.Bytes((npair + 7) / 8)
	if s.Err() != nil {
		return nil, s.Err()
	}
	v.pairable = make([]bool, npair)
	for f := range v.pairable {
		v.pairable[f] = bits[f/8]&(1<<(f%8)) != 0
	}
	nb := s.Int(s.Len() / 12)
	if s.Err() != nil {
		return nil, s.Err()
	}
	keys, dfs := s.Bytes(8*nb), s.Bytes(4*nb)
	if s.Err() != nil {
		return nil, s.Err()
	}
	v.bigramKeys = make([]uint64, nb)
	v.bigramDF = make([]int32, nb)
	for i := range v.bigramKeys {
		v.bigramKeys[i] = binary.LittleEndian.Uint64(keys[8*i:])
	}
	for i := range v.bigramDF {
		v.bigramDF[i] = int32(binary.LittleEndian.Uint32(dfs[4*i:]))
	}
	if !slices.IsSorted(v.bigramKeys) {
		return nil, errBadStore
	}
	ns := s.Int(s.Len())
	if s.Err() == nil {
		v.surface = make(map[string]uint32, ns)
	}
	for i := 0; i < ns && s.Err() == nil; i++ {
		w := s.Str()
		id := s.Int(nt - 1)
		v.surface[w] = uint32(id)
	}
	if s.Err() != nil {
		return nil, s.Err()
	}
	if s.Len() != 0 {
		return nil, errBadStore // more than the layout holds
	}
	for _, row := range ids {
		for _, id := range row {
			if int(id) >= nt {
				return nil, errBadStore
			}
		}
	}
	for _, d := range c.Docs {
		if d.First+d.N > len(c.Passages) {
			return nil, errBadStore
		}
	}
	v.n, v.tokens = np, tokens
	ix := &Index{corpus: c, vocab: v, ids: ids}
	ix.indexKeys()
	return ix, nil
}

// readStoreOrigin reads only the origin at the head of the store at
// path, without reading (or checking) the rest, which can be large; ok is
// false when the head cannot be read or is of another format.
func readStoreOrigin(path string) (o Origin, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return Origin{}, false
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 4096)
	magic := make([]byte, len(storeMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != storeMagic {
		return Origin{}, false
	}
	str := func() string {
		n, err := binary.ReadUvarint(r)
		if err != nil || n > 1<<16 {
			ok = false
			return ""
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil || !utf8.Valid(b) {
			ok = false
		}
		return string(b)
	}
	ok = true
	o = Origin{Dir: str(), Name: str(), Hash: str()}
	if !ok {
		return Origin{}, false
	}
	return o, true
}

var errStaleStore = errors.New("index was built by another version of the analysis")
