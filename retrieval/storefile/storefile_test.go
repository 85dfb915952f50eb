package storefile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

const magic = "TEST-STORE-2\n"

func write(t *testing.T, path string) {
	t.Helper()
	w, err := Create(path, magic)
	if err != nil {
		t.Fatal(err)
	}
	w.Uint(300)
	w.Str("hợp tác")
	w.Bytes([]byte{1, 2, 3})
	w.Uint(7)
	w.Uint(70000)
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".tmp"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary file left: %v", err)
	}
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store")
	write(t, path)
	r, err := ReadFile(path, magic)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]uint32, 2)
	if u, s, b := r.Uint(), r.Str(), r.Bytes(3); u != 300 || s != "hợp tác" || string(b) != "\x01\x02\x03" {
		t.Errorf("read %d %q %v", u, s, b)
	}
	if err := r.Uvarints32(ids); err != nil || ids[0] != 7 || ids[1] != 70000 {
		t.Errorf("Uvarints32 = %v, %v", ids, err)
	}
	if r.Len() != 0 || r.Err() != nil {
		t.Errorf("left %d bytes, err %v", r.Len(), r.Err())
	}
	// Reading past the end is damage, remembered.
	if r.Uint(); !errors.Is(r.Err(), ErrDamaged) {
		t.Errorf("read past the end: %v, want ErrDamaged", r.Err())
	}
}

func TestReadFileRejects(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	write(t, good)
	b, _ := os.ReadFile(good)
	flip := append([]byte(nil), b...)
	flip[len(magic)+1] ^= 0xff
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"bit flipped", flip, ErrDamaged},
		{"truncated", b[:len(b)-3], ErrDamaged},
		{"empty", nil, ErrDamaged},
		{"other version", append([]byte("TEST-STORE-1\n"), b[len(magic):]...), ErrOtherFormat},
		{"other file", []byte("hello, this is not a store at all"), ErrDamaged},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.name)
		os.WriteFile(path, c.data, 0o644)
		if _, err := ReadFile(path, magic); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func TestIntLimit(t *testing.T) {
	r := NewReader([]byte{200, 1}) // 200 as a uvarint
	if v := r.Int(100); v != 0 || !errors.Is(r.Err(), ErrDamaged) {
		t.Errorf("Int(100) of 200 = %d, %v; want 0, ErrDamaged", v, r.Err())
	}
	r = NewReader([]byte{5})
	if v := r.Int(5); v != 5 || r.Err() != nil {
		t.Errorf("Int(5) of 5 = %d, %v", v, r.Err())
	}
	r = NewReader([]byte{9, 'a'})
	if s := r.Str(); s != "" || !errors.Is(r.Err(), ErrDamaged) {
		t.Errorf("Str of a length past the end = %q, %v", s, r.Err())
	}
}
