package retrieval

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval/analysis/vietnamese"
	"github.com/askdocs/askdocs/retrieval/corpus"
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

var errBadStore = errors.New("store is damaged")

type storeWriter struct {
	w   *bufio.Writer
	crc uint32
	buf [binary.MaxVarintLen64]byte
	err error
}

func (s *storeWriter) bytes(b []byte) {
	if s.err != nil {
		return
	}
	s.crc = crc32.Update(s.crc, crc32.IEEETable, b)
	_, s.err = s.w.Write(b)
}

func (s *storeWriter) uint(v uint64) { s.bytes(s.buf[:binary.PutUvarint(s.buf[:], v)]) }

func (s *storeWriter) str(v string) {
	s.uint(uint64(len(v)))
	s.bytes([]byte(v))
}

// writeStore writes ix's store to path, atomically: a temporary file
// renamed into place once synced.
func writeStore(path string, ix *Index) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("retrieval: write store: %w", err)
	}
	defer os.Remove(tmp)
	s := &storeWriter{w: bufio.NewWriterSize(f, 1<<20)}
	s.bytes([]byte(storeMagic))
	s.str(ix.origin.Dir)
	s.str(ix.origin.Name)
	s.str(ix.origin.Hash)
	s.str(analysisVersion)
	c := ix.corpus
	s.uint(uint64(len(c.Docs)))
	for _, d := range c.Docs {
		s.str(d.Source)
		s.str(d.Title)
		s.str(string(d.Format))
		s.str(d.URL)
		s.uint(uint64(d.Size))
		s.uint(uint64(d.ModTime.UnixNano()))
		s.str(d.Hash)
		s.uint(uint64(d.First))
		s.uint(uint64(d.N))
	}
	s.uint(uint64(len(c.Passages)))
	total := 0
	for i, p := range c.Passages {
		s.uint(uint64(p.Doc))
		s.uint(uint64(p.Line))
		s.uint(uint64(p.EndLine))
		s.uint(uint64(p.Chunk))
		s.uint(uint64(p.Page))
		s.str(p.Section)
		s.str(p.Text)
		s.uint(uint64(len(ix.ids[i])))
		total += len(ix.ids[i])
	}
	// All term ids in one block of uvarints (common terms, met first,
	// have small ids: most take one or two bytes), encoded a buffer at a
	// time, and read back in one pass into one array.
	s.uint(uint64(total))
	buf := make([]byte, 0, 64<<10)
	for _, row := range ix.ids {
		for _, id := range row {
			if len(buf)+binary.MaxVarintLen32 > cap(buf) {
				s.bytes(buf)
				buf = buf[:0]
			}
			buf = binary.AppendUvarint(buf, uint64(id))
		}
	}
	s.bytes(buf)
	s.uint(uint64(len(ix.vocab.terms)))
	for _, t := range ix.vocab.terms {
		s.str(t.exact)
	}
	// Document frequencies, so opening needs no pass over the ids.
	s.uint(uint64(ix.vocab.tokens))
	s.uint(uint64(len(ix.vocab.foldDF)))
	for _, df := range ix.vocab.foldDF {
		s.uint(uint64(df))
	}
	// Which folded forms have their bigrams indexed, a bit each: decided
	// at the build, kept through updates.
	s.uint(uint64(len(ix.vocab.pairable)))
	bits := make([]byte, (len(ix.vocab.pairable)+7)/8)
	for f, ok := range ix.vocab.pairable {
		if ok {
			bits[f/8] |= 1 << (f % 8)
		}
	}
	s.bytes(bits)
	// Bigram frequencies: sorted keys, then counts, fixed width.
	s.uint(uint64(len(ix.vocab.bigramKeys)))
	var k [8]byte
	for _, key := range ix.vocab.bigramKeys {
		binary.LittleEndian.PutUint64(k[:], key)
		s.bytes(k[:])
	}
	for _, df := range ix.vocab.bigramDF {
		binary.LittleEndian.PutUint32(k[:4], uint32(df))
		s.bytes(k[:4])
	}
	// The spellings met in the text, so excerpts and highlights look
	// words up without analysing them again.
	s.uint(uint64(len(ix.vocab.surface)))
	for w, id := range ix.vocab.surface {
		s.str(w)
		s.uint(uint64(id))
	}
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], s.crc)
	if s.err == nil {
		_, s.err = s.w.Write(sum[:])
	}
	if s.err == nil {
		s.err = s.w.Flush()
	}
	if s.err == nil {
		s.err = f.Sync()
	}
	if cerr := f.Close(); s.err == nil {
		s.err = cerr
	}
	if s.err != nil {
		return fmt.Errorf("retrieval: write store: %w", s.err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("retrieval: write store: %w", err)
	}
	return nil
}

type storeReader struct {
	b   []byte
	err error
}

func (s *storeReader) uint() uint64 {
	if s.err != nil {
		return 0
	}
	v, n := binary.Uvarint(s.b)
	if n <= 0 {
		s.err = errBadStore
		return 0
	}
	s.b = s.b[n:]
	return v
}

// int reads a count or index, bounded so damage cannot ask for absurd
// allocations.
func (s *storeReader) int(limit int) int {
	v := s.uint()
	if v > uint64(limit) {
		s.err = errBadStore
		return 0
	}
	return int(v)
}

func (s *storeReader) str() string {
	n := s.int(len(s.b))
	if s.err != nil {
		return ""
	}
	v := string(s.b[:n])
	s.b = s.b[n:]
	return v
}

// readStore reads a store written by writeStore into an Index without
// bleve. It fails with errBadStore when the file is damaged or truncated,
// and with errStaleStore when analysis has changed since it was written.
func readStore(path string) (*Index, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < len(storeMagic)+4 || string(b[:len(storeMagic)]) != storeMagic {
		if len(b) >= len(storeMagic) && string(b[:14]) == storeMagic[:14] {
			return nil, errStaleStore // written by another version of askdocs
		}
		return nil, errBadStore
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, errBadStore
	}
	s := &storeReader{b: body[len(storeMagic):]}
	origin := Origin{Dir: s.str(), Name: s.str(), Hash: s.str()}
	if s.err != nil {
		return nil, errBadStore
	}
	if v := s.str(); s.err == nil && v != analysisVersion {
		return nil, errStaleStore
	}
	ix, err := readStoreBody(s, body)
	if err != nil {
		return nil, err
	}
	ix.origin = origin
	return ix, nil
}

// readStoreBody reads what follows the analysis version.
func readStoreBody(s *storeReader, body []byte) (*Index, error) {
	c := &Corpus{}
	nd := s.int(len(s.b))
	c.Docs = make([]Document, 0, nd)
	for i := 0; i < nd && s.err == nil; i++ {
		var d Document
		d.Source = s.str()
		d.Title = s.str()
		d.Format = corpus.Format(s.str())
		d.URL = s.str()
		d.Size = int64(s.uint())
		d.ModTime = time.Unix(0, int64(s.uint()))
		d.Hash = s.str()
		d.First = s.int(len(body))
		d.N = s.int(len(body))
		c.Docs = append(c.Docs, d)
	}
	np := s.int(len(s.b))
	c.Passages = make([]Passage, 0, np)
	lens := make([]int, 0, np)
	for i := 0; i < np && s.err == nil; i++ {
		var p Passage
		p.Doc = s.int(nd - 1)
		p.Line = s.int(1 << 40)
		p.EndLine = s.int(1 << 40)
		p.Chunk = s.int(1 << 40)
		p.Page = s.int(1 << 40)
		p.Section = s.str()
		p.Text = s.str()
		lens = append(lens, s.int(len(s.b)))
		c.Passages = append(c.Passages, p)
	}
	total := s.int(len(s.b))
	if s.err != nil {
		return nil, s.err
	}
	arena := make([]uint32, total)
	rest := s.b
	for j := range arena {
		v, n := binary.Uvarint(rest)
		if n <= 0 || v > math.MaxUint32 {
			return nil, errBadStore
		}
		arena[j] = uint32(v)
		rest = rest[n:]
	}
	s.b = rest
	ids := make([][]uint32, len(lens))
	off := 0
	for i, n := range lens {
		if off+n > total {
			return nil, errBadStore
		}
		ids[i] = arena[off : off+n : off+n]
		off += n
	}
	nt := s.int(len(s.b))
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
	for i := 0; i < nt && s.err == nil; i++ {
		v.addTerm(s.str())
	}
	tokens := s.int(1 << 50)
	nf := s.int(len(s.b))
	if s.err == nil && nf != len(v.foldDF) {
		return nil, errBadStore
	}
	for i := 0; i < nf && s.err == nil; i++ {
		v.foldDF[i] = int32(s.int(np))
	}
	npair := s.int(nf)
	if s.err != nil || len(s.b) < (npair+7)/8 {
		return nil, errBadStore
	}
	v.pairable = make([]bool, npair)
	for f := range v.pairable {
		v.pairable[f] = s.b[f/8]&(1<<(f%8)) != 0
	}
	s.b = s.b[(npair+7)/8:]
	nb := s.int(len(s.b) / 12)
	if s.err != nil {
		return nil, s.err
	}
	v.bigramKeys = make([]uint64, nb)
	v.bigramDF = make([]int32, nb)
	for i := range v.bigramKeys {
		v.bigramKeys[i] = binary.LittleEndian.Uint64(s.b[8*i:])
	}
	s.b = s.b[8*nb:]
	for i := range v.bigramDF {
		v.bigramDF[i] = int32(binary.LittleEndian.Uint32(s.b[4*i:]))
	}
	s.b = s.b[4*nb:]
	if !slices.IsSorted(v.bigramKeys) {
		return nil, errBadStore
	}
	ns := s.int(len(s.b))
	if s.err == nil {
		v.surface = make(map[string]uint32, ns)
	}
	for i := 0; i < ns && s.err == nil; i++ {
		w := s.str()
		id := s.int(nt - 1)
		v.surface[w] = uint32(id)
	}
	if s.err != nil {
		return nil, s.err
	}
	if len(s.b) != 0 {
		return nil, errBadStore
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

var _ io.Writer = (*bufio.Writer)(nil)
