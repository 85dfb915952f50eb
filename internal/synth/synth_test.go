package synth

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestDeterminism(t *testing.T) {
	tests := []struct {
		name     string
		seed     uint64
		passages int
	}{
		{"empty", 1, 0},
		{"one", 1, 1},
		{"with rare tokens", 7, 250},
		{"other seed", 42, 120},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a, b bytes.Buffer
			na, err := Generate(&a, tt.seed, tt.passages)
			if err != nil {
				t.Fatal(err)
			}
			nb, err := Generate(&b, tt.seed, tt.passages)
			if err != nil {
				t.Fatal(err)
			}
			if na != nb || !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Fatalf("seed %d: two runs differ (%d and %d bytes)", tt.seed, na, nb)
			}
			if na != int64(a.Len()) {
				t.Errorf("Generate reported %d bytes, wrote %d", na, a.Len())
			}
			if got := len(paragraphs(a.String())); got != tt.passages {
				t.Errorf("got %d paragraphs, want %d", got, tt.passages)
			}
		})
	}
	var a, b bytes.Buffer
	Generate(&a, 1, 50)
	Generate(&b, 2, 50)
	if bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("seeds 1 and 2 give the same corpus")
	}
}

func paragraphs(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n\n")
}

func TestParagraphs(t *testing.T) {
	var buf bytes.Buffer
	const n = 2000
	if _, err := Generate(&buf, 3, n); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	if !utf8.ValidString(text) {
		t.Fatal("output is not valid UTF-8")
	}
	if !norm.NFC.IsNormalString(text) {
		t.Fatal("output is not NFC")
	}
	ps := paragraphs(text)
	if len(ps) != n {
		t.Fatalf("got %d paragraphs, want %d", len(ps), n)
	}
	rare := 0
	for i, p := range ps {
		words := strings.Fields(p)
		if len(words) < MinWords || len(words) > MaxWords {
			t.Errorf("paragraph %d has %d words, want %d to %d: %q", i, len(words), MinWords, MaxWords, p)
		}
		if strings.Contains(p, "\n") {
			t.Errorf("paragraph %d spans lines: %q", i, p)
		}
		if !endsSentence(words[len(words)-1]) {
			t.Errorf("paragraph %d does not end a sentence: %q", i, p)
		}
		if strings.Contains(p, RareToken(i/RareEvery)) {
			rare++
			if i%RareEvery != RareEvery/2 {
				t.Errorf("paragraph %d holds rare token %s", i, RareToken(i/RareEvery))
			}
		}
	}
	if want := n / RareEvery; rare != want {
		t.Errorf("%d paragraphs hold their rare token, want %d", rare, want)
	}
}

func TestParagraphFunc(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		p := Paragraph(r)
		if n := len(strings.Fields(p)); n < MinWords || n > MaxWords {
			t.Fatalf("%d words: %q", n, p)
		}
	}
}

func TestRareToken(t *testing.T) {
	tests := []struct {
		k    int
		want string
	}{
		{0, "Xaykham0"},
		{1, "Phomkham1"},
		{8, "Xayvilay8"},
		{99, "Khămkham99"},
	}
	for _, tt := range tests {
		if got := RareToken(tt.k); got != tt.want {
			t.Errorf("RareToken(%d) = %q, want %q", tt.k, got, tt.want)
		}
	}
	seen := map[string]bool{}
	for k := range 5000 {
		tok := RareToken(k)
		if seen[tok] {
			t.Fatalf("RareToken(%d) = %q repeats", k, tok)
		}
		seen[tok] = true
		if strings.ContainsAny(tok, " \t\n") || !norm.NFC.IsNormalString(tok) {
			t.Fatalf("RareToken(%d) = %q: want one NFC word", k, tok)
		}
	}
}

func TestWriteCorpus(t *testing.T) {
	tests := []struct {
		passages, perFile int
		files             []string
	}{
		{0, 10, nil},
		{25, 10, []string{"doc_00001.txt", "doc_00002.txt", "doc_00003.txt"}},
		{30, 10, []string{"doc_00001.txt", "doc_00002.txt", "doc_00003.txt"}},
		{5, 0, []string{"doc_00001.txt"}},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		n, err := WriteCorpus(dir, 9, tt.passages, tt.perFile)
		if err != nil {
			t.Fatal(err)
		}
		var all bytes.Buffer
		var names, got []string
		total := 0
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			names = append(names, e.Name())
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			all.Write(b)
			total += len(paragraphs(string(b)))
			got = append(got, paragraphs(string(b))...)
		}
		if strings.Join(names, ",") != strings.Join(tt.files, ",") {
			t.Errorf("WriteCorpus(%d, %d) wrote %v, want %v", tt.passages, tt.perFile, names, tt.files)
		}
		if total != tt.passages || n != int64(all.Len()) {
			t.Errorf("WriteCorpus(%d, %d): %d paragraphs in %d bytes (reported %d)", tt.passages, tt.perFile, total, all.Len(), n)
		}
		// Splitting into files does not change the paragraphs.
		var one bytes.Buffer
		Generate(&one, 9, tt.passages)
		if want := paragraphs(one.String()); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("WriteCorpus(%d, %d) paragraphs differ from Generate's", tt.passages, tt.perFile)
		}
	}
}

func TestWriteCorpusSameBytes(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if _, err := WriteCorpus(dir, 5, 120, 50); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"doc_00001.txt", "doc_00002.txt", "doc_00003.txt"} {
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}
