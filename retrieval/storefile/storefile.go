// Package storefile owns the encoding of askdocs's stored files: a magic
// line naming the format, a body of uvarints and length-prefixed
// strings, and a CRC-32 of everything before it, written atomically (a
// temporary file synced, then renamed into place) and read back whole
// with the checksum verified. What the body holds is the caller's: the
// index's store lays out its documents, passages and vocabulary with it.
package storefile

import (
	"bufio"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"os"
	"strings"
)

// ErrDamaged is returned for a file that is truncated, fails its
// checksum, or holds a value out of the bounds its reader asked for.
var ErrDamaged = errors.New("store is damaged")

// ErrOtherFormat is returned for a file whose magic line names another
// format of the same family (another version of askdocs wrote it).
var ErrOtherFormat = errors.New("store of another format")

// Writer writes one store file. Its methods remember the first error;
// Commit reports it.
type Writer struct {
	f    *os.File
	path string
	w    *bufio.Writer
	crc  uint32
	buf  [binary.MaxVarintLen64]byte
	err  error
}

// Create starts the store file at path, beginning with magic; nothing
// is at path until Commit.
func Create(path, magic string) (*Writer, error) {
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return nil, err
	}
	w := &Writer{f: f, path: path, w: bufio.NewWriterSize(f, 1<<20)}
	w.Bytes([]byte(magic))
	return w, nil
}

// Bytes writes b as it is.
func (w *Writer) Bytes(b []byte) {
	if w.err != nil {
		return
	}
	w.crc = crc32.Update(w.crc, crc32.IEEETable, b)
	_, w.err = w.w.Write(b)
}

// Uint writes v as a uvarint.
func (w *Writer) Uint(v uint64) { w.Bytes(w.buf[:binary.PutUvarint(w.buf[:], v)]) }

// Str writes v, length first.
func (w *Writer) Str(v string) {
	w.Uint(uint64(len(v)))
	w.Bytes([]byte(v))
}

// Commit ends the file with its checksum, syncs it and renames it into
// place. The file is not left behind when anything failed.
func (w *Writer) Commit() error {
	defer os.Remove(w.f.Name())
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], w.crc)
	if w.err == nil {
		_, w.err = w.w.Write(sum[:])
	}
	if w.err == nil {
		w.err = w.w.Flush()
	}
	if w.err == nil {
		w.err = w.f.Sync()
	}
	if err := w.f.Close(); w.err == nil {
		w.err = err
	}
	if w.err != nil {
		return w.err
	}
	return os.Rename(w.f.Name(), w.path)
}

// Reader reads the body of a store file. Its methods remember the first
// error (ErrDamaged); Err reports it.
type Reader struct {
	b   []byte
	err error
}

// NewReader reads b as a body (for tests and for headers read apart).
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// ReadFile reads the store file at path whole and checks its magic and
// checksum: ErrOtherFormat when the magic line differs but shares its
// first family bytes (those before the last '-'), ErrDamaged otherwise.
func ReadFile(path, magic string) (*Reader, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < len(magic)+4 || string(b[:len(magic)]) != magic {
		family := magic[:strings.LastIndexByte(magic, '-')+1]
		if strings.HasPrefix(string(b), family) {
			return nil, ErrOtherFormat
		}
		return nil, ErrDamaged
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, ErrDamaged
	}
	return &Reader{b: body[len(magic):]}, nil
}

// Uint reads a uvarint.
func (r *Reader) Uint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = ErrDamaged
		return 0
	}
	r.b = r.b[n:]
	return v
}

// Int reads a count or index of at most limit, so that damage cannot ask
// for absurd allocations.
func (r *Reader) Int(limit int) int {
	v := r.Uint()
	if v > uint64(limit) {
		r.err = ErrDamaged
		return 0
	}
	return int(v)
}

// Str reads a string written by Writer.Str.
func (r *Reader) Str() string {
	n := r.Int(len(r.b))
	if r.err != nil {
		return ""
	}
	v := string(r.b[:n])
	r.b = r.b[n:]
	return v
}

// Bytes reads n bytes as they are.
func (r *Reader) Bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b) {
		r.err = ErrDamaged
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

// Len is how many bytes are left.
func (r *Reader) Len() int { return len(r.b) }

// Err is the first error met.
func (r *Reader) Err() error { return r.err }

// Uvarints32 reads len(dst) uvarints of at most 32 bits into dst, in one
// pass (a store's term ids).
func (r *Reader) Uvarints32(dst []uint32) error {
	if r.err != nil {
		return r.err
	}
	rest := r.b
	for j := range dst {
		v, n := binary.Uvarint(rest)
		if n <= 0 || v > math.MaxUint32 {
			r.err = ErrDamaged
			return r.err
		}
		dst[j] = uint32(v)
		rest = rest[n:]
	}
	r.b = rest
	return nil
}
